/**
 * Issue 14: run_once runs on the first host of the batch in play order, whichever host reaches the task first, and
 * the others take its outcome; a first host that leaves the play hands the task to the next. throttle lets at
 * most N hosts into a task at once.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { changedEntries, RunOnce, type OnceOutcome } from "../../../engine/execute/run-once.js";
import { Throttle } from "../../../engine/execute/throttle.js";

const outcomeOf = (host: string): OnceOutcome => ({ outcome: { status: "ok", changed: false, result: { host } }, set: { picked: host }, returned: {} });
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("run_once", () => {
  test("the first host in play order runs the task even when another host reaches it first", async () => {
    const once = new RunOnce(["web1", "web2", "web3"], () => true);
    const task = {};
    const ran: string[] = [];
    const run = (host: string) => () => {
      ran.push(host);
      return Promise.resolve(outcomeOf(host));
    };
    const second = once.take(task, "web2", run("web2"));
    const third = once.take(task, "web3", run("web3"));
    await tick();
    assert.deepEqual(ran, [], "web2 and web3 wait for web1");
    const first = await once.take(task, "web1", run("web1"));
    assert.deepEqual(ran, ["web1"]);
    assert.equal(first.ran, true);
    for (const taken of [await second, await third]) {
      assert.equal(taken.ran, false);
      assert.deepEqual(taken.once.set, { picked: "web1" });
    }
  });

  test("a first host that left the play (failed, or its play ended) hands the task to the next host", async () => {
    const active = new Set(["web1", "web2"]);
    const once = new RunOnce(["web1", "web2"], (host) => active.has(host));
    const waiting = once.take({}, "web2", () => Promise.resolve(outcomeOf("web2")));
    await tick();
    active.delete("web1");
    once.left("web1");
    const taken = await waiting;
    assert.equal(taken.ran, true);
    assert.deepEqual(taken.once.set, { picked: "web2" });
  });

  test("what a task set is what changed in the host's variables", () => {
    const kept = { a: 1 };
    assert.deepEqual(changedEntries({ x: kept, y: 2 }, { x: kept, y: 3, z: 4 }), { y: 3, z: 4 });
    assert.deepEqual(changedEntries(undefined, { z: 4 }), { z: 4 });
  });
});

describe("throttle", () => {
  test("at most N hosts are in a task at once; the next one enters when one leaves", async () => {
    const throttle = new Throttle();
    const task = {};
    const leaveA = await throttle.enter(task, 1);
    let entered = false;
    const b = throttle.enter(task, 1).then((leave) => {
      entered = true;
      return leave;
    });
    await tick();
    assert.equal(entered, false);
    // Another task has its own count.
    (await throttle.enter({}, 1))();
    leaveA();
    (await b)();
    assert.equal(entered, true);
  });
});
