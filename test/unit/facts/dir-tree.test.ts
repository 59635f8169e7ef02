import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { dirTree } from "../../../modules/facts/dir-tree.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(dirTree);

test("output it does not understand is a FactError", () => {
  assert.throws(() => dirTree.parse({ stdout: "garbage\n", code: 0 }, { path: "/x" }), FactError);
});

test("a failed probe is a FactError", () => {
  assert.throws(() => dirTree.parse({ stdout: "", code: 1 }, { path: "/x" }), FactError);
});
