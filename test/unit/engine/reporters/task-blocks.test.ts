/**
 * The linear layout of hosts that run at their own pace: which results a task's block gathers, and when it is
 * complete, for the orders in which the engine's events really arrive (hosts in parallel, one task_start per task,
 * each host going through the play in the play's order by its own path).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareOrder, type TaskOrder, type TaskResultEvent, type TaskStatus } from "../../../../engine/events.js";
import { TaskBlocks, type LayoutItem } from "../../../../engine/reporters/task-blocks.js";

/** The tasks of the play these tests run, by name: their place in the play's order. */
const ORDER: Readonly<Record<string, TaskOrder>> = {
  t1: [1, 0],
  include: [1, 1],
  x1: [1, 1, 0, 0],
  after: [1, 2],
  loop: [1, 3],
  h1: [1, 4, 0],
  h2: [1, 4, 1],
  post: [2, 0],
};

function result(host: string, task: string, status: TaskStatus = "ok", item?: string): TaskResultEvent {
  return { type: "task_result", host, task, where: `tasks.yml:${task}`, order: ORDER[task], status, item, durationMs: 1 };
}

function play(blocks: TaskBlocks, hosts: readonly string[]): void {
  blocks.playStart({ type: "play_start", name: "p", hosts });
  for (const host of hosts) blocks.hostStart(host);
}

function start(blocks: TaskBlocks, task: string): void {
  blocks.taskStart({ type: "task_start", name: task, handler: task.startsWith("h"), where: `tasks.yml:${task}`, order: ORDER[task] });
}

/** "task: host host", one per task block taken; play headers as "PLAY". */
function shown(items: readonly LayoutItem[]): string[] {
  return items.map((item) => (item.kind === "task" ? `${item.name}: ${[...item.results.keys()].join(" ")}` : item.kind.toUpperCase()));
}

