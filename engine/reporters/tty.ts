/**
 * On a terminal: a live tree per task (listr2), TASK → one line per host with its status, under a static PLAY
 * header, and an ora spinner while hosts are being connected. Details a tree line cannot hold (diffs, debug
 * output, warnings, -vv commands) are printed as plain lines when the task ends; the recap is the plain one.
 *
 * Rendering must never break a run: if listr2 or ora throw, the reporter replays the events it has not finished
 * rendering into a PlainReporter and continues with plain lines.
 */
import { color, Listr, ListrLogger, ProcessOutput, type ListrTask } from "listr2";
import { WriteStream } from "node:tty";
import ora, { type Ora } from "ora";
import type { RunEvent, TaskResultEvent } from "../events.js";
import { detailLines, statusLine, taskBanner, warningLine, type LineOptions } from "./lines.js";
import { PlainReporter } from "./plain.js";
import { formatRecap, RecapTally, STATUS_WEIGHT } from "./recap.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { banner, flush } from "./text.js";

/** One task's tree: a line per host that is open until the host's result arrives (or the task ends). */
class TaskView {
  /** The task_start event and everything rendered with this tree (results, warnings). */
  readonly events: RunEvent[] = [];
  readonly results: TaskResultEvent[] = [];
  readonly warnings: string[] = [];
  private readonly settle = new Map<string, (result: TaskResultEvent | undefined) => void>();
  private readonly waiting = new Map<string, Promise<TaskResultEvent | undefined>>();
  private readonly itemResults = new Map<string, TaskResultEvent[]>();

  constructor(
    readonly start: Extract<RunEvent, { type: "task_start" }>,
    readonly hosts: readonly string[],
  ) {
    this.events.push(start);
    for (const host of hosts) {
      this.waiting.set(host, new Promise((resolve) => this.settle.set(host, resolve)));
    }
  }

  /** A loop reports a result per item: the host line stays open until the task ends, then sums the items up. */
  deliver(result: TaskResultEvent): void {
    this.events.push(result);
    this.results.push(result);
    if (result.item === undefined) this.settle.get(result.host)?.(result);
    else this.itemResults.set(result.host, [...(this.itemResults.get(result.host) ?? []), result]);
  }

  /** The task is over: hosts that reported only loop items settle with their sum, the others with nothing. */
  finish(): void {
    for (const [host, resolve] of this.settle) {
      const items = this.itemResults.get(host);
      resolve(items === undefined ? undefined : sumItems(items));
    }
  }

  result(host: string): Promise<TaskResultEvent | undefined> {
    return this.waiting.get(host) ?? Promise.resolve(undefined);
  }
}

/** The live tree draws on a real terminal stream (listr2 and ora move the cursor and read its width). */
export type TtyReporterOptions = ReporterOptions & { out: WriteStream };

/** One result for a whole loop: "changed: [lab1] install nginx, install sqlite3" (what changed, over all items). */
function sumItems(items: readonly TaskResultEvent[]): TaskResultEvent {
  const worst = items.reduce((a, b) => (STATUS_WEIGHT[b.status] > STATUS_WEIGHT[a.status] ? b : a));
  const summaries = items.flatMap((i) => (i.status === "changed" && i.summary !== undefined ? [i.summary] : []));
  return { ...worst, item: undefined, summary: summaries.join(", "), reason: `${items.length} items` };
}

/** Host names for a one-line spinner: all of a few, the first three of many. */
function hostList(hosts: readonly string[]): string {
  return hosts.length <= 4 ? hosts.join(", ") : `${hosts.slice(0, 3).join(", ")} and ${hosts.length - 3} more`;
}

export class TtyReporter implements Reporter {
  private readonly options: TtyReporterOptions;
  private readonly lineOptions: LineOptions;
  private readonly tally = new RecapTally();
  /** Rendering work, in event order: a listr2 tree owns the terminal until it ends. */
  private queue: Promise<void> = Promise.resolve();
  /** Events not yet on the screen, in arrival order: replayed into the plain reporter if rendering fails. */
  private readonly unrendered = new Set<RunEvent>();
  private fallback: PlainReporter | undefined;
  /** The task whose results are arriving now (its tree may still wait in the queue for the previous one). */
  private latest: TaskView | undefined;
  /** The tree on the screen and the end of its listr2 run (the error if it failed, handled in endShown). */
  private shown: { view: TaskView; done: Promise<Error | undefined> } | undefined;
  private spinner: Ora | undefined;
  private playHosts: readonly string[] = [];
  /** Hosts that failed or became unreachable in this play: later tasks no longer run on them. */
  private readonly downHosts = new Set<string>();
  private readonly connected = new Set<string>();
  private startedAt: number | undefined;
  private recapShown = false;

