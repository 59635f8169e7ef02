/** Strict undefined: an undefined variable is an error everywhere it is used, except where Ansible allows it. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TemplateError } from "../../../engine/errors.js";
import { conditionProblem, conditionWarnings, evaluate, renderFile, renderString, renderValue } from "../../../engine/template/render.js";
import { OMIT } from "../../../engine/execute/vars.js";

const where = { task: "configure app", file: "roles/app/tasks/main.yml", line: 12, col: 7, host: "web1" };

function templateError(run: () => unknown): TemplateError {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof TemplateError, `expected a TemplateError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a TemplateError");
}

describe("an undefined variable is an error", () => {
  const cases: [string, string, string][] = [
    ["output", "port={{ app_port }}", "'app_port' is undefined"],
    ["if", "{% if app_port %}x{% endif %}", "'app_port' is undefined"],
    ["if on an attribute of an undefined variable", "{% if app.port %}x{% endif %}", "'app' is undefined"],
    ["elif", "{% if false %}a{% elif app_port > 1 %}b{% endif %}", "'app_port' is undefined"],
    ["for", "{% for p in app_ports %}{{ p }}{% endfor %}", "'app_ports' is undefined"],
    ["for over an attribute", "{% for p in app.ports %}{{ p }}{% endfor %}", "'app' is undefined"],
    ["inside a for body", "{% for p in [1] %}{{ p }}{{ other }}{% endfor %}", "'other' is undefined"],
    ["comparison", "{{ app_port == 80 }}", "'app_port' is undefined"],
    ["and/or", "{{ true and app_port }}", "'app_port' is undefined"],
    ["not", "{{ not app_port }}", "'app_port' is undefined"],
    ["filter input", "{{ app_port | int }}", "'app_port' is undefined"],
    ["default's fallback when the value is undefined too", "{{ x | default(app_port) }}", "'app_port' is undefined"],
    ["an argument a filter uses", "{{ [1] | union(app_port) }}", "'app_port' is undefined"],
    ["an argument a filter uses, on an empty list", "{{ [] | union(app_port) }}", "'app_port' is undefined"],
    ["a missing attribute as an argument a filter uses", "{{ [1] | union(result.stdout) }}", "'result' has no attribute 'stdout'"],
    ["join's separator", "{{ [1, 2] | join(app_port) }}", "'app_port' is undefined"],
    ["default's boolean, read when the value is defined", "{{ 'x' | default('d', app_port) }}", "'app_port' is undefined"],
    ["the ternary branch taken", "{{ false | ternary(1, app_port) }}", "'app_port' is undefined"],
    ["int's default when the conversion fails", "{{ 'x' | int(app_port) }}", "'app_port' is undefined"],
    ["mandatory's message when the value is undefined", "{{ x | mandatory(app_port) }}", "'app_port' is undefined"],
    ["a filter given default's undefined result", "{{ x | default(app_port) | int }}", "'app_port' is undefined"],
    ["a filter given first's undefined result", "{{ [] | first | int }}", "No first item, sequence was empty."],
    ["concatenating default's undefined result", "{{ 'a' ~ (x | default(app_port)) }}", "'app_port' is undefined"],
    ["comparing default's undefined result", "{{ (x | default(app_port)) == 1 }}", "'app_port' is undefined"],
    ["or on default's undefined result", "{{ (x | default(app_port)) or 1 }}", "'app_port' is undefined"],
    ["adding to default's undefined result", "{{ (x | default(app_port)) + 1 }}", "'app_port' is undefined"],
    ["in default's undefined result", "{{ 1 in (x | default(app_port)) }}", "'app_port' is undefined"],
    ["a test's argument", "{{ 1 is eq(app_port) }}", "'app_port' is undefined"],
    ["a test's argument, through select", "{{ [1] | select('eq', app_port) | list }}", "'app_port' is undefined"],
    ["a method's fallback when the key is missing", "{{ result.get('stdout', app_port) }}", "'app_port' is undefined"],
    ["a function's argument", "{{ dict(a=app_port) }}", "'app_port' is undefined"],
    ["inline if", "{{ 'a' if app_port else 'b' }}", "'app_port' is undefined"],
    ["missing attribute", "{{ result.stdout }}", "'result' has no attribute 'stdout'"],
    ["missing attribute in if", "{% if result.stdout %}x{% endif %}", "'result' has no attribute 'stdout'"],
    ["missing nested attribute", "{{ result.a.b }}", "'result' has no attribute 'a'"],
    ["missing list element", "{{ items[5] }}", "'items' has no element 5"],
  ];
  for (const [name, template, message] of cases) {
    test(name, () => {
      const error = templateError(() => renderString(template, { result: {}, items: [1] }, where));
      assert.equal(error.message, message);
      assert.equal(error.code, "REMS_TEMPLATE");
    });
  }

  test("the error carries the place it was given", () => {
    const error = templateError(() => renderString("{{ app_port }}", {}, where));
    assert.deepEqual(error.loc, { file: "roles/app/tasks/main.yml", line: 12, col: 7 });
    assert.equal(error.task, "configure app");
    assert.equal(error.host, "web1");
    assert.equal(error.describe(), "roles/app/tasks/main.yml:12:7: 'app_port' is undefined");
  });

  test("in a template file, the error names the template file and line", () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-template-"));
    const file = join(dir, "app.conf.j2");
    writeFileSync(file, "[app]\nname = {{ app_name }}\n{% if tls_enabled %}\ntls = on\n{% endif %}\n");
    const error = templateError(() => renderFile(readFileSync(file, "utf8"), file, { app_name: "rems" }, { task: "write config", host: "web1" }));
    assert.equal(error.message, "'tls_enabled' is undefined");
    assert.deepEqual(error.loc, { file, line: 3, col: 7 });
    assert.equal(error.task, "write config");
  });

  test("an undefined argument a filter uses names the template file's line of the filter", () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-template-"));
    const file = join(dir, "app.conf.j2");
    writeFileSync(file, "[app]\nport = {{ app_port | default(8080) }}\nhosts = {{ ['a'] | union(extra_hosts) }}\n");
    const error = templateError(() => renderFile(readFileSync(file, "utf8"), file, {}, { task: "write config", host: "web1" }));
    assert.equal(error.message, "'extra_hosts' is undefined");
    assert.equal(error.loc?.line, 3);
  });

  test("a string template without a file names its line in the template when the where has a file but no line", () => {
    const error = templateError(() => renderString("a\nb\n  {{ missing }}\n", {}, { file: "files/motd.j2" }));
    assert.deepEqual(error.loc, { file: "files/motd.j2", line: 3, col: 6 });
  });

  test("evaluate raises for an undefined variable in a condition", () => {
    const error = templateError(() => evaluate("result.rc != 0 and x is defined", {}, where));
    assert.equal(error.message, "'result' is undefined");
  });
});

describe("where Ansible allows undefined values", () => {
  const vars = { result: { rc: 0 }, nothing: null, a: 1, b: 2 };
  const cases: [string, string, string][] = [
    ["is defined", "{{ x is defined }}", "False"],
    ["is undefined", "{{ x is undefined }}", "True"],
    ["is not defined", "{{ x is not defined }}", "True"],
    ["is defined on a chain through an undefined variable", "{{ x.y.z is defined }}", "False"],
    ["is defined on a missing attribute", "{{ result.stdout is defined }}", "False"],
    ["is defined in if", "{% if x is defined %}yes{% else %}no{% endif %}", "no"],
    ["guarded by and", "{% if x is defined and x.port > 1 %}yes{% else %}no{% endif %}", "no"],
    ["default", "{{ x | default('d') }}", "d"],
    ["d", "{{ x | d('d') }}", "d"],
    ["default on a missing attribute", "{{ result.stdout | default('none') }}", "none"],
    ["default on a chain", "{{ x.y.z | default(3) }}", "3"],
    ["default does not replace None", "{{ nothing | default('d') is none }}", "True"],
    ["default with boolean=true replaces falsy values", "{{ nothing | default('d', true) }}", "d"],
    ["an undefined fallback of a defined value", "{{ a | default(x) }}", "1"],
    ["an undefined chain as fallback of a defined value", "{{ a | default(x.y.z) }}", "1"],
    ["an undefined fallback given by name", "{{ a | default(default_value=x) }}", "1"],
    ["a defined fallback of an undefined value", "{{ x | default(b) }}", "2"],
    ["default of an undefined default", "{{ x | default(y) | default(5) }}", "5"],
    ["is defined on default's result", "{{ a | default(x) is defined }}, {{ x | default(y) is defined }}", "True, False"],
    ["the ternary branch not taken", "{{ true | ternary(1, x) }}, {{ 0 | ternary(1, 2, x) }}", "1, 2"],
    ["int's default when the conversion works", "{{ '1' | int(x) }}, {{ a | int(default=x) }}", "1, 1"],
    ["mandatory's message when the value is defined", "{{ a | mandatory(x) }}", "1"],
    ["a method's fallback when the key is there", "{{ result.get('rc', x) }}", "0"],
    ["an attribute of default's undefined result, defaulted", "{{ (x | default(y)).z | default(3) }}", "3"],
    ["first of a list starting with None", "{{ [None, 1] | first is none }}", "True"],
  ];
  for (const [name, template, expected] of cases) {
    test(name, () => assert.equal(renderString(template, vars, where), expected));
  }

  test("mandatory raises Ansible's message", () => {
    const error = templateError(() => renderString("{{ db_password | mandatory }}", {}, where));
    assert.equal(error.message, "Mandatory variable 'db_password' not defined.");
    assert.equal(renderString("{{ 'x' | mandatory }}", {}, where), "x");
  });

  test("default(omit) leaves the omit placeholder for an undefined value only", () => {
    assert.equal(renderValue("{{ x | default(omit) }}", { omit: OMIT }, where), OMIT);
    assert.equal(renderValue("{{ a | default(omit) }}", { omit: OMIT, a: 1 }, where), "1");
  });

  test("renderValue of an undefined single expression raises", () => {
    const error = templateError(() => renderValue({ args: ["{{ missing }}"] }, {}, where));
    assert.equal(error.message, "'missing' is undefined");
  });
});

describe("other template errors are TemplateErrors too", () => {
  test("syntax error", () => {
    const error = templateError(() => renderString("{% if %}", {}, { file: "t.j2" }));
    assert.equal(error.message, "unexpected token: %}");
    assert.deepEqual(error.loc, { file: "t.j2", line: 1, col: 7 });
  });
  test("unknown filter", () => {
    assert.equal(templateError(() => renderString("{{ 1 | nope }}", {}, where)).message, "filter not found: nope");
  });
  test("type errors use Python's words", () => {
    assert.equal(
      templateError(() => renderString("{{ 'a' + 1 }}", {}, where)).message,
      "unsupported operand type(s) for +: 'str' and 'int'",
    );
    assert.equal(
      templateError(() => renderString("{{ version > 10 }}", { version: "12" }, where)).message,
      "'>' not supported between instances of 'str' and 'int'",
    );
  });
  test("a condition with {{ }} inside is rendered first and its text evaluated, with Ansible's warning", () => {
    assert.equal(evaluate("{{ 1 + 1 }}", {}, where), 2);
    assert.equal(evaluate("{{ a }} == {{ b }}", { a: 1, b: 1 }, where), true);
    // ansible-core's systemd target asserts so
    assert.equal(evaluate('x is search("svc {{ name }}")', { x: "no svc web here", name: "web" }, where), true);
    assert.equal(evaluate('x is search("svc {{ name }}")', { x: "no svc web here", name: "db" }, where), false);
    assert.deepEqual(conditionWarnings(["a == 1", ["{{ a }} == {{ b }}"], undefined, true]), [
      "conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: {{ a }} == {{ b }}",
    ]);
    assert.equal(conditionProblem('x is search("svc {{ name }}")'), undefined);
    assert.match(conditionProblem("x == {{ name ") ?? "", /./);
  });
});
