/**
 * Plain lines, one or more per event, no spinners and no escape codes: the output off a terminal and in CI.
 * The line formats (lines.ts) are shared with the TTY reporter, which prints the same details and recap after its
 * live tree.
 */
import type { LastApplied, RunEvent } from "../events.js";
import { detailLines, statusLine, taskBanner, warningLine } from "./lines.js";
import { formatRecap, RecapTally } from "./recap.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { banner, flush, sanitize } from "./text.js";

export class PlainReporter implements Reporter {
  private readonly options: ReporterOptions;
  private readonly tally = new RecapTally();
  private startedAt: number | undefined;
  private currentTask: string | undefined;
  private currentHandler = false;
  private recapShown = false;

  constructor(options: ReporterOptions) {
    this.options = options;
  }

  onEvent(e: RunEvent): void {
    this.startedAt ??= Date.now();
    const lines = this.linesFor(e);
    if (lines.length > 0) this.options.out.write(sanitize(`${lines.join("\n")}\n`));
  }

  async close(): Promise<void> {
    if (!this.recapShown && this.startedAt !== undefined) {
      this.options.out.write(sanitize(`\n${formatRecap(this.tally.stats(), Date.now() - this.startedAt)}`));
      this.recapShown = true;
    }
    await flush(this.options.out);
  }

  private linesFor(e: RunEvent): string[] {
    const { verbosity } = this.options;
    switch (e.type) {
      case "run_start": {
        this.startedAt = Date.parse(e.startedAt);
        if (Number.isNaN(this.startedAt)) this.startedAt = Date.now();
        if (verbosity < 1) return [];
        const modes = [e.check ? "check mode" : "", e.diff ? "diff" : ""].filter((m) => m !== "");
        return [`PLAYBOOK: ${e.playbooks.join(", ")}${modes.length > 0 ? ` (${modes.join(", ")})` : ""}`];
      }
      case "play_start":
        this.currentTask = undefined;
        return ["", banner(`PLAY [${e.name}]`)];
      case "task_start":
        this.currentTask = e.name;
        this.currentHandler = e.handler;
        return ["", taskBanner(e.name, e.handler), ...(verbosity >= 2 && e.where !== undefined ? [`task path: ${e.where}`] : [])];
      case "task_result": {
        this.tally.add(e);
        // A result of another task than the last header (hosts running at their own pace) gets its header again.
        const header = e.task === this.currentTask ? [] : ["", taskBanner(e.task, this.currentHandler)];
        this.currentTask = e.task;
        return [...header, statusLine(e, this.options), ...detailLines(e, this.options)];
      }
      case "host_connected":
        return verbosity >= 3 ? [`connected: [${e.host}] in ${(e.durationMs / 1000).toFixed(2)}s`] : [];
      case "host_play_start":
      case "host_play_end":
        return [];
      case "host_profile":
        return verbosity >= 3
          ? [`profile: [${e.host}] ${e.execs} round trips (${e.execMs} ms), connect ${e.connectMs} ms, fact prefetch ${e.prefetchMs} ms`]
          : [];
      case "host_state":
        return verbosity >= 1 ? [lastAppliedLine(e.host, e.lastApplied)] : [];
      case "warning":
        return [warningLine(e.message, e.host)];
      case "recap":
        this.recapShown = true;
        return ["", formatRecap(e.hosts, e.elapsedMs).slice(0, -1)];
      case "run_end":
        return [];
    }
  }
}

/** "-v": when and from which commit the host was last converged. */
export function lastAppliedLine(host: string, last: LastApplied | undefined): string {
  if (!last) return `host: [${host}] has no record of a converging run`;
  return `host: [${host}] last converged ${last.at} by ${last.playbook}${last.commit ? ` at commit ${last.commit.slice(0, 12)}` : ""}`;
}
