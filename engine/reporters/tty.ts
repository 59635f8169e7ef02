/**
 * On a terminal: Ansible's linear layout for hosts that run at their own pace, with a live area under it.
 *
 * Above: each task's block (its header, then one line per host with the host's mark and status, and the details
 * under it), printed in task order once every host at work has reported to it or moved past it (task-blocks.ts),
 * hosts in inventory order; a play's header; the recap. These lines stay in the scrollback and fit the terminal's
 * width. Below, redrawn ten times a second: a lane per host (lanes.ts) saying where each one is now, so a slow host
 * holding back the blocks above is seen at once.
 *
 * Rendering must never break a run: if drawing throws, the reporter replays the events it has not shown into a
 * PlainReporter and continues with plain lines.
 */
import type { WriteStream } from "node:tty";
import type { RunEvent } from "../events.js";
import { Lanes } from "./lanes.js";
import { LiveArea } from "./live-area.js";
import { PlainReporter } from "./plain.js";
import { RecapTally } from "./recap.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { painter, type Paint } from "./style.js";
import { TaskBlocks, type LayoutItem } from "./task-blocks.js";
import { flush, sanitizeDeep } from "./text.js";
import { itemLines, recapLines, type ScreenOptions } from "./tty-lines.js";

/** The live view draws on a real terminal stream (it moves the cursor and reads the terminal's size). */
export type TtyReporterOptions = ReporterOptions & { out: WriteStream };

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 100;

export class TtyReporter implements Reporter {
  private readonly options: TtyReporterOptions;
  private readonly area: LiveArea;
  private readonly color: boolean;
  private readonly paint: Paint;
  private readonly blocks = new TaskBlocks();
  private readonly lanes = new Lanes();
  private readonly tally = new RecapTally();
  /** Events not yet on the screen, in arrival order: replayed into the plain reporter if drawing fails. */
  private readonly unshown = new Set<RunEvent>();
  private fallback: PlainReporter | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private startedAt = Date.now();
  private recap: Extract<RunEvent, { type: "recap" }> | undefined;

  constructor(options: TtyReporterOptions) {
    this.options = options;
    this.area = new LiveArea(options.out);
    this.color = options.out.hasColors();
    this.paint = painter(this.color);
  }

  onEvent(event: RunEvent): void {
    if (this.fallback !== undefined) {
      this.fallback.onEvent(event);
      return;
    }
    try {
      // Text from hosts (command output, file contents) must not move the cursor or colour the screen.
      this.handle(sanitizeDeep(event));
    } catch (error) {
      this.fail(error);
    }
  }

  async close(): Promise<void> {
    if (this.fallback === undefined) {
      try {
        this.finish();
      } catch (error) {
        this.fail(error);
      }
    }
    if (this.fallback !== undefined) await this.fallback.close();
    await flush(this.options.out);
  }

  private handle(e: RunEvent): void {
    switch (e.type) {
      case "run_start":
        this.startedAt = Date.now();
        return;
      case "play_start":
        this.blocks.playStart(e);
        this.lanes.playStart(e.hosts);
        this.ticker ??= setInterval(() => this.tick(), FRAME_MS).unref();
        break;
      case "task_start":
        this.blocks.taskStart(e);
        break;
      case "host_play_start":
        this.blocks.hostStart(e.host);
        this.lanes.start(e.host);
        break;
      case "host_play_end":
        this.blocks.hostEnd(e.host);
        this.lanes.end(e.host);
        break;
      case "host_connected":
        this.lanes.connected(e.host);
        break;
      case "task_result":
        this.tally.add(e);
        this.blocks.result(e);
        this.lanes.result(e);
        break;
      case "warning":
        this.blocks.warning(e);
        break;
      case "recap":
        this.recap = e;
        break;
      case "host_state":
      case "host_profile":
      case "run_end":
        return;
    }
    // What the blocks, the notes and the recap will print; the other events are shown as the lanes' state.
    if (e.type === "play_start" || e.type === "task_start" || e.type === "task_result" || e.type === "warning" || e.type === "recap") this.unshown.add(e);
  }

  private tick(): void {
    if (this.fallback !== undefined) return;
    try {
      this.draw(this.blocks.takeComplete(), this.liveLines());
    } catch (error) {
      this.fail(error);
    }
  }

  /** The run is over: everything left is printed, the live area goes, the recap (the engine's or our tally's) ends it. */
  private finish(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    const hosts = this.recap?.hosts ?? this.tally.stats();
    const elapsedMs = this.recap?.elapsedMs ?? Date.now() - this.startedAt;
    this.draw(this.blocks.takeAll(), []);
    this.area.draw(Object.keys(hosts).length > 0 ? recapLines(hosts, elapsedMs, this.screen()) : [], []);
    this.unshown.clear();
  }

  private draw(items: readonly LayoutItem[], live: readonly string[]): void {
    const screen = this.screen();
    this.area.draw(items.flatMap((item) => itemLines(item, screen)), live);
    for (const item of items) for (const e of item.events) this.unshown.delete(e);
  }

  private liveLines(): string[] {
    const frame = FRAMES[Math.floor(Date.now() / FRAME_MS) % FRAMES.length] ?? "";
    // Half the screen at most: the other half shows the blocks as they come.
    const height = Math.max(2, Math.floor(this.area.rows / 2));
    return this.lanes.lines({
      width: this.area.columns,
      height,
      paint: this.paint,
      frame,
      elapsedMs: Date.now() - this.startedAt,
      stats: this.tally.stats(),
      taskOf: (host) => this.blocks.taskOf(host),
    });
  }

  private screen(): ScreenOptions {
    return { verbosity: this.options.verbosity, diff: this.options.diff, color: this.color, width: this.area.columns, paint: this.paint };
  }

  private fail(error: unknown): void {
    if (this.fallback !== undefined) return;
    clearInterval(this.ticker);
    this.ticker = undefined;
    try {
      this.area.clear();
    } catch {
      // The terminal may be what failed; the plain reporter takes over regardless.
    }
    const reason = error instanceof Error ? error.message : String(error);
    this.options.err.write(`rems-play: live output failed (${reason}); continuing with plain output\n`);
    this.fallback = new PlainReporter(this.options);
    for (const e of this.unshown) this.fallback.onEvent(e);
    this.unshown.clear();
  }
}
