/**
 * Issue 14: the engine actions' results as Ansible's: `debug: var=x` gives `{ "x": value }` (not a msg), and
 * set_fact turns the text of a boolean into the boolean (Ansible without jinja2_native).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runAction, type ActionHelpers } from "../../../engine/execute/actions.js";

const helpers = (values: Record<string, unknown>): ActionHelpers => ({
  condition: (expression) => String(expression).replace(/ is defined$/, "") in values,
  value: (expression) => values[expression],
  place: { host: "web1", task: "t" },
});

describe("engine actions", () => {
  test("debug var=x shows the variable by its name, or Ansible's message when it is not defined", () => {
    assert.deepEqual(runAction("debug", { var: "out" }, { var: "out" }, helpers({ out: 3 })), { changed: false, failed: false, debugVar: { out: 3 } });
    assert.deepEqual(runAction("debug", { var: "gone" }, { var: "gone" }, helpers({})).debugVar, { gone: "VARIABLE IS NOT DEFINED!" });
  });

  test("set_fact: yes/no/true/false texts, in any case, become booleans; other values stay", () => {
    const args = { a: "yes", b: "No", c: "TRUE", d: "false", e: "yess", f: 1, g: "" };
    assert.deepEqual(runAction("set_fact", args, args, helpers({})).facts, { a: true, b: false, c: true, d: false, e: "yess", f: 1, g: "" });
  });
});
