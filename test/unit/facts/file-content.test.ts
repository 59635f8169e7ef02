import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { fileContent } from "../../../modules/facts/file-content.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(fileContent);

test("output it does not understand is a FactError", () => {
  assert.throws(() => fileContent.parse({ stdout: "garbage\n", code: 0 }, { path: "/x" }), FactError);
});

test("a failed probe is a FactError", () => {
  assert.throws(() => fileContent.parse({ stdout: "", code: 1 }, { path: "/x" }), FactError);
});
