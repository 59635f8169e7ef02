/**
 * The filters and tests real roles use (issue 14): comment, expanduser, regex_search with groups, to_nice_yaml,
 * and the regex/match/search tests. Each expected value is what ansible-playbook 2.14 printed for the same
 * expression in a task's value (where string literals inside {{ }} are taken as written).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { homedir } from "node:os";
import { renderFile, renderValue } from "../../../engine/template/render.js";

const where = { task: "filters" };
const vars = {
  two: "a\nb",
  data: {
    b: [1, 2, { c: "d" }], a: "x y", e: [], f: {}, n: null, t: true, num: 1.5, s: "yes", multi: "l1\nl2\n",
    long: "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh",
  },
};

const CASES: readonly (readonly [string, unknown])[] = [
  ["two | comment", "#\n# a\n# b\n#"],
  ["'a' | comment('c')", "//\n// a\n//"],
  ["'a' | comment('cblock')", "/*\n *\n * a\n *\n */"],
  ["'a' | comment('erlang')", "%\n% a\n%"],
  ["'a' | comment('xml')", "<!--\n -\n - a\n -\n-->"],
  ["'a' | comment('plain', prefix='#!', postfix='#')", "#!\n# a\n#"],
  ["two | comment('plain', decoration='// ')", "//\n// a\n// b\n//"],
  ["'a' | comment('c', prefix_count=2, postfix_count=0)", "//\n//\n// a"],
  ["'a' | comment(beginning='<<', end='>>', decoration='| ')", "<<\n|\n| a\n|\n>>"],
  ["'' | comment", "#\n# \n#"],
  ["'~root/x' | expanduser", "/root/x"],
  ["'~nosuchuser/x' | expanduser", "~nosuchuser/x"],
  ["'a~/x' | expanduser", "a~/x"],
  ["'abc123def' | regex_search('(\\d)(\\d)', '\\2', '\\1')", ["2", "1"]],
  ["'abc123def' | regex_search('(?P<n>\\d+)', '\\g<n>')", ["123"]],
  ["'ABC' | regex_search('b', ignorecase=True)", "B"],
  ["'abc' | regex_search('z') is none", true],
  ["data | to_nice_yaml", "a: x y\nb:\n- 1\n- 2\n-   c: d\ne: []\nf: {}\nlong: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg\n    hhhhhhhhhh\nmulti: 'l1\n\n    l2\n\n    '\nn: null\nnum: 1.5\ns: 'yes'\nt: true\n"],
  ["data | to_nice_yaml(indent=2)", "a: x y\nb:\n- 1\n- 2\n- c: d\ne: []\nf: {}\nlong: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg\n  hhhhhhhhhh\nmulti: 'l1\n\n  l2\n\n  '\nn: null\nnum: 1.5\ns: 'yes'\nt: true\n"],
  ["data | to_nice_yaml(width=40)", "a: x y\nb:\n- 1\n- 2\n-   c: d\ne: []\nf: {}\nlong: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd\n    eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh\nmulti: 'l1\n\n    l2\n\n    '\nn: null\nnum: 1.5\ns: 'yes'\nt: true\n"],
  ["[1, [2, 3], {'a': [4]}] | to_nice_yaml", "- 1\n-   - 2\n    - 3\n-   a:\n    - 4\n"],
  ["'x' | to_nice_yaml", "x\n"],
  ["{'k': 'a: b', 'n': '123', 'e': '', 'q': \"it's\", 'u': 'ünï', 'list': [[1, 2], []], 't': 'True', 'd': '2020-01-01'} | to_nice_yaml",
    "d: '2020-01-01'\ne: ''\nk: 'a: b'\nlist:\n-   - 1\n    - 2\n- []\nn: '123'\nq: it's\nt: 'True'\nu: ünï\n"],
  ["'abc' is regex('b')", true],
  ["'abc' is regex('b', match_type='match')", false],
  ["'abc' is regex('B', ignorecase=True)", true],
  ["'abc' is regex('a.c', match_type='fullmatch')", true],
  ["'abcd' is regex('a.c', match_type='fullmatch')", false],
  ["'abcd' is match('abc')", true],
  ["'xabc' is match('abc')", false],
  ["'xabc' is search('abc')", true],
  ["two is search('^b', multiline=True)", true],
  ["two is search('^b')", false],
  ["two is match('a.b')", false],
  ["two is regex('a$', multiline=True)", true],
];

describe("filters and tests give what ansible 2.14 gives", () => {
  for (const [expression, expected] of CASES) {
    test(expression, () => assert.deepEqual(renderValue(`{{ ${expression} }}`, vars, where), expected));
  }
  test("expanduser expands ~ to the controller user's home", () => {
    assert.equal(renderValue("{{ '~/x' | expanduser }}", vars, where), `${process.env.HOME ?? homedir()}/x`);
  });
  test("an unknown comment style or regex match_type is an error that says which", () => {
    assert.throws(() => renderValue("{{ 'a' | comment('nope') }}", vars, where), { message: /comment: unknown style 'nope'/ });
    assert.throws(() => renderValue("{{ 'a' is regex('a', match_type='nope') }}", vars, where), { message: /match_type must be search, match or fullmatch/ });
  });
});

describe("Jinja options of a template: the #jinja2: line and the template module's", () => {
  const body = "{% if x %}\n  {% for i in [1,2] %}\nv{{ i }}\n  {% endfor %}\n{% endif %}\nend\n";
  const CASES_OPTIONS: readonly (readonly [string, string, Parameters<typeof renderFile>[4], string])[] = [
    // ansible 2.14 template module output for each
    ["defaults (trim_blocks on)", body, {}, "  v1\n  v2\n  end\n"],
    ["#jinja2: header, read off and applied", "#jinja2: trim_blocks: False, lstrip_blocks: True\n" + body, {}, "\n\nv1\n\nv2\n\n\nend\n"],
    ["module options", body, { trim_blocks: false, lstrip_blocks: true }, "\n\nv1\n\nv2\n\n\nend\n"],
    ["the header wins over the module", "#jinja2: trim_blocks: True, lstrip_blocks: False\n" + body, { trim_blocks: false, lstrip_blocks: true }, "  v1\n  v2\n  end\n"],
    ["newline_sequence", "a\n{% if x %}\nb\n{% endif %}\n", { newline_sequence: "\r\n" }, "a\r\nb\r\n"],
  ];
  for (const [name, source, options, expected] of CASES_OPTIONS) {
    test(name, () => assert.equal(renderFile(source, "/t.j2", { x: 1 }, where, options), expected));
  }
  test("a header that is not key: value pairs is an error at the template", () => {
    assert.throws(() => renderFile("#jinja2: trim_blocks=False\nx\n", "/t.j2", {}, where), { message: /failed to parse jinja2 override 'trim_blocks=False'/ });
  });
});
