import assert from "node:assert/strict";
import { test } from "node:test";
import { TaskFailedError } from "../../../engine/errors.js";
import { loopItems } from "../../../engine/execute/loop.js";
import type { Task, TaskKeywords } from "../../../engine/types.js";

function task(kw: TaskKeywords): Task {
  return { kind: "task", name: "t", action: "debug", args: {}, kw, loc: { file: "p.yml", line: 3, col: 5 }, role: undefined, dir: "/" };
}

test("without a loop: one item with the task's variables as they are", () => {
  const vars = { a: 1 };
  assert.deepEqual(loopItems(task({}), vars, {}), [{ item: undefined, vars }]);
});

test("each item gets loop_var, index_var and ansible_loop", () => {
  const items = loopItems(task({ loop: "{{ names }}", loop_control: { loop_var: "n", index_var: "i" } }), { names: ["x", "y"] }, {});
  assert.deepEqual(
    items.map(({ item, vars }) => [item, vars.n, vars.i, vars.ansible_loop]),
    [
      ["x", "x", 0, { index: 1, index0: 0, first: true, last: false, length: 2 }],
      ["y", "y", 1, { index: 2, index0: 1, first: false, last: true, length: 2 }],
    ],
  );
});

test("a loop that is not a list fails the task, saying what it was", () => {
  assert.throws(() => loopItems(task({ loop: "{{ 3 }}" }), {}, { host: "h1", task: "t" }), (error: unknown) => {
    return error instanceof TaskFailedError && error.message.includes("loop must be a list, got number");
  });
});
