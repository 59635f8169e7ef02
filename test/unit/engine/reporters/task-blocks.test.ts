/**
 * The linear layout of hosts that run at their own pace: which results a task's block gathers, and when it is
 * complete, for the orders in which the engine's events really arrive (hosts in parallel, one task_start per task).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TaskResultEvent, TaskStatus } from "../../../../engine/events.js";
import { TaskBlocks, type LayoutItem } from "../../../../engine/reporters/task-blocks.js";

function result(host: string, task: string, status: TaskStatus = "ok", item?: string): TaskResultEvent {
  return { type: "task_result", host, task, where: `tasks.yml:${task}`, status, item, durationMs: 1 };
}

function play(blocks: TaskBlocks, hosts: readonly string[]): void {
  blocks.playStart({ type: "play_start", name: "p", hosts });
  for (const host of hosts) blocks.hostStart(host);
}

function start(blocks: TaskBlocks, task: string, handler = false): void {
  blocks.taskStart({ type: "task_start", name: task, handler, where: `tasks.yml:${task}` });
}

/** "task: host host", one per task block taken; play headers as "PLAY". */
function shown(items: readonly LayoutItem[]): string[] {
  return items.map((item) => (item.kind === "task" ? `${item.name}: ${[...item.results.keys()].join(" ")}` : item.kind.toUpperCase()));
}

describe("task blocks", () => {
  test("a task's block waits for every host at work, then holds each host's result", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a", "b"]);
    start(blocks, "t1");
    blocks.result(result("a", "t1"));
    // a moves on first: its next task starts while b is still at t1.
    start(blocks, "t2");
    blocks.result(result("a", "t2"));
    assert.deepEqual(shown(blocks.takeComplete()), ["PLAY"]);
    assert.deepEqual(blocks.waiting()?.hosts, ["b"]);
    blocks.result(result("b", "t1"));
    assert.deepEqual(shown(blocks.takeComplete()), ["t1: a b"]);
    blocks.result(result("b", "t2", "changed"));
    assert.deepEqual(shown(blocks.takeComplete()), ["t2: a b"]);
  });

  test("a host that went another way does not hold a block: moving past it is enough", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a", "b"]);
    start(blocks, "included");
    blocks.result(result("a", "included"));
    start(blocks, "after");
    blocks.result(result("b", "after"));
    assert.deepEqual(shown(blocks.takeComplete()), ["PLAY", "included: a"]);
    blocks.result(result("a", "after"));
    assert.deepEqual(shown(blocks.takeComplete()), ["after: b a"]);
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
    start(blocks, "t2");
    blocks.result(result("a", "t2"));
    assert.deepEqual(shown(blocks.takeComplete()), ["PLAY", "t1: a b", "t2: a"]);
    // c gets a fork when a is done: its results open blocks of their own, after a's.
    blocks.hostEnd("a");
    blocks.hostStart("c");
    blocks.result(result("c", "t1"));
    blocks.result(result("c", "t2"));
    blocks.hostEnd("c");
    assert.deepEqual(shown(blocks.takeComplete()), ["t1: c", "t2: c"]);
  });

  test("handlers run in another order on another host: a late result opens a handler block of its own", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a", "b"]);
    start(blocks, "h1", true);
    blocks.result(result("a", "h1", "changed"));
    start(blocks, "h2", true);
    blocks.result(result("b", "h2", "changed"));
    blocks.result(result("b", "h1", "changed"));
    blocks.hostEnd("a");
    blocks.hostEnd("b");
    const items = blocks.takeComplete();
    assert.deepEqual(shown(items), ["PLAY", "h1: a", "h2: b", "h1: b"]);
    assert.ok(items.every((item) => item.kind !== "task" || item.handler));
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

  test("results without a file position (Gathering Facts) are matched by the task's name", () => {
    const blocks = new TaskBlocks();
    play(blocks, ["a", "b"]);
    blocks.taskStart({ type: "task_start", name: "Gathering Facts", handler: false });
    for (const host of ["a", "b"]) blocks.result({ type: "task_result", host, task: "Gathering Facts", status: "ok", durationMs: 1 });
    assert.deepEqual(shown(blocks.takeComplete()), ["PLAY", "Gathering Facts: a b"]);
  });
});
