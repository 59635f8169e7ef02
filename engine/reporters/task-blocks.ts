/**
 * Ansible's linear layout for hosts that run at their own pace: the run as a list of blocks, one per task, each
 * holding every host's result of that task, handed out in order once no host can add to them any more.
 *
 * Hosts run in parallel and each goes through the play by itself, so results of different tasks interleave and a
 * task_start comes once per task, from the first host to reach it. Each host has a cursor, the block it reported to
 * last, and moves only forward: its result joins the first open block of the same task after its cursor, or opens a
 * new block at the end (a host that started late, or took another path, gets the task's header again, as hosts of
 * another serial batch do in Ansible). A block is complete when every host at work in the play has moved past it
 * or given its final result there (a loop's items are final once the host moves on), and hosts that have not
 * started (waiting for a fork) are not waited for.
 */
import type { RunEvent, TaskResultEvent } from "../events.js";

export interface TaskBlock {
  kind: "task";
  index: number;
  name: string;
  handler: boolean;
  /** The task's file:line:col (none for Gathering Facts). */
  where: string | undefined;
  /** Each host's results, hosts in the order they first reported. */
  results: Map<string, TaskResultEvent[]>;
  /** Warnings of a host that arrived while this was its block, shown under its results. */
  warnings: Map<string, string[]>;
  /** Every event this block renders (for a reporter that must replay what it has not shown). */
  events: RunEvent[];
}

/** A line of its own in the run's order: a play's header, or a warning that belongs to no task. */
export interface NoteItem {
  kind: "play" | "warning";
  index: number;
  text: string;
  host?: string | undefined;
  events: RunEvent[];
}

export type LayoutItem = TaskBlock | NoteItem;

/** Whether a result is of BLOCK's task: the same file:line:col where both have one, else the same name. */
function sameTask(block: { where: string | undefined; name: string }, e: TaskResultEvent): boolean {
  return block.where !== undefined && e.where !== undefined ? block.where === e.where : block.name === e.task;
}

export class TaskBlocks {
  private pending: LayoutItem[] = [];
  private nextIndex = 0;
  private readonly cursor = new Map<string, TaskBlock>();
  private readonly started = new Set<string>();
  private readonly ended = new Set<string>();
  /** The tasks seen starting, for the header of a block a late host opens (a handler's says so). */
  private readonly known: { name: string; where: string | undefined; handler: boolean }[] = [];

  /** A new play: what is left of the last one can be handed out whole; hosts start over. */
  playStart(e: Extract<RunEvent, { type: "play_start" }>): void {
    this.cursor.clear();
    this.started.clear();
    this.ended.clear();
    this.pending.push({ kind: "play", index: this.nextIndex++, text: e.name, events: [e] });
  }

  taskStart(e: Extract<RunEvent, { type: "task_start" }>): void {
    this.known.push({ name: e.name, where: e.where, handler: e.handler });
    this.pending.push(this.newBlock(e.name, e.handler, e.where, e));
  }

  hostStart(host: string): void {
    this.started.add(host);
    this.ended.delete(host);
  }

  hostEnd(host: string): void {
    this.ended.add(host);
  }

  result(e: TaskResultEvent): void {
    this.hostStart(e.host);
    const at = this.cursor.get(e.host);
    const current = at !== undefined && sameTask(at, e) && this.pending.includes(at) ? at : undefined;
    const block = current ?? this.openBlockAfter(e, at?.index ?? -1) ?? this.appendBlock(e);
    block.results.set(e.host, [...(block.results.get(e.host) ?? []), e]);
    block.events.push(e);
    this.cursor.set(e.host, block);
  }

  /** A warning: under the host's results in its current block while that is open, else a line of its own. */
  warning(e: Extract<RunEvent, { type: "warning" }>): void {
    const block = e.host === undefined ? undefined : this.cursor.get(e.host);
    if (e.host !== undefined && block !== undefined && this.pending.includes(block)) {
      block.warnings.set(e.host, [...(block.warnings.get(e.host) ?? []), e.message]);
      block.events.push(e);
      return;
    }
    this.pending.push({ kind: "warning", index: this.nextIndex++, text: e.message, host: e.host, events: [e] });
  }

  /** The items at the front that are complete, in order; they leave the layout. */
  takeComplete(): LayoutItem[] {
    const ready = this.pending.findIndex((item) => !this.complete(item));
    return this.pending.splice(0, ready === -1 ? this.pending.length : ready);
  }

  /** Everything left, complete or not (the run is over). */
  takeAll(): LayoutItem[] {
    return this.pending.splice(0);
  }

  /** The first block still open and the hosts it waits for, if any. */
  waiting(): { block: TaskBlock; hosts: string[] } | undefined {
    const block = this.pending.find((item): item is TaskBlock => item.kind === "task" && !this.complete(item));
    return block === undefined ? undefined : { block, hosts: this.holding(block) };
  }

  private complete(item: LayoutItem): boolean {
    return item.kind !== "task" || this.holding(item).length === 0;
  }

  /** The hosts at work that may still report to BLOCK. */
  private holding(block: TaskBlock): string[] {
    return [...this.started].filter((host) => {
      if (this.ended.has(host)) return false;
      const at = this.cursor.get(host);
      if (at === undefined || at.index < block.index) return true;
      // A loop reports item by item: its host may add more until it moves on.
      return at === block && block.results.get(host)?.at(-1)?.item !== undefined;
    });
  }

  /**
   * The task HOST is at or will most likely do next: a loop it is in the middle of, else the first open block
   * after its cursor (hosts go through the tasks in the same order unless their paths part).
   */
  taskOf(host: string): string | undefined {
    const at = this.cursor.get(host);
    if (at !== undefined && this.pending.includes(at) && at.results.get(host)?.at(-1)?.item !== undefined) return at.name;
    return this.pending.find((item): item is TaskBlock => item.kind === "task" && item.index > (at?.index ?? -1))?.name;
  }

  private openBlockAfter(e: TaskResultEvent, index: number): TaskBlock | undefined {
    return this.pending.find((item): item is TaskBlock => item.kind === "task" && sameTask(item, e) && item.index > index);
  }

  private appendBlock(e: TaskResultEvent): TaskBlock {
    const handler = this.known.find((task) => sameTask(task, e))?.handler ?? false;
    const block = this.newBlock(e.task, handler, e.where, undefined);
    this.pending.push(block);
    return block;
  }

  private newBlock(name: string, handler: boolean, where: string | undefined, start: RunEvent | undefined): TaskBlock {
    return { kind: "task", index: this.nextIndex++, name, handler, where, results: new Map(), warnings: new Map(), events: start ? [start] : [] };
  }
}
