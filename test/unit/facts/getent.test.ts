import { test } from "node:test";
import assert from "node:assert/strict";
import { getentFact, splitLines } from "../../../modules/facts/getent.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(getentFact);

test("lines are cut as Python's str.splitlines() cuts them", () => {
  assert.deepEqual(splitLines(""), []);
  assert.deepEqual(splitLines("a"), ["a"]);
  assert.deepEqual(splitLines("a\n"), ["a"]);
  assert.deepEqual(splitLines("a\n\nb\n"), ["a", "", "b"]);
  assert.deepEqual(splitLines("a\r\nb\rc\vd\fe\x1cf\x85g\u2028h"), ["a", "b", "c", "d", "e", "f", "g", "h"]);
});

test("any exit code is an answer, not an error: the module says what it means", () => {
  assert.deepEqual(getentFact.parse({ stdout: "", code: 127 }, { database: "passwd" }), { code: 127, lines: [] });
});

test("the service and the key are quoted words after the options", () => {
  assert.equal(getentFact.command({ database: "passwd", key: "a b", service: "files" }).text, "getent -s files -- passwd 'a b'");
  assert.equal(getentFact.command({ database: "group" }).text, "getent -- group");
});
