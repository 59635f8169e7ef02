/**
 * run_once as Ansible's linear strategy runs it: the first host of the batch, in play order, still in the run runs
 * the task; the other hosts report nothing and take its result: registered under their own names too, with what
 * the task set (set_fact values, returned facts); its failure fails them all. Hosts here run at their own pace, so
 * a host that reaches the task first waits for the host that runs it, or for that host to leave the play.
 */
import type { Vars } from "../types.js";
import type { TaskOutcome } from "./run-task.js";

/** A run_once task's outcome and what it set on the host that ran it. */
export interface OnceOutcome {
  outcome: TaskOutcome;
  /** Registered results, set_fact and include_vars values the task set (HostRun.hostFacts entries). */
  set: Vars;
  /** Facts the task's module returned (HostRun.moduleFacts entries). */
  returned: Vars;
}

export class RunOnce {
  private readonly outcomes = new WeakMap<object, Promise<OnceOutcome>>();
  /** Hosts whose play on this batch ended: they run no more tasks. */
  private readonly gone = new Set<string>();
  private waiting: (() => void)[] = [];

  constructor(
    /** The batch's hosts in play order. */
    private readonly order: readonly string[],
    private readonly active: (host: string) => boolean,
  ) {}

  /** The task's outcome: run by `host` when it is the first host still in the play, else the one that did. */
  async take(task: object, host: string, run: () => Promise<OnceOutcome>): Promise<{ once: OnceOutcome; ran: boolean }> {
    for (;;) {
      const found = this.outcomes.get(task);
      if (found) return { once: await found, ran: false };
      const runner = this.order.find((name) => !this.gone.has(name) && this.active(name)) ?? host;
      if (runner === host) {
        const running = run();
        this.outcomes.set(task, running);
        this.wake();
        return { once: await running, ran: true };
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** `host`'s play ended (done, failed or unreachable): a host waiting for it looks again. */
  left(host: string): void {
    this.gone.add(host);
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/** The entries of `after` that are new or other than in `before`: what a task set. */
export function changedEntries(before: Vars | undefined, after: Vars | undefined): Vars {
  const changed: Vars = {};
  for (const [key, value] of Object.entries(after ?? {})) if (before?.[key] !== value) changed[key] = value;
  return changed;
}
