/**
 * Issue 14: ints and floats as Python has them and Ansible 2.14 prints them: `/` and `| float` give floats (2.0),
 * `| round` keeps an int an int and rounds a float half to even, `| int` truncates, a float prints as Python's repr
 * (1e+20, 1e-05). Each case is [expression, what ansible-playbook wrote for `<{{ expression }}>` in a copy's
 * content, the value set_fact gave `{{ expression }}`], with n: 5 and f: 1.5.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { renderString, renderValue } from "../../../engine/template/render.js";

const where = { task: "numbers" };
const vars = { n: 5, f: 1.5 };

const CASES: readonly (readonly [string, string, unknown])[] = [
  ["39.6 | round", "40.0", "40.0"],
  ["40 | round", "40", "40"],
  ["2.5 | round", "2.0", "2.0"],
  ["3.5 | round", "4.0", "4.0"],
  ["-2.5 | round", "-2.0", "-2.0"],
  ["2.675 | round(2)", "2.67", "2.67"],
  ["39.6 | round(0, 'floor')", "39.0", "39.0"],
  ["39.2 | round(0, 'ceil')", "40.0", "40.0"],
  ["42 | round(1, 'floor')", "42.0", "42.0"],
  ["4 / 2", "2.0", "2.0"],
  ["5 / 2", "2.5", "2.5"],
  ["7 // 2", "3", "3"],
  ["7.0 // 2", "3.0", "3.0"],
  ["-7 // 2", "-4", "-4"],
  ["2 ** 3", "8", "8"],
  ["2 ** -1", "0.5", "0.5"],
  ["2.0 ** 2", "4.0", "4.0"],
  ["1.5 * 2", "3.0", "3.0"],
  ["0.5 + 0.5", "1.0", "1.0"],
  ["3 - 1.0", "2.0", "2.0"],
  ["7 % 3", "1", "1"],
  ["7.5 % 2", "1.5", "1.5"],
  ["-n", "-5", "-5"],
  ["-f", "-1.5", "-1.5"],
  ["n * 2", "10", "10"],
  ["'3' | float", "3.0", "3.0"],
  ["3 | float", "3.0", "3.0"],
  ["'abc' | float", "0.0", "0.0"],
  ["'1e3' | float", "1000.0", "1000.0"],
  ["'inf' | float", "inf", "inf"],
  ["3.7 | int", "3", "3"],
  ["'3.7' | int", "3", "3"],
  ["'0x1F' | int(base=16)", "31", "31"],
  ["(4 / 2) | int", "2", "2"],
  ["(10 ** 20) | float", "1e+20", "1e+20"],
  ["(10 ** 16) | float", "1e+16", "1e+16"],
  ["(10 ** 15) | float", "1000000000000000.0", "1000000000000000.0"],
  ["'1e-5' | float", "1e-05", "1e-05"],
  ["0.0001", "0.0001", "0.0001"],
  ["0.1 + 0.2", "0.30000000000000004", "0.30000000000000004"],
  ["100.0 / 3", "33.333333333333336", "33.333333333333336"],
  ["[4 / 2, 1.0, 5 / 2]", "[2.0, 1.0, 2.5]", [2.0, 1.0, 2.5]],
  ["{'a': 4 / 2}", "{'a': 2.0}", {"a": 2.0}],
  ["(4 / 2) | to_json", "2.0", "2.0"],
  ["[1.0, (10 ** 20) | float, '1e-5' | float] | to_json", "[1.0, 1e+20, 1e-05]", "[1.0, 1e+20, 1e-05]"],
  ["(4 / 2) is number", "True", true],
  ["(4 / 2) | type_debug", "float", "float"],
  ["(7 // 2) | type_debug", "int", "int"],
  ["(39.6 | round) | type_debug", "float", "float"],
  ["(40 | round) | type_debug", "int", "int"],
  ["4 / 2 == 2", "True", true],
  ["'%s %d %.1f' | format(4 / 2, 4 / 2, 4 / 2)", "2.0 2 2.0", "2.0 2 2.0"],
  ["[3, 1.0, 2] | sort", "[1.0, 2, 3]", [1.0, 2, 3]],
  ["[3, 1.0, 2] | max", "3", "3"],
  ["[1.0, 2] | sum", "3.0", "3.0"],
  ["(4 / 2) ~ ''", "2.0", "2.0"],
  ["(4 / 2) | string", "2.0", "2.0"],
  ["f | round", "2.0", "2.0"],
];

describe("numbers print as ansible-playbook 2.14 prints them", () => {
  for (const [expression, text, value] of CASES) {
    test(expression, () => {
      assert.equal(renderString(`<{{ ${expression} }}>`, vars, where), `<${text}>`);
      assert.deepEqual(renderValue(`{{ ${expression} }}`, vars, where), value);
    });
  }
});
