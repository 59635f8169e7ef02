import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { fileStat } from "../../../modules/facts/file-stat.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(fileStat);

test("output it does not understand is a FactError", () => {
  assert.throws(() => fileStat.parse({ stdout: "garbage\n", code: 0 }, { path: "/x", follow: false }), FactError);
});

test("a failed probe is a FactError", () => {
  assert.throws(() => fileStat.parse({ stdout: "", code: 1 }, { path: "/x", follow: false }), FactError);
});
