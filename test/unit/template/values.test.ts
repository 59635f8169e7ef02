/** renderValue, evaluate and evaluateCondition: native values, deep templating, Ansible truthiness. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { evaluate, evaluateCondition, isTemplated, renderFile, renderString, renderValue } from "../../../engine/template/render.js";

const where = { task: "t", file: "site.yml", line: 3, col: 5 };
const vars = {
  text_false: "false",
  port: 8080,
  name: "rems",
  enabled: true,
  packages: ["nginx", "sqlite3"],
  db: { path: "/var/lib/rems.db", timeout: 5 },
  nothing: null,
  result: { rc: 1, changed: true, failed: false, stdout: "ok" },
};

describe("renderValue", () => {
  test("a single expression yields its value as Ansible 2.14 reads it back (literal-values.test.ts)", () => {
    assert.equal(renderValue("{{ port }}", vars, where), 8080);
    // ansible 2.14: one variable is its number even with the final newline (`copy: content: "{{ n }}\n"` writes
    // "8080"); blanks around an expression make text, which is read back only when it is a list, dict or boolean.
    assert.equal(renderValue("  {{ port + 1 }}  ", vars, where), "  8081  ");
    assert.equal(renderValue("{{ port }}\n", vars, where), 8080);
    assert.equal(renderValue("{{ port + 1 }}\n", vars, where), "8081\n");
    assert.deepEqual(renderValue("{{ packages }}\n", vars, where), ["nginx", "sqlite3"]);
    assert.equal(renderValue("{{ enabled }}", vars, where), true);
    assert.equal(renderValue("{{ nothing }}", vars, where), null);
    assert.deepEqual(renderValue("{{ packages }}", vars, where), ["nginx", "sqlite3"]);
    assert.deepEqual(renderValue("{{ db }}", vars, where), { path: "/var/lib/rems.db", timeout: 5 });
    assert.deepEqual(renderValue("{{ packages + ['ufw'] }}", vars, where), ["nginx", "sqlite3", "ufw"]);
    assert.deepEqual(renderValue("{{ {'a': {'b': 1}} }}", vars, where), { a: { b: 1 } });
    assert.equal(renderValue("{{ '0644' }}", vars, where), "0644");
  });

  test("other templated strings yield strings", () => {
    assert.equal(renderValue("port {{ port }}", vars, where), "port 8080");
    assert.equal(renderValue("{{ port }}{{ port }}", vars, where), "80808080");
    assert.equal(renderValue("{% if enabled %}on{% endif %}", vars, where), "on");
    assert.equal(renderValue("{{ enabled }}!", vars, where), "True!");
  });

  test("templates strings deep inside objects and lists, keys included", () => {
    const value = { dest: "/etc/{{ name }}.conf", opts: ["--port={{ port }}", 3, false, null], "{{ name }}_key": "{{ db.timeout }}" };
    assert.deepEqual(renderValue(value, vars, where), {
      dest: "/etc/rems.conf",
      opts: ["--port=8080", 3, false, null],
      rems_key: "5",
    });
  });

  test("returns untemplated values untouched (the same object)", () => {
    const value = { a: ["x", 1], b: "plain" };
    assert.equal(renderValue(value, vars, where), value);
    assert.equal(renderValue("no templates here", vars, where), "no templates here");
  });

  test("the result is plain data, not tied to the variables", () => {
    const out = renderValue("{{ db }}", vars, where) as Record<string, unknown>;
    out.timeout = 99;
    assert.equal(vars.db.timeout, 5);
  });

  test("string literals inside {{ }} of a value are taken as written, as Ansible doubles their backslashes", () => {
    // ansible 2.14, msg: '{{ "a\\b" }}|{{ "tab\there" }}|{{ "\x41" }}|{{ "\d+" }}' prints a\\b|tab\there|\x41|\d+
    assert.equal(renderValue("{{ '\\d+' }}", vars, where), "\\d+");
    assert.equal(renderValue("{{ 'a\\\\b' }}", vars, where), "a\\\\b");
    assert.equal(renderValue("{{ 'tab\\there' }}", vars, where), "tab\\there");
    assert.equal(renderValue("{{ '\\x41' }}", vars, where), "\\x41");
    assert.equal(renderValue("{{ 'v1.2' | regex_replace('^v(\\d+)', '\\1') }}", vars, where), "1.2");
    // ... but not inside {% %}: '{% if "\x41" == "A" %}decoded{% endif %}' prints decoded.
    assert.equal(renderValue("{% if '\\x41' == 'A' %}decoded{% endif %}", vars, where), "decoded");
  });

  test("string escapes of template files and conditions follow Python, as Jinja decodes them", () => {
    assert.equal(renderFile("{{ 'a\\\\b' }}|{{ 'tab\\there' }}|{{ '\\x41' }}", "/t.j2", vars, where), "a\\b|tab\there|A");
    assert.equal(evaluate("'\\x41' == 'A'", vars, where), true);
  });
});

describe("evaluate", () => {
  test("evaluates bare expressions to native values", () => {
    assert.equal(evaluate("result.rc != 0 and port is defined", vars, where), true);
    assert.equal(evaluate("result is changed and result is not failed", vars, where), true);
    assert.equal(evaluate("packages | length", vars, where), 2);
    assert.equal(evaluate("'nginx' in packages", vars, where), true);
    assert.equal(evaluate("result.stdout == 'ok'", vars, where), true);
    assert.equal(evaluate("missing is defined", vars, where), false);
    assert.deepEqual(evaluate("packages | map('upper') | list", vars, where), ["NGINX", "SQLITE3"]);
  });

  test("Python truthiness in and/or", () => {
    assert.equal(evaluate("[] or 'x'", vars, where), "x");
    assert.deepEqual(evaluate("packages and packages[0]", vars, where), "nginx");
    assert.equal(evaluate("not []", vars, where), true);
  });

  test("Python comparisons", () => {
    assert.equal(evaluate("port == '8080'", vars, where), false);
    assert.equal(evaluate("[1, 2] == [1, 2]", vars, where), true);
    assert.equal(evaluate("1 < 2 < 3", vars, where), true);
    assert.equal(evaluate("3 < 2 < 4", vars, where), false);
  });
});

describe("evaluateCondition", () => {
  const cases: [unknown, boolean][] = [
    [true, true],
    [false, false],
    [null, true],
    ["", true],
    ["yes", true],
    ["True", true],
    ["no", false],
    ["false", false],
    ["OFF", false],
    ["result.rc == 1", true],
    ["result.rc == 0", false],
    ["packages", true],
    ["[]", false],
    ["result is failed", false],
    ["{{ enabled }}", true],
    // A non-empty string is true, as Ansible's `{% if %}` reads it (why playbooks write `flag | bool`).
    ["'no'", true],
    ["text_false", true],
    ["'anything'", true],
    [["port > 80", "enabled"], true],
    [["port > 80", "not enabled"], false],
    [1, true],
    [0, false],
  ];
  for (const [condition, expected] of cases) {
    test(`${JSON.stringify(condition)} is ${expected}`, () => {
      assert.equal(evaluateCondition(condition, vars, where), expected);
    });
  }

  test("a mapping is not a condition", () => {
    assert.throws(() => evaluateCondition({ a: 1 }, vars, where), /a condition must be a string, a boolean or a list, not dict/);
  });
});

describe("isTemplated", () => {
  test("finds {{ or {% anywhere", () => {
    assert.equal(isTemplated("a {{ b }}"), true);
    assert.equal(isTemplated("{% if x %}{% endif %}"), true);
    assert.equal(isTemplated({ a: [1, { b: "{{ c }}" }] }), true);
    assert.equal(isTemplated({ a: [1, { b: "c" }] }), false);
    assert.equal(isTemplated("{ not: a template }"), false);
    assert.equal(isTemplated(42), false);
    assert.equal(isTemplated(null), false);
  });
});

describe("renderString", () => {
  test("keeps the trailing newline and Ansible's whitespace rules", () => {
    assert.equal(renderString("a {{ name }}\n", vars, where), "a rems\n");
    assert.equal(renderString("{% if enabled %}\nx\n{% endif %}\ny", vars, where), "x\ny");
    assert.equal(renderString("{# note #}\nz\n", vars, where), "z\n");
  });

  test("prints values as Jinja does", () => {
    assert.equal(renderString("{{ enabled }} {{ nothing }} {{ packages }} {{ db }}", vars, where),
      "True  ['nginx', 'sqlite3'] {'path': '/var/lib/rems.db', 'timeout': 5}");
  });

  test("Python methods on strings and dicts", () => {
    assert.equal(renderString("{% for k, v in db.items() %}{{ k }}={{ v }};{% endfor %}", vars, where), "path=/var/lib/rems.db;timeout=5;");
    assert.equal(renderString("{{ 'a,b'.split(',') | join('+') }} {{ db.get('x', 'd') }} {{ name.upper() }}", vars, where), "a+b d REMS");
  });

  test("Python slices", () => {
    const seqs = { s: "abcdef", l: [1, 2, 3, 4, 5] };
    assert.equal(renderString("{{ s[1:] }} {{ s[:3] }} {{ s[-2:] }} {{ s[::2] }} {{ s[::-1] }}", seqs, where), "bcdef abc ef ace fedcba");
    assert.equal(renderString("{{ l[1:3] }} {{ l[-1] }} {{ l[:-1] }} {{ l[1:][0] }}", seqs, where), "[2, 3] 5 [1, 2, 3, 4] 2");
    assert.throws(() => renderString("{{ l[1:2:3:4] }}", seqs, where), { message: "invalid slice: too many ':'" });
  });

  test("Python operators on strings and lists", () => {
    assert.equal(renderString("{{ '=' * 5 }} {{ [0] * 3 }} {{ '%s-%03d' % ('web', 7) }} {{ '%s' % 'x' }} {{ -7 % 3 }}", vars, where), "===== [0, 0, 0] web-007 x 2");
  });

  test("loop filters", () => {
    const hosts = { servers: [{ n: "a", on: true }, { n: "b", on: false }, { n: "c", on: true }], d: { x: 1, y: 2 } };
    assert.equal(renderString("{% for s in servers if s.on %}{{ loop.index }}{{ s.n }} {% endfor %}", hosts, where), "1a 2c ");
    assert.equal(renderString("{% for k, v in d.items() if v > 1 %}{{ k }}{% endfor %}|{% for k in d if k != 'x' %}{{ k }}{% endfor %}", hosts, where), "y|y");
    assert.throws(() => renderString("{% for s in servers if s.nope %}{% endfor %}", hosts, where), { message: "'s' has no attribute 'nope'" });
  });

  test("format and dict()", () => {
    assert.equal(renderString("{{ '%s:%d %05.1f %%' | format('host', 22, 3.14159) }}", vars, where), "host:22 003.1 %");
    assert.equal(renderString("{{ dict(a=1, b='x') }}", vars, where), "{'a': 1, 'b': 'x'}");
  });

  test("a dict iterates its keys", () => {
    assert.equal(renderString("{% for k in db %}{{ k }} {% endfor %}", vars, where), "path timeout ");
  });
});