  constructor(options: TtyReporterOptions) {
    this.options = options;
    this.lineOptions = { verbosity: options.verbosity, diff: options.diff, color: true };
  }

  onEvent(e: RunEvent): void {
    if (this.fallback !== undefined) {
      this.fallback.onEvent(e);
      return;
    }
    this.startedAt ??= Date.now();
    this.unrendered.add(e);
    try {
      this.handle(e);
    } catch (error) {
      this.fail(error);
    }
  }

  async close(): Promise<void> {
    this.finishLatest();
    this.enqueue(async () => {
      await this.endShown();
      this.stopSpinner();
      if (!this.recapShown && this.startedAt !== undefined) {
        this.write(`\n${formatRecap(this.tally.stats(), Date.now() - this.startedAt)}`);
        this.recapShown = true;
      }
    });
    await this.queue;
    if (this.fallback !== undefined) await this.fallback.close();
    await flush(this.options.out);
  }

  private handle(e: RunEvent): void {
    switch (e.type) {
      case "run_start":
        this.startedAt = Date.parse(e.startedAt) || Date.now();
        this.unrendered.delete(e);
        return;
      case "play_start":
        this.finishLatest();
        this.playHosts = e.hosts;
        this.downHosts.clear();
        this.connected.clear();
        this.enqueue(async () => {
          await this.endShown();
          this.write(`\n${color.bold(banner(`PLAY [${e.name}]`))}\n`);
          this.startSpinner(`connecting to ${hostList(e.hosts)}`);
          this.unrendered.delete(e);
        });
        return;
      case "host_profile":
      case "host_state":
        this.unrendered.delete(e);
        return;
      case "host_connected":
        this.unrendered.delete(e);
        this.enqueue(() => {
          this.connected.add(e.host);
          const waiting = this.playHosts.filter((h) => !this.connected.has(h));
          if (this.spinner !== undefined) this.spinner.text = `connecting to ${hostList(waiting)} (connected: ${this.connected.size} of ${this.playHosts.length})`;
          return Promise.resolve();
        });
        return;
      case "task_start":
        this.openView(e);
        return;
      case "task_result":
        this.tally.add(e);
        // Results before any task of the play (the engine's per-host "Gathering Facts") get a tree of their own.
        if (this.latest === undefined) this.openView({ type: "task_start", name: e.task, handler: false });
        if (this.latest?.start.name === e.task) {
          this.latest.deliver(e);
        } else {
          // A result of an earlier task (hosts running at their own pace) is printed as plain lines.
          this.enqueue(() => {
            this.stopSpinner();
            this.writeLines(["", taskBanner(e.task, false), statusLine(e, this.lineOptions), ...detailLines(e, this.lineOptions)]);
            this.unrendered.delete(e);
            return Promise.resolve();
          });
        }
        if ((e.status === "failed" && e.ignored !== true) || e.status === "unreachable") this.downHosts.add(e.host);
        return;
      case "warning":
        if (this.latest !== undefined) {
          this.latest.events.push(e);
          this.latest.warnings.push(warningLine(e.message, e.host));
          return;
        }
        this.enqueue(() => {
          this.stopSpinner();
          this.write(`${color.yellow(warningLine(e.message, e.host))}\n`);
          this.unrendered.delete(e);
          return Promise.resolve();
        });
        return;
      case "recap":
        this.finishLatest();
        this.enqueue(async () => {
          await this.endShown();
          this.stopSpinner();
          this.write(`\n${formatRecap(e.hosts, e.elapsedMs)}`);
          this.recapShown = true;
          this.unrendered.delete(e);
        });
        return;
      case "run_end":
        this.unrendered.delete(e);
        return;
    }
  }