describe("task blocks", () => {
  test("the play's order: numbers compared in turn, a place inside another after it", () => {
    assert.ok(compareOrder([1, 0], [1, 1]) < 0);
    assert.ok(compareOrder([1, 1], [1, 1, 0, 0]) < 0);
    assert.ok(compareOrder([1, 1, 0, 0], [1, 2]) < 0);
    assert.ok(compareOrder([-1], [0, 0]) < 0);
    assert.equal(compareOrder([2, 0], [2, 0]), 0);
  });

  test("a task's block waits for every host at work, then holds each host's result", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a", "b"]);
    start(blocks, "t1");
    blocks.result(result("a", "t1"));
    // a moves on first: its next task starts while b is still at t1.
    start(blocks, "after");
    blocks.result(result("a", "after"));
    assert.deepEqual(shown(blocks.takeComplete()), ["PLAY"]);
    assert.equal(blocks.taskOf("b"), "t1");
    blocks.result(result("b", "t1"));
    assert.deepEqual(shown(blocks.takeComplete()), ["t1: a b"]);
    blocks.result(result("b", "after", "changed"));
    assert.deepEqual(shown(blocks.takeComplete()), ["after: a b"]);
  });

  test("a host that went another way holds no block it will not report to; the blocks keep the play's order", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a", "b"]);
    start(blocks, "include");
    blocks.result(result("a", "include"));
    blocks.result(result("b", "include", "skipped"));
    // b skipped the include and reaches the next task first; a is in the included file.
    start(blocks, "after");
    blocks.result(result("b", "after"));
    start(blocks, "x1");
    blocks.result(result("a", "x1"));
    assert.deepEqual(shown(blocks.takeComplete()), ["PLAY", "include: a b", "x1: a"]);
    blocks.result(result("a", "after"));
    assert.deepEqual(shown(blocks.takeComplete()), ["after: b a"]);
  });

  test("a handler only one host runs comes before the tasks after it, which wait for that host", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a", "b"]);
    start(blocks, "t1");
    blocks.result(result("a", "t1", "changed"));
    blocks.result(result("b", "t1"));
    // b has no handler to run and goes on to post_tasks; a runs its handler first.
    start(blocks, "post");
    blocks.result(result("b", "post"));
    blocks.hostEnd("b");
    start(blocks, "h1");
    blocks.result(result("a", "h1", "changed"));
    assert.deepEqual(shown(blocks.takeComplete()), ["PLAY", "t1: a b", "h1: a"]);
    blocks.result(result("a", "post"));
    blocks.hostEnd("a");
    const items = blocks.takeComplete();
    assert.deepEqual(shown(items), ["post: b a"]);
  });

  test("hosts notified of different handlers: each handler's block at its place among the play's handlers", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a", "b"]);
    start(blocks, "h2");
    blocks.result(result("b", "h2", "changed"));
    start(blocks, "h1");
    blocks.result(result("a", "h1", "changed"));
    for (const host of ["a", "b"]) blocks.hostEnd(host);
    const items = blocks.takeComplete();
    assert.deepEqual(shown(items), ["PLAY", "h1: a", "h2: b"]);
    assert.ok(items.every((item) => item.kind !== "task" || item.handler));
  });

  test("a handler an interrupted run left pending runs first on its host, and is still a handler there", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a", "b"]);
    start(blocks, "t1");
    blocks.result(result("a", "t1"));
    start(blocks, "h1");
    blocks.result(result("a", "h1", "changed"));
    blocks.result({ ...result("b", "h1", "changed"), order: [-1, 0, 0] });
    blocks.result(result("b", "t1"));
    blocks.result(result("b", "h1", "changed"));
    for (const host of ["a", "b"]) blocks.hostEnd(host);
    const items = blocks.takeComplete();
    assert.deepEqual(shown(items), ["PLAY", "h1: b", "t1: a b", "h1: a b"]);
    assert.deepEqual(items.map((item) => item.kind === "task" && item.handler), [false, true, false, true]);
  });

  test("a loop's host is final only once it moves on or ends", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a"]);
    blocks.takeComplete();
    start(blocks, "loop");
    blocks.result(result("a", "loop", "ok", "1"));
    blocks.result(result("a", "loop", "changed", "2"));
    assert.deepEqual(blocks.takeComplete(), []);
    assert.equal(blocks.taskOf("a"), "loop");
    blocks.hostEnd("a");
    const [block] = blocks.takeComplete();
    assert.equal(block?.kind === "task" ? block.results.get("a")?.length : 0, 2);
  });

  test("a host that ended (failed, unreachable) is not waited for; one not started yet is not either", () => {
    const blocks = new TaskBlocks();
    blocks.playStart({ type: "play_start", name: "p", hosts: ["a", "b", "c"] });
    blocks.hostStart("a");
    blocks.hostStart("b");
    start(blocks, "t1");
    blocks.result(result("a", "t1"));
    blocks.result(result("b", "t1", "failed"));
    blocks.hostEnd("b");
    start(blocks, "after");
    blocks.result(result("a", "after"));
    assert.deepEqual(shown(blocks.takeComplete()), ["PLAY", "t1: a b", "after: a"]);
    // c gets a fork when a is done: the blocks of its tasks are gone, so it gets blocks of its own.
    blocks.hostEnd("a");
    blocks.hostStart("c");
    blocks.result(result("c", "t1"));
    blocks.result(result("c", "after"));
    blocks.hostEnd("c");
    assert.deepEqual(shown(blocks.takeComplete()), ["t1: c", "after: c"]);
  });

  test("a host's warning goes under its results while its block is open, else on a line of its own", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a", "b"]);
    start(blocks, "t1");
    blocks.result(result("a", "t1"));
    blocks.warning({ type: "warning", host: "a", message: "w1" });
    blocks.result(result("b", "t1"));
    blocks.warning({ type: "warning", message: "general" });
    const items = blocks.takeComplete();
    assert.deepEqual(shown(items), ["PLAY", "t1: a b", "WARNING"]);
    const [, block] = items;
    assert.deepEqual(block?.kind === "task" ? block.warnings.get("a") : undefined, ["w1"]);
  });

  test("a second play's blocks come after its header, though their places repeat the first play's", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a", "b"]);
    start(blocks, "after");
    blocks.result(result("a", "after"));
    blocks.hostEnd("a");
    play(blocks, ["a"]);
    start(blocks, "t1");
    blocks.result(result("a", "t1"));
    blocks.hostEnd("a");
    assert.deepEqual(shown(blocks.takeAll()), ["PLAY", "after: a", "PLAY", "t1: a"]);
  });
});
