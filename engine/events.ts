/**
 * Typed events: the engine emits them, reporters render them (a live view on a TTY, plain lines, --json).
 * Every string in an event has already passed through the secret mask.
 */
import type { Differences, FileDiff } from "./diff-types.js";

export type TaskStatus = "ok" | "changed" | "skipped" | "failed" | "unreachable" | "unknown";

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
  unknown: number;
  /**
   * Tasks that warned: warning findings (tasks tagged `finding` that ran, engine/execute/findings.ts) and results
   * that came with warnings (a module's, or a tool's it ran: engine/tool-warnings.ts).
   */
  warnings: number;
  /**
   * An audit's differences (engine/differences.ts): hunks and changes that undo a hand edit, and that bring a change
   * of the playbook, over every result (each loop item's); a hunk that is both counts in each.
   */
  drift: number;
  pending: number;
}

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0, unknown: 0, warnings: 0, drift: 0, pending: 0 };
}

/**
 * Where a task is in the play as each host walks it, numbers compared in turn: the section (pre_tasks, roles and
 * tasks, post_tasks), the task's place in it, in a block (its tasks, rescue, always) and in an included file (after
 * the include's loop item); a handler is at its flush point, then at its place among the play's handlers. Every
 * host goes through its play in this order, whatever its pace and path, so results of hosts at different paces can
 * be laid out as Ansible's linear strategy prints them.
 */
export type TaskOrder = readonly number[];

/** Negative, zero or positive as A comes before, at or after B in the play's order. */
export function compareOrder(a: TaskOrder, b: TaskOrder): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

/** Gathering Facts comes before every task (and the handlers an interrupted run left come right after it). */
export const GATHERING_FACTS_ORDER: TaskOrder = [-1];

export interface TaskResultEvent {
  type: "task_result";
  host: string;
  task: string;
  /** "file:line:col" of the task. */
  where?: string | undefined;
  order?: TaskOrder | undefined;
  status: TaskStatus;
  /** delegate_to: the host (or localhost) the task ran on for this host. */
  delegatedTo?: string | undefined;
  /** Loop item label, when the result is one item of a loop. */
  item?: string | undefined;
  /** Changed: what changed, one line. */
  summary?: string | undefined;
  /** Ok/skipped/unknown: why (shown with -v). */
  reason?: string | undefined;
  /** Failed/unreachable: the error, with its code. */
  error?: { code: string; message: string } | undefined;
  /** Failed but ignore_errors was set. */
  ignored?: boolean | undefined;
  diffs?: readonly FileDiff[] | undefined;
  warnings?: readonly string[] | undefined;
  /** `debug` output: the message of `msg:`. */
  msg?: unknown;
  /** `debug var=`: the variable's name and value, shown as Ansible shows them (`{ "name": value }`). */
  debugVar?: Readonly<Record<string, unknown>> | undefined;
  /** With -v: the commands the task ran or would run. */
  commands?: readonly string[] | undefined;
  /**
   * Check mode, a change found: "drift" when one of its differences undoes an edit of the host since the last
   * apply (someone edited it), "pending" when they all bring a change of the wanted state since then (the playbook
   * is not deployed yet). `differences` counts each kind; each diff's `hunks` says which hunk is which.
   */
  drift?: "drift" | "pending" | undefined;
  differences?: Differences | undefined;
  /** A warning finding (a task tagged `finding` ran): what it found, for the recap and the top of the report. */
  finding?: string | undefined;
  durationMs: number;
}

/** What the host's record says about its last converging run (from /var/lib/rems-play/). */
export interface LastApplied {
  /** ISO time the last normal run finished on the host. */
  at: string;
  playbook: string;
  /** Git commit of the playbook's repository at that run, when it was in a repository. */
  commit?: string | undefined;
}

export interface RunInputs {
  limit?: string | undefined;
  tags: readonly string[];
  skipTags: readonly string[];
  /** The names of the -e variables. */
  extraVars: readonly string[];
}

/** Git commit (and whether the work tree had uncommitted changes) of a file's repository. */
export interface SourceVersion {
  path: string;
  commit?: string | undefined;
  dirty?: boolean | undefined;
}

export type RunEvent =
  | {
      type: "run_start";
      playbooks: readonly string[];
      inventories: readonly string[];
      /** The playbooks' and inventories' git commits, for the audit report. */
      sources: readonly SourceVersion[];
      check: boolean;
      diff: boolean;
      /** What the command line selected and set: the report names them (-e by name only: values may be secrets). */
      inputs: RunInputs;
      startedAt: string;
    }
  | { type: "play_start"; name: string; hosts: readonly string[] }
  | { type: "task_start"; name: string; handler: boolean; where?: string | undefined; order?: TaskOrder | undefined }
  | TaskResultEvent
  /**
   * A play's work on a host begins (a fork is free for it) and ends (it finished the play, failed, was unreachable
   * or the run stopped): the host's events of the play come between the two. Hosts run at their own pace, so the
   * terminal view knows from these which hosts a task may still hear from.
   */
  | { type: "host_play_start"; host: string }
  | { type: "host_play_end"; host: string }
  | { type: "host_connected"; host: string; durationMs: number }
  /** At the end of the run (shown with -vvv): where the host's time went, for speed work (issue 7). */
  | { type: "host_profile"; host: string; execs: number; execMs: number; connectMs: number; prefetchMs: number }
  /** After connecting: the host's last converging run, or undefined when it has none recorded. */
  | { type: "host_state"; host: string; lastApplied: LastApplied | undefined }
  | { type: "warning"; host?: string | undefined; message: string }
  | { type: "recap"; hosts: Readonly<Record<string, HostStats>>; elapsedMs: number }
  | { type: "run_end"; exitCode: number; elapsedMs: number };

export type EventSink = (event: RunEvent) => void;
