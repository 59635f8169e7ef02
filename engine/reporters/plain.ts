/**
 * Plain lines, one or more per event, no spinners and no escape codes: the output off a terminal and in CI.
 * The line formats are shared with the TTY reporter, which prints the same details and recap after its live tree.
 */
import { renderDiff } from "../diff.js";
import type { LastApplied, RunEvent, TaskResultEvent } from "../events.js";
import { formatRecap, RecapTally } from "./recap.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { banner, flush, sanitize, toJson } from "./text.js";

export interface LineOptions {
  verbosity: number;
  diff: boolean;
  /** Colored diffs, for a terminal only. */
  color?: boolean;
}

/**
 * "changed: [lab1] => (item=nginx) install nginx", "changed: [lab1] (drift) write /etc/nginx/nginx.conf": the
 * status, the host, and why or what in one line.
 */
export function statusLine(e: TaskResultEvent, options: LineOptions): string {
  const status = e.status === "failed" && e.ignored === true ? "failed (ignored)" : e.status;
  let line = `${status}: [${e.host}]`;
  if (e.item !== undefined) line += ` => (item=${e.item})`;
  if (e.msg !== undefined) return `${line} => {`;
  const detail = statusDetail(e, options.verbosity);
  return detail === undefined || detail === "" ? line : `${line} ${detail}`;
}

function statusDetail(e: TaskResultEvent, verbosity: number): string | undefined {
  switch (e.status) {
    case "changed":
      // Check mode says why a change is found: the host was edited (drift) or the playbook moved on (pending).
      return e.drift === undefined ? e.summary : `(${e.drift})${e.summary === undefined ? "" : ` ${e.summary}`}`;
    case "ok":
      return verbosity >= 1 ? e.reason : undefined;
    case "skipped":
      return verbosity >= 1 && e.reason !== undefined ? `(${e.reason})` : undefined;
    case "unknown":
      return e.reason;
    case "failed":
    case "unreachable":
      return e.error === undefined ? undefined : `${e.error.code}: ${firstLine(e.error.message)}`;
  }
}

/** What follows the status line: the rest of an error, debug output, commands (-vv), diffs (--diff), warnings. */
export function detailLines(e: TaskResultEvent, options: LineOptions): string[] {
  const lines: string[] = [];
  if (e.error !== undefined) lines.push(...restLines(e.error.message).map((l) => `    ${l}`));
  if (e.msg !== undefined) lines.push(...showMsg(e.msg).split("\n").slice(1));
  if (options.verbosity >= 2) lines.push(...(e.commands ?? []).map((c) => `    $ ${c}`));
  if (options.diff) {
    for (const d of e.diffs ?? []) {
      const text = renderDiff(d, options.color === true ? { color: true } : {});
      if (text !== "") lines.push(...text.slice(0, -1).split("\n"));
    }
  }
  lines.push(...(e.warnings ?? []).map((w) => warningLine(w, e.host)));
  return lines;
}

/** A debug message as Ansible shows it: `{ "msg": ... }` indented by 4; a value JSON cannot hold, as text. */
function showMsg(msg: unknown): string {
  try {
    return toJson({ msg }, 4);
  } catch {
    return toJson({ msg: String(msg) }, 4);
  }
}

export function warningLine(message: string, host?: string): string {
  return host === undefined ? `[WARNING]: ${message}` : `[WARNING]: [${host}] ${message}`;
}

function firstLine(text: string): string {
  const end = text.indexOf("\n");
  return end === -1 ? text : text.slice(0, end);
}

function restLines(text: string): string[] {
  return text.split("\n").slice(1).filter((l) => l.trim() !== "");
}

export function taskBanner(name: string, handler: boolean): string {
  return banner(`${handler ? "RUNNING HANDLER" : "TASK"} [${name}]`);
}

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
