import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
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
  // "{{ 3 }}" is the text "3", as in Ansible 2.14 ("it requires a list, got this instead: 3").
  assert.throws(() => loopItems(task({ loop: "{{ 3 }}" }), {}, { host: "h1", task: "t" }), (error: unknown) => {
    return error instanceof TaskFailedError && error.message.includes("loop must be a list, got string");
  });
});

/*
 * with_<lookup> loops (issue 14): the items ansible-playbook 2.14 ran for the same task (`debug: msg="{{ item }}"`
 * with the loop below), in order.
 */
const WITH_LOOPS: readonly (readonly [string, unknown, unknown[]])[] = [
  ["items", [1, [2, 3]], [1, 2, 3]],
  ["items", "{{ names }}", ["x", "y"]],
  ["items", "a", ["a"]],
  ["list", [[1, 2], ["a", "b"]], [[1, 2], ["a", "b"]]],
  ["dict", "{{ d }}", [{ key: "b", value: 2 }, { key: "a", value: 1 }]],
  ["together", [[1, 2], ["a", "b"]], [[1, "a"], [2, "b"]]],
  ["nested", [[1, 2], ["a", "b"]], [[1, "a"], [1, "b"], [2, "a"], [2, "b"]]],
  ["indexed_items", ["a", "b"], [[0, "a"], [1, "b"]]],
  ["sequence", "start=1 end=3 format=n%d", ["n1", "n2", "n3"]],
  ["subelements", ["{{ users }}", "keys"], [[{ name: "alice" }, "k1"], [{ name: "alice" }, "k2"], [{ name: "bob" }, "k3"]]],
  ["first_found", [{ files: ["nope.txt"], skip: true }], []],
];

test("with_<lookup> loops over what the lookup gives for the rendered value", () => {
  const vars = { names: ["x", "y"], d: { b: 2, a: 1 }, users: [{ name: "alice", keys: ["k1", "k2"] }, { name: "bob", keys: ["k3"] }] };
  for (const [lookup, loop, expected] of WITH_LOOPS) {
    assert.deepEqual(loopItems(task({ loop, loop_with: lookup }), vars, {}).map(({ item }) => item), expected, `with_${lookup}`);
  }
});

test("with_first_found passes over a candidate that does not render, and loop_control still names the item", () => {
  const dir = fileURLToPath(new URL("../../../../test/fixtures/lookups/", import.meta.url));
  const items = loopItems(task({ loop: ["{{ nosuch }}.txt", "a.txt"], loop_with: "first_found", loop_control: { loop_var: "found" } }), { playbook_dir: dir }, {});
  assert.deepEqual(items.map(({ vars }) => vars.found), [`${dir}files/a.txt`]);
});
