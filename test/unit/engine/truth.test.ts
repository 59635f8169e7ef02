/** Ansible's booleans, in the one place that reads words as true or false (checked against ansible 2.14). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { boolean, booleanWord, toBool } from "../../../engine/truth.js";

describe("truth", () => {
  test("keywords and module arguments: convert_bool's words, any case", () => {
    for (const yes of [true, 1, "y", "Yes", "ON", "1", "true", "T"]) assert.equal(boolean(yes), true, String(yes));
    for (const no of [false, 0, 2, "n", "no", "Off", "0", "false", "f", "maybe", "", null, undefined]) assert.equal(boolean(no), false, String(no));
  });

  test("a word that is not one of them is left to the caller", () => {
    assert.equal(booleanWord(" yes "), true);
    assert.equal(booleanWord("F"), false);
    assert.equal(booleanWord("maybe"), undefined);
  });

  test("the bool filter is narrower: y and t are false, None stays None", () => {
    assert.equal(toBool("y"), false);
    assert.equal(toBool("t"), false);
    assert.equal(toBool("Yes"), true);
    assert.equal(toBool(null), null);
    assert.equal(toBool(1), true);
  });
});
