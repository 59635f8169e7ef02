import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { ChannelLimit } from "../../../engine/connection/channel-limit.js";

/** A promise the test resolves when it chooses, to hold a task in its slot. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
}

describe("ChannelLimit", () => {
  test("never runs more than max tasks at once and runs all of them", async () => {
    const limit = new ChannelLimit(3);
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 20 }, (_, i) =>
      limit.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return i;
      }),
    );
    assert.deepEqual(await Promise.all(tasks), Array.from({ length: 20 }, (_, i) => i));
    assert.equal(peak, 3);
    assert.equal(limit.running, 0);
    assert.equal(limit.queued, 0);
  });

  test("queued tasks start in arrival order as slots free", async () => {
    const limit = new ChannelLimit(1);
    const first = gate();
    const order: string[] = [];
    const a = limit.run(async () => {
      order.push("a");
      await first.done;
    });
    const b = limit.run(() => Promise.resolve(order.push("b")));
    const c = limit.run(() => Promise.resolve(order.push("c")));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ["a"]);
    assert.equal(limit.queued, 2);
    first.release();
    await Promise.all([a, b, c]);
    assert.deepEqual(order, ["a", "b", "c"]);
  });

  test("a failing task frees its slot and its error reaches the caller", async () => {
    const limit = new ChannelLimit(1);
    await assert.rejects(limit.run(() => Promise.reject(new Error("boom"))), /boom/);
    assert.equal(await limit.run(() => Promise.resolve("next")), "next");
    assert.equal(limit.running, 0);
  });

  test("after a refusal at N open channels, at most N - 1 run", async () => {
    const limit = new ChannelLimit(4);
    const gates = Array.from({ length: 4 }, () => gate());
    let running = 0;
    let peakAfterRefusal = 0;
    const first = gates.map((g) => limit.run(async () => {
      running++;
      await g.done;
      running--;
    }));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(limit.running, 4);
    limit.refusedAt(4);
    assert.equal(limit.limit, 3);
    const later = Array.from({ length: 6 }, () =>
      limit.run(async () => {
        running++;
        peakAfterRefusal = Math.max(peakAfterRefusal, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
      }),
    );
    gates[0]?.release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(limit.running, 3, "the freed slot is not refilled above the new limit");
    for (const g of gates) g.release();
    await Promise.all([...first, ...later]);
    assert.equal(peakAfterRefusal, 3);
    limit.refusedAt(1);
    assert.equal(limit.limit, 1, "never below one");
  });

  test("refuses a limit below one", () => {
    assert.throws(() => new ChannelLimit(0), RangeError);
  });
});
