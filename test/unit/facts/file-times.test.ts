import assert from "node:assert/strict";
import { test } from "node:test";
import { FactError } from "../../../engine/errors.js";
import { fileTimesFact } from "../../../modules/facts/file-times.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(fileTimesFact);

test("output it does not understand is a FactError", () => {
  assert.throws(() => fileTimesFact.parse({ stdout: "x y|z|w\n", code: 0 }, { path: "/x", follow: true }), FactError);
  assert.throws(() => fileTimesFact.parse({ stdout: "1 2|2022-02-08|2022-02-08\n", code: 0 }, { path: "/x", follow: true }), FactError);
});
