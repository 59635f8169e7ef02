/**
 * Issue 14: a templated value is what ansible-playbook 2.14 (jinja2_native off) makes of it: the rendered text read
 * back as a Python literal when it starts with [ or { or is True/False, a number as its text, a string-type
 * filter's text as text. Each expected value is what ansible-playbook printed as `type_debug` and value for the
 * same string given as a task variable (`vars: {r: TEMPLATE}`), with the variables below.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { renderValue } from "../../../engine/template/render.js";
import { literalValue, NOT_LITERAL } from "../../../engine/template/py-literal.js";

const where = { task: "literal" };
const vars = { n: 5, s: "abc", l: [1, 2], d: { a: 1 }, f: 1.5, t: true, nul: null, lstr: "[1, 2]", dstr: "{'a': 1}", v_json: "{{ l | to_json }}" };

const CASES: readonly (readonly [string, unknown])[] = [
  // one variable of a number, boolean or None is that value (a final newline too)
  ["{{ n }}", 5], ["{{ n }}\n", 5], ["{{ t }}", true], ["{{ nul }}", null], ["{{ nul }}\n", null], ["{{ f }}", 1.5],
  // any other number is its text
  ["{{ n + 1 }}", "6"], ["{{ n | int }}", "5"], ["{{ d.a }}", "1"],
  // booleans, lists and dicts, whether an expression's value or text that reads as one
  ["{{ n > 1 }}", true], ["{{ t }}\n", true], ["{{ 'Fal' }}se", false], ["{{ '' }}True", true],
  ["{{ l }}", [1, 2]], ["{{ d }}", { a: 1 }], ["{{ l }} ", [1, 2]], ["{{ l }}\n", [1, 2]], ["{{ ['a', 'b'] }}", ["a", "b"]],
  ["{{ lstr }}", [1, 2]], ["{{ dstr }}", { a: 1 }], ["{{ '[1, 2]' | trim }}", [1, 2]],
  ["[{{ n }}, {{ n + 1 }}]", [5, 6]], ["{'k': {{ n }}}", { k: 5 }], ["{% if t %}[1]{% endif %}", [1]],
  ['{"a": {{ t | lower }}, "b": null}', { a: true, b: null }], ["{{ {'a': true, 'b': none} }}", { a: true, b: null }],
  ["{{ '' }}[None, True]", [null, true]], ["{{ '' }}[true, null]", [true, null]], ["{{ '' }}[-1.5, +2]", [-1.5, 2]],
  ["{{ '' }}[1,\n 2]", [1, 2]], ["{{ '' }}[1] # x", [1]], ["{{ '' }}[(1)]", [1]], ["{{ '' }}[()]", [[]]], ["{{ '' }}{}", {}],
  ["{{ '' }}[]", []], ["{{ '' }}[0x1f, 0o7, 1_000, 1e3, .5, 5.]", [31, 7, 1000, 1000, 0.5, 5]],
  ["{{ '' }}['a' 'b', \"c\\td\", r'\\n', '\\x41\\u00e9']", ["ab", "c\td", "\\n", "Aé"]], ["{{ '' }}['a\\'b']", ["a'b"]],
  ["{{ '' }}{'a': 1, 'a': 2}", { a: 2 }], ["{{ '' }}[{'k': [1, {'x': None}]}]", [{ k: [1, { x: null }] }]],
  ["{{ '' }}{'a': [1,\n  2], # c\n 'b': 'x'}", { a: [1, 2], b: "x" }], ["{{ '' }}[- 5]", [-5]], ["{{ '' }}[1,]", [1]],
  ["{{ '' }}[1.5e-3, 1E5, 0.0]", [0.0015, 100000, 0]], ["{{ '' }}[00, 0]", [0, 0]],
  // text that is not a literal, or does not start as one, stays text
  ["{{ '' }}[1 + 2]", "[1 + 2]"], ["{{ '' }}[01]", "[01]"], ["{{ '' }}[inf]", "[inf]"], ["{{ '' }}(1, 2)", "(1, 2)"],
  ["{{ '' }}[,]", "[,]"], ["{{ '' }}(1,)", "(1,)"], ["{{ '' }}[Ellipsis]", "[Ellipsis]"], ["{{ '' }}[None]x", "[None]x"],
  ["[{{ s }}]", "[abc]"], [" {{ l }}", " [1, 2]"], ["({{ n }}, 2)", "(5, 2)"], ["{{ [1] }}{{ [2] }}", "[1][2]"],
  ["{{ 'True' }} ", "True "], ["{{ 'true' }}", "true"], ["{{ None }}", ""], ["{{ '' }}", ""], ["{{ 'abc' }}", "abc"],
  // a string-type filter's text is text when it is all the template gives, even through a variable
  ["{{ l | to_json }}\n", "[1, 2]\n"], ["{{ l | string }}", "[1, 2]"], ["{{ v_json }}", "[1, 2]"],
  ["{{ l | to_nice_json }}", "[\n    1,\n    2\n]"], ["{{ d | to_yaml }}", "{a: 1}\n"],
  ["{{ l | to_json }} ", [1, 2]], ["{{ l | to_json | trim }}", [1, 2]],
];

describe("a templated value is what Ansible 2.14 makes of its text", () => {
  for (const [template, expected] of CASES) {
    test(JSON.stringify(template), () => assert.deepEqual(renderValue(template, vars, where), expected));
  }
});

describe("literalValue reads Python literals as ast.literal_eval does", () => {
  test("text that is no literal is NOT_LITERAL", () => {
    for (const text of ["[a]", "[1 2]", "{1, 2}", "[b'x']", "[1j]", "['a]", "[1] x", "{'a' 1}", "[", "f'x'", "[1, 2]]"]) {
      assert.equal(literalValue(text), NOT_LITERAL, text);
    }
  });
  test("escapes and quotes as Python writes them", () => {
    assert.deepEqual(literalValue(`['\\'', "\\"", '''x\ny''', '\\101', '\\q', 'a\\\nb']`), ["'", '"', "x\ny", "A", "\\q", "ab"]);
  });
});
