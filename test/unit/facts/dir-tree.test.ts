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

test("checksums may come before their entries (find's buffering decides) but not without them", () => {
  const sum = "0ca9091eb4e31fb1ab24c8c5de92a08e4e5f402919f82ea3ca784f38534f03f3";
  const tree = dirTree.parse({ stdout: `${sum}  ./main.py\0d\t755\troot\troot\t0\t0\t\t\0f\t644\troot\troot\t0\t0\t\tmain.py\0`, code: 0 }, { path: "/x" });
  assert.equal(tree.exists && tree.entries["main.py"]?.sha256, sum);
  assert.throws(() => dirTree.parse({ stdout: `${sum}  ./gone.py\0d\t755\troot\troot\t0\t0\t\t\0`, code: 0 }, { path: "/x" }), /unlisted file gone.py/);
});
