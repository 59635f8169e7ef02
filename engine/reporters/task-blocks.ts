/**
 * Ansible's linear layout for hosts that run at their own pace: the run as a list of blocks, one per task, each
 * holding every host's result of that task, in the play's order, handed out once no host can add to them any more.
 *
 * Hosts run in parallel and each goes through the play by itself, so results of different tasks interleave, and a
 * task_start comes once per task, from the first host to reach it. Every task has its place in the play's order
 * (TaskOrder), the same for every host, and each host goes through the play in that order: a block is complete
 * once every host at work has reported a task after it, or given its final result there (a loop's items are final
 * once the host moves on), or ended. Hosts that have not started (waiting for a fork) are not waited for: a host
 * that starts when the blocks of a task are gone gets blocks of its own, as hosts of a later serial batch do in
 * Ansible. A result without a place (an engine failure outside any task) is a block of its own.
 */
import { compareOrder, type RunEvent, type TaskOrder, type TaskResultEvent } from "../events.js";

export interface TaskBlock {
  kind: "task";
  name: string;
  handler: boolean;
  /** The task's place in the play's order and its file:line:col: what its results are matched by. */
  order: TaskOrder | undefined;
  where: string | undefined;
  /** The play's hosts in inventory order, the order the block lists them in. */
  hosts: readonly string[];
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
  text: string;
  host?: string | undefined;
  events: RunEvent[];
}

export type LayoutItem = TaskBlock | NoteItem;

export class TaskBlocks {
  /** Items not handed out yet, in the order they will be. */
  private readonly pending: LayoutItem[] = [];
  /** Each host's last block, and where that is in the play's order. */
  private readonly cursor = new Map<string, { block: TaskBlock; order: TaskOrder | undefined }>();
  private readonly started = new Set<string>();
  private readonly ended = new Set<string>();
  private hosts: readonly string[] = [];
  /** The play's header: the play's blocks come after it. */
  private play: NoteItem | undefined;
  /** The tasks seen starting, for the header of a block a host opens itself (a handler's says so). */
  private readonly known: TaskBlock[] = [];

  /** A new play: what is left of the last one can be handed out whole; hosts start over. */
  playStart(e: Extract<RunEvent, { type: "play_start" }>): void {
    this.cursor.clear();
    this.started.clear();
    this.ended.clear();
    this.hosts = e.hosts;
    this.play = { kind: "play", text: e.name, events: [e] };
    this.pending.push(this.play);
  }

  taskStart(e: Extract<RunEvent, { type: "task_start" }>): void {
    const block = this.newBlock(e.name, e.handler, e.order, e.where, e);
    this.known.push(block);
    this.insert(block);
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
    let block = e.order === undefined ? undefined : this.playItems().find((item): item is TaskBlock => item.kind === "task" && this.isFor(item, e));
    if (block === undefined) {
      // A handler is one wherever it runs (also first thing, when an interrupted run left it pending).
      const handler = this.known.some((task) => task.handler && (task.where === undefined || e.where === undefined ? task.name === e.task : task.where === e.where));
      block = this.newBlock(e.task, handler, e.order, e.where, undefined);
      this.insert(block);
    }
    block.results.set(e.host, [...(block.results.get(e.host) ?? []), e]);
    block.events.push(e);
    this.cursor.set(e.host, { block, order: e.order });
  }

  /** A warning: under the host's results in its current block while that is open, else a line of its own. */
  warning(e: Extract<RunEvent, { type: "warning" }>): void {
    const block = e.host === undefined ? undefined : this.cursor.get(e.host)?.block;
    if (e.host !== undefined && block !== undefined && this.pending.includes(block)) {
      block.warnings.set(e.host, [...(block.warnings.get(e.host) ?? []), e.message]);
      block.events.push(e);
      return;
    }
    this.pending.push({ kind: "warning", text: e.message, host: e.host, events: [e] });
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

  /**
   * The task HOST is at or will most likely do next: a loop it is in the middle of, else the first open block
   * after its last one in the play's order.
   */
  taskOf(host: string): string | undefined {
    const at = this.cursor.get(host);
    if (at !== undefined && this.pending.includes(at.block) && !this.final(host, at.block)) return at.block.name;
    const after = (item: LayoutItem): item is TaskBlock =>
      item.kind === "task" && item.order !== undefined && (at?.order === undefined || compareOrder(item.order, at.order) > 0);
    return this.playItems().find(after)?.name;
  }

  /** The same task at the same place (an included file's tasks share places with another host's other file's). */
  private isFor(block: TaskBlock, e: TaskResultEvent): boolean {
    if (block.order === undefined || e.order === undefined || compareOrder(block.order, e.order) !== 0) return false;
    return block.where === undefined || e.where === undefined ? block.name === e.task : block.where === e.where;
  }

  /** The pending items of the current play (its blocks come after its header, whatever their order). */
  private playItems(): LayoutItem[] {
    return this.play === undefined ? this.pending : this.pending.slice(this.pending.indexOf(this.play) + 1);
  }

  /** A block goes before the play's first pending block that comes after it in the play's order; one without a place, last. */
  private insert(block: TaskBlock): void {
    const { order } = block;
    const next = order === undefined ? undefined : this.playItems().find((item) => item.kind === "task" && item.order !== undefined && compareOrder(item.order, order) > 0);
    this.pending.splice(next === undefined ? this.pending.length : this.pending.indexOf(next), 0, block);
  }

  /** No host at work may still report to ITEM. */
  private complete(item: LayoutItem): boolean {
    if (item.kind !== "task" || item.order === undefined) return true;
    const { order } = item;
    return ![...this.started].some((host) => {
      if (this.ended.has(host)) return false;
      const at = this.cursor.get(host);
      if (at?.order === undefined) return true;
      if (at.block === item) return !this.final(host, item);
      return compareOrder(at.order, order) < 0;
    });
  }

  /** A loop reports item by item: its host may add more until it moves on. */
  private final(host: string, block: TaskBlock): boolean {
    return block.results.get(host)?.at(-1)?.item === undefined;
  }

  private newBlock(name: string, handler: boolean, order: TaskOrder | undefined, where: string | undefined, start: RunEvent | undefined): TaskBlock {
    return { kind: "task", name, handler, order, where, hosts: this.hosts, results: new Map(), warnings: new Map(), events: start ? [start] : [] };
  }
}
