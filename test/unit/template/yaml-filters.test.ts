/**
 * Issue 14: to_yaml and to_nice_yaml are one yaml.dump with each filter's defaults and options (indent, width,
 * default_flow_style, sort_keys), and write what ansible-playbook 2.14 wrote: each expected text is the value
 * ansible-playbook set for `set_fact: {r: "{{ EXPRESSION }}"}` with the variables below.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { renderValue } from "../../../engine/template/render.js";

const where = { task: "yaml" };
const long = "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh";
const vars = {
  // insertion order b, a, e, ... is what sort_keys=False keeps
  data: { b: [1, 2, { c: "d" }], a: "x y", e: [], f: {}, n: null, t: true, num: 1.5, s: "yes", multi: "l1\nl2\n", long },
  long,
  longlist: Array.from({ length: 12 }, (_, i) => `item-number-${String(i)}`),
};

const CASES: readonly (readonly [string, string])[] = [
  ["data | to_yaml", "a: x y\nb:\n- 1\n- 2\n- {c: d}\ne: []\nf: {}\nlong: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg\n  hhhhhhhhhh\nmulti: 'l1\n\n  l2\n\n  '\nn: null\nnum: 1.5\ns: 'yes'\nt: true\n"],
  ["data | to_nice_yaml", "a: x y\nb:\n- 1\n- 2\n-   c: d\ne: []\nf: {}\nlong: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg\n    hhhhhhhhhh\nmulti: 'l1\n\n    l2\n\n    '\nn: null\nnum: 1.5\ns: 'yes'\nt: true\n"],
  ["data | to_yaml(indent=4)", "a: x y\nb:\n- 1\n- 2\n- {c: d}\ne: []\nf: {}\nlong: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg\n    hhhhhhhhhh\nmulti: 'l1\n\n    l2\n\n    '\nn: null\nnum: 1.5\ns: 'yes'\nt: true\n"],
  ["data | to_yaml(width=40)", "a: x y\nb:\n- 1\n- 2\n- {c: d}\ne: []\nf: {}\nlong: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd\n  eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh\nmulti: 'l1\n\n  l2\n\n  '\nn: null\nnum: 1.5\ns: 'yes'\nt: true\n"],
  ["data | to_yaml(default_flow_style=False)", "a: x y\nb:\n- 1\n- 2\n- c: d\ne: []\nf: {}\nlong: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg\n  hhhhhhhhhh\nmulti: 'l1\n\n  l2\n\n  '\nn: null\nnum: 1.5\ns: 'yes'\nt: true\n"],
  ["data | to_yaml(default_flow_style=True)", "{a: x y, b: [1, 2, {c: d}], e: [], f: {}, long: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd\n    eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh, multi: 'l1\n\n    l2\n\n    ', n: null, num: 1.5, s: 'yes', t: true}\n"],
  ["data | to_yaml(sort_keys=False)", "b:\n- 1\n- 2\n- {c: d}\na: x y\ne: []\nf: {}\nn: null\nt: true\nnum: 1.5\ns: 'yes'\nmulti: 'l1\n\n  l2\n\n  '\nlong: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg\n  hhhhhhhhhh\n"],
  ["data | to_nice_yaml(sort_keys=False)", "b:\n- 1\n- 2\n-   c: d\na: x y\ne: []\nf: {}\nn: null\nt: true\nnum: 1.5\ns: 'yes'\nmulti: 'l1\n\n    l2\n\n    '\nlong: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg\n    hhhhhhhhhh\n"],
  ["'x' | to_yaml", "x\n"],
  ["'x' | to_nice_yaml", "x\n"],
  ["5 | to_yaml", "5\n"],
  ["[] | to_yaml", "[]\n"],
  ["{} | to_yaml", "{}\n"],
  ["[1, 'a b', 'c,d', '', 'yes', 'ünï', none, true, 1.5] | to_yaml", "[1, a b, 'c,d', '', 'yes', ünï, null, true, 1.5]\n"],
  ["[[1, 2], {'a': 1}, [], {}] | to_yaml", "- [1, 2]\n- {a: 1}\n- []\n- {}\n"],
  ["{'k': {'x': [1, 2], 'y': {'z': 1}}} | to_yaml", "k:\n  x: [1, 2]\n  y: {z: 1}\n"],
  ["{'k': ['multi\nline', \"it's\"]} | to_yaml", "k: ['multi\n\n    line', it's]\n"],
  ["{'k': 'ünï', 'e': 'é'} | to_yaml", "{e: é, k: ünï}\n"],
  ["[1, [2, [3]]] | to_yaml(indent=4)", "- 1\n-   - 2\n    - [3]\n"],
  ["long | to_yaml", "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh\n"],
  ["{'l': longlist} | to_yaml", "l: [item-number-0, item-number-1, item-number-2, item-number-3, item-number-4, item-number-5,\n  item-number-6, item-number-7, item-number-8, item-number-9, item-number-10, item-number-11]\n"],
  ["{'a: b': 1, 'c': '#x', 'd': '[x]'} | to_yaml", "{'a: b': 1, c: '#x', d: '[x]'}\n"],
  ["data | to_nice_yaml(indent=2, width=50)", "a: x y\nb:\n- 1\n- 2\n- c: d\ne: []\nf: {}\nlong: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee\n  ffffffffff gggggggggg hhhhhhhhhh\nmulti: 'l1\n\n  l2\n\n  '\nn: null\nnum: 1.5\ns: 'yes'\nt: true\n"],
  ["{'f': 40.0, 'g': (10 ** 20) | float, 'h': 0.1} | to_yaml", "{f: 40.0, g: 1.0e+20, h: 0.1}\n"],];

describe("to_yaml and to_nice_yaml write what Ansible 2.14 writes", () => {
  for (const [expression, expected] of CASES) {
    test(expression, () => assert.equal(renderValue(`{{ ${expression} }}`, vars, where), expected));
  }
  test("to_nice_yaml refuses default_flow_style, which it sets itself", () => {
    assert.throws(() => renderValue("{{ data | to_nice_yaml(default_flow_style=True) }}", vars, where), {
      message: /to_nice_yaml - yaml.dump\(\) got multiple values for keyword argument 'default_flow_style'/,
    });
  });
});