  /** Starts the tree of a task once the previous tree has ended; results arriving meanwhile wait in the view. */
  private openView(start: Extract<RunEvent, { type: "task_start" }>): void {
    this.finishLatest();
    const view = new TaskView(start, this.playHosts.filter((h) => !this.downHosts.has(h)));
    this.latest = view;
    this.enqueue(async () => {
      await this.endShown();
      this.stopSpinner();
      const done = this.runTree(view).then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      );
      this.shown = { view, done };
    });
  }

  /** No more results come for the latest task once another task, play or the recap starts. */
  private finishLatest(): void {
    this.latest?.finish();
    this.latest = undefined;
  }

  private runTree(view: TaskView): Promise<unknown> {
    const { out, err } = this.options;
    // listr2 holds back writes to both streams while it draws; a non-terminal stderr is left to itself.
    const processOutput = new ProcessOutput(out, err instanceof WriteStream ? err : undefined);
    const listr = new Listr<unknown>(
      [
        {
          title: color.bold(taskBanner(view.start.name, view.start.handler)),
          task: (_ctx, task) => task.newListr(view.hosts.map((h) => this.hostTask(view, h)), { concurrent: true, exitOnError: false }),
        },
      ],
      {
        exitOnError: false,
        registerSignalListeners: false,
        fallbackRendererCondition: false,
        rendererOptions: {
          collapseSubtasks: false,
          collapseSkips: true,
          collapseErrors: false,
          showErrorMessage: true,
          logger: new ListrLogger({ processOutput }),
        },
      },
    );
    return listr.run();
  }

  private hostTask(view: TaskView, host: string): ListrTask<unknown> {
    return {
      title: host,
      task: async (_ctx, task) => {
        const result = await view.result(host);
        if (result === undefined) {
          task.skip(`${host}: no result`);
          return;
        }
        // The tree line is the status line; a debug message's "=> {" block follows the tree.
        const line = statusLine(result, this.lineOptions).replace(/ => \{$/, "");
        switch (result.status) {
          case "skipped":
            task.skip(line);
            return;
          case "failed":
          case "unreachable":
            // The title says who failed; listr2 prints the error (first line) under it, the rest follows the tree.
            task.title = color.red(line.slice(0, line.indexOf("]") + 1));
            throw new Error(line.slice(line.indexOf("]") + 2));
          case "changed":
            task.title = color.yellow(line);
            return;
          case "unknown":
            task.title = color.magenta(line);
            return;
          case "ok":
            task.title = color.green(line);
            return;
        }
      },
    };
  }

  /** Waits for the tree on the screen to end, then prints the details of its results below it. */
  private async endShown(): Promise<void> {
    const shown = this.shown;
    if (shown === undefined) return;
    const error = await shown.done;
    this.shown = undefined;
    if (error !== undefined) throw error;
    for (const result of shown.view.results) {
      const details = detailLines(result, this.lineOptions);
      // A host without a line in the tree (not in the play's host list, e.g. delegated) still gets its status.
      if (details.length > 0 || !shown.view.hosts.includes(result.host)) this.writeLines([statusLine(result, this.lineOptions), ...details]);
    }
    this.writeLines(shown.view.warnings.map((w) => color.yellow(w)));
    for (const e of shown.view.events) this.unrendered.delete(e);
  }

  private startSpinner(text: string): void {
    this.stopSpinner();
    this.spinner = ora({ text, stream: this.options.out, discardStdin: false }).start();
  }

  private stopSpinner(): void {
    this.spinner?.stop();
    this.spinner = undefined;
  }

  /** Queued work is dropped once rendering has failed: the plain reporter owns the output from then on. */
  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue
      .then(() => (this.fallback === undefined ? work() : undefined))
      .catch((error: unknown) => { this.fail(error); });
  }

  private fail(error: unknown): void {
    if (this.fallback !== undefined) return;
    try {
      this.spinner?.stop();
    } catch {
      // The spinner may be what failed; the plain reporter takes over regardless.
    }
    const reason = error instanceof Error ? error.message : String(error);
    this.options.err.write(`rems-play: live output failed (${reason}); continuing with plain output\n`);
    this.fallback = new PlainReporter(this.options);
    for (const e of this.unrendered) this.fallback.onEvent(e);
    this.unrendered.clear();
    this.recapShown = true;
  }

  private write(text: string): void {
    this.options.out.write(text);
  }

  private writeLines(lines: readonly string[]): void {
    if (lines.length > 0) this.write(`${lines.join("\n")}\n`);
  }
}
