import { describe, test } from "node:test";
import assert from "node:assert/strict";
import getent, { getentEntries } from "../../../modules/getent.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(getent);

describe("entries as Ansible's getent reads getent's lines", () => {
  test("at a separator, every field is kept, empty ones too (Python's str.split(sep))", () => {
    assert.deepEqual(getentEntries(["a::b:", ":x"], ":"), { a: ["", "b", ""], "": ["x"] });
  });

  test("at whitespace, runs of blanks are one separator and blanks at the ends make no field (str.split())", () => {
    assert.deepEqual(getentEntries(["  10.0.0.1\t a  b \u00a0", "\x1cx\x1fy"], undefined), { "10.0.0.1": ["a", "b"], x: ["y"] });
  });

  test("a blank line has no first field and is skipped", () => {
    assert.deepEqual(getentEntries(["", "   ", "a b"], undefined), { a: ["b"] });
  });

  test("an empty line split at a separator is the entry with an empty name, as in Ansible", () => {
    assert.deepEqual(getentEntries([""], ":"), { "": [] });
  });

  test("a first field seen again turns the value into the list of every entry's fields, in order", () => {
    assert.deepEqual(getentEntries(["k 1", "j 0", "k 2", "k 3 4"], undefined), { k: [["1"], ["2"], ["3", "4"]], j: ["0"] });
  });

  test("a first field such as __proto__ is an ordinary key", () => {
    const entries = getentEntries(["__proto__:x"], ":");
    assert.deepEqual(Object.keys(entries), ["__proto__"]);
    assert.deepEqual(Object.getOwnPropertyDescriptor(entries, "__proto__")?.value, ["x"]);
  });
});
