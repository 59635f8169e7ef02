/**
 * Python's re in JavaScript (engine/template/regex.ts): each row is a pattern, Python's flags (m MULTILINE, s DOTALL),
 * a text and what Python 3.11's re.finditer found in it (position and text of each match), where the two engines differ.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { expandReplacement, pyMultiline, pyRegex } from "../../../engine/template/regex.js";

const PYTHON: [pattern: string, flags: string, text: string, matches: [number, string][]][] = [
  ["^b", "", "a\nb\n", []],
  ["^b", "m", "a\nb\n", [[2, "b"]]],
  ["a$", "", "a\nb\n", []],
  ["a$", "m", "a\nb\n", [[0, "a"]]],
  ["b$", "", "a\nb\n", [[2, "b"]]],
  ["$", "", "ab\n", [[2, ""], [3, ""]]],
  ["$", "m", "a\nb\n", [[1, ""], [3, ""], [4, ""]]],
  ["^", "m", "a\nb\n", [[0, ""], [2, ""], [4, ""]]],
  ["a.b", "", "a\rb a\nb", [[0, "a\rb"]]],
  ["a.b", "s", "a\nb", [[0, "a\nb"]]],
  ["x.*$", "m", "x1\r\nx2\r\n", [[0, "x1\r"], [4, "x2\r"]]],
  ["[]a]+", "", "]a]b", [[0, "]a]"]]],
  ["[^]a]+", "", "]a]bc", [[3, "bc"]]],
  ["(?P<k>\\w+)=(?P=k)", "", "a=b c=c", [[4, "c=c"]]],
  ["\\Aa", "m", "a\na", [[0, "a"]]],
  ["a\\Z", "m", "a\na\n", []],
  ["a\\Z", "", "a\na", [[2, "a"]]],
  ["(?m)^x", "", "a\nx", [[2, "x"]]],
  ["(?s)a.b", "", "a\nb", [[0, "a\nb"]]],
  ["(?i)A", "", "a", [[0, "a"]]],
  ["[.$^]", "", "a$b", [[1, "$"]]],
];

for (const [pattern, flags, text, matches] of PYTHON) {
  test(`finds what Python finds: ${JSON.stringify(pattern)} ${flags} in ${JSON.stringify(text)}`, () => {
    const regex = pyRegex(pattern, { multiline: flags.includes("m"), dotall: flags.includes("s") }, "g");
    assert.deepEqual([...text.matchAll(regex)].map((m) => [m.index, m[0]]), matches);
  });
}

test("a replacement template takes groups by number and name, and Python's escapes", () => {
  const match = pyRegex("(?P<key>\\w+)=(\\d+)", {}).exec("workers=4");
  assert.ok(match);
  assert.equal(expandReplacement("\\g<key>: \\2\\n\\1", match), "workers: 4\nworkers");
});

test("a pattern that turns MULTILINE on itself says so", () => {
  assert.equal(pyMultiline("(?m)^x"), true);
  assert.equal(pyMultiline("(?im)^x"), true);
  assert.equal(pyMultiline("^x(?m)"), false);
  assert.equal(pyMultiline("(?i)^x"), false);
});
