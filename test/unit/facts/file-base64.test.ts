import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { fileBase64 } from "../../../modules/facts/file-base64.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(fileBase64);

test("output it does not understand is a FactError", () => {
  assert.throws(() => fileBase64.parse({ stdout: "garbage\n", code: 0 }, { path: "/x" }), FactError);
  assert.throws(() => fileBase64.parse({ stdout: "absent\nmore\n", code: 0 }, { path: "/x" }), FactError);
});

test("a probe that failed before reading is a FactError", () => {
  assert.throws(() => fileBase64.parse({ stdout: "", code: 2 }, { path: "/x" }), FactError);
});

test("content that is not base64 is a FactError", () => {
  assert.throws(() => fileBase64.parse({ stdout: "file\nnot base64!", code: 0 }, { path: "/x" }), FactError);
  assert.throws(() => fileBase64.parse({ stdout: "file\naGVsbG8K\n", code: 0 }, { path: "/x" }), FactError);
});
