/**
 * A command run in a real terminal: a tmux pane of a given size, on a tmux server of its own (its own socket, no
 * user configuration), whose screen and scrollback a test reads as text. The pane stays after the command ends,
 * so the final screen can be read, and the server goes when the test calls close().
 */
import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

export interface PaneSize {
  columns: number;
  rows: number;
}

let panes = 0;

/** Where tmux cannot run, the reason; undefined where it can. */
export function tmuxUnavailableReason(): string | undefined {
  const probe = spawnSync("tmux", ["-V"], { encoding: "utf8" });
  return probe.error === undefined && probe.status === 0 ? undefined : "tmux is not installed";
}

export class TmuxPane {
  private readonly socket = `rems-test-${process.pid}-${++panes}`;

  /** Starts COMMAND (a shell command line) in CWD in a pane of SIZE. */
  constructor(command: string, size: PaneSize, cwd: string) {
    // Options first, in one tmux invocation: the history limit applies to windows made after it is set.
    this.tmux(["-f", "/dev/null", "start-server", ";", "set", "-g", "history-limit", "200000", ";", "set", "-g", "remain-on-exit", "on", ";",
      "new-session", "-d", "-s", "t", "-x", String(size.columns), "-y", String(size.rows), "-c", cwd, command]);
  }

  /**
   * Waits for the command to end, calling `whileRunning` every quarter second until then. Its exit status is the
   * caller's to record (tmux 3.3a leaves #{pane_dead_status} empty for a shell command line).
   */
  async waitForEnd(timeoutMs: number, whileRunning?: () => void): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.tmux(["display", "-p", "-t", "t", "#{pane_dead}"]).trim() === "1") return;
      if (Date.now() > deadline) throw new Error(`the command in tmux did not end within ${timeoutMs} ms:\n${this.screen().join("\n")}`);
      whileRunning?.();
      await sleep(250);
    }
  }

  /** The visible screen, a line per row, wrapped lines joined (a line the terminal wrapped shows as one long line). */
  screen(): string[] {
    return this.capture([]);
  }

  /** The scrollback and the screen, from the first line the command wrote. */
  everything(): string[] {
    return this.capture(["-S", "-", "-E", "-"]);
  }

  close(): void {
    spawnSync("tmux", ["-L", this.socket, "kill-server"]);
  }

  private capture(range: string[]): string[] {
    const text = this.tmux(["capture-pane", "-p", "-J", "-t", "t", ...range]);
    // remain-on-exit's own note, "Pane is dead (status 0, ...)", is tmux's and not the command's.
    return text.replace(/\n+$/, "").split("\n").filter((line) => !line.startsWith("Pane is dead")).map((line) => line.trimEnd());
  }

  private tmux(args: string[]): string {
    const result = spawnSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`tmux ${args.join(" ")}: ${result.stderr}`);
    return result.stdout;
  }
}
