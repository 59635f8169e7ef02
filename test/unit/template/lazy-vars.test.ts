/** Variables that reference other variables are rendered when read, recursively, with cycle detection. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { TemplateError } from "../../../engine/errors.js";
import { evaluate, markUnsafe, renderString, renderValue, unsafeVars } from "../../../engine/template/render.js";
import { isUnsafe } from "../../../engine/template/scope.js";

const where = { task: "t", file: "roles/app/defaults/main.yml", line: 1, col: 1 };

describe("lazy variables", () => {
  const defaults = {
    app_name: "rems",
    app_dir: "/opt/{{ app_name }}",
    venv_dir: "{{ app_dir }}/venv",
    base_port: 8000,
    app_port: "{{ base_port + 1 }}",
    tls: "{{ app_port | int > 8000 }}",
    paths: { logs: "/var/log/{{ app_name }}", all: ["{{ app_dir }}", "{{ paths.logs }}"] },
    packages: "{{ ['nginx'] + extra_packages }}",
    extra_packages: ["sqlite3"],
  };

  test("a variable's template is rendered when read", () => {
    assert.equal(renderString("{{ app_dir }}/venv", defaults, where), "/opt/rems/venv");
    assert.equal(renderString("{{ venv_dir }}/bin", defaults, where), "/opt/rems/venv/bin");
  });

  test("a variable is what Ansible 2.14 makes of its template: a number as text, a boolean, a list", () => {
    // ansible-playbook 2.14: app_port is the str "8001", and `app_port + 1` fails as Python's str + int does.
    assert.equal(renderValue("{{ app_port }}", defaults, where), "8001");
    assert.equal(evaluate("app_port | int + 1", defaults, where), 8002);
    assert.throws(() => evaluate("app_port + 1", defaults, where), { message: /unsupported operand type\(s\) for \+: 'str' and 'int'/ });
    assert.equal(evaluate("tls", defaults, where), true);
    assert.deepEqual(renderValue("{{ packages }}", defaults, where), ["nginx", "sqlite3"]);
  });

  test("strings inside dicts and lists read through variables are rendered, even referencing their own dict", () => {
    assert.equal(renderString("{{ paths.logs }}", defaults, where), "/var/log/rems");
    assert.deepEqual(renderValue("{{ paths }}", defaults, where), {
      logs: "/var/log/rems",
      all: ["/opt/rems", "/var/log/rems"],
    });
    assert.equal(renderString("{% for p in paths.all %}{{ p }};{% endfor %}", defaults, where), "/opt/rems;/var/log/rems;");
  });

  test("a cycle is an error naming the variable", () => {
    const vars = { a: "{{ b }}", b: "x{{ a }}" };
    assert.throws(() => renderString("{{ a }}", vars, where), (e: unknown) => {
      assert.ok(e instanceof TemplateError);
      assert.equal(e.message, "recursive loop detected in template for 'a'");
      return true;
    });
    assert.throws(() => renderValue("{{ self }}", { self: "{{ self }}" }, where), {
      message: "recursive loop detected in template for 'self'",
    });
  });

  test("a cycle through a dict names the path", () => {
    assert.throws(() => renderValue("{{ d.x }}", { d: { x: "{{ d.y }}", y: "{{ d.x }}" } }, where), {
      message: "recursive loop detected in template for 'd.x'",
    });
  });

  test("an undefined variable inside a variable names both", () => {
    assert.throws(() => renderString("{{ venv }}", { venv: "{{ app_dir }}/venv", app_dir: "/opt/{{ app_nme }}" }, where), {
      message: "'app_nme' is undefined (in variable 'app_dir')",
    });
  });

  test("the same variable used twice is not a cycle", () => {
    assert.equal(renderString("{{ app_dir }} {{ app_dir }} {{ [app_dir, app_dir] | join(',') }}", defaults, where),
      "/opt/rems /opt/rems /opt/rems,/opt/rems");
  });

  test("unsafe values (registered results) are never rendered", () => {
    const vars = { result: markUnsafe({ stdout: "{{ app_name }}", rc: 0 }), app_name: "rems" };
    assert.equal(renderString("{{ result.stdout }}", vars, where), "{{ app_name }}");
    const rendered = renderValue("{{ result }}", vars, where) as object;
    assert.deepEqual({ ...rendered }, { ...markUnsafe({ stdout: "{{ app_name }}", rc: 0 }) });
  });

  test("the unsafe mark travels with the value: spread, assigned, nested, and set_fact's lone strings", () => {
    const result = markUnsafe({ stdout: "{{ nope }}", nested: { lines: ["{{ nope }}"] } });
    const copy = { ...result, attempts: 3 };
    const assigned = Object.assign({}, result);
    assert.ok(isUnsafe(copy) && isUnsafe(assigned) && isUnsafe(result.nested) && isUnsafe(result.nested.lines));
    const vars = { r: copy, s: assigned, n: result.nested, ...unsafeVars({ out: "{{ nope }}" }) };
    assert.equal(renderString("{{ r.stdout }} {{ s.stdout }} {{ n.lines[0] }} {{ out }}", vars, where), "{{ nope }} {{ nope }} {{ nope }} {{ nope }}");
    assert.equal(evaluate("'nope' in r.stdout and out | length == 10", vars, where), true);
  });

  test("variables are not modified by rendering", () => {
    const vars = { a: "{{ b }}", b: 1, d: { x: "{{ b }}" } };
    renderValue(["{{ a }}", "{{ d }}"], vars, where);
    assert.deepEqual(vars, { a: "{{ b }}", b: 1, d: { x: "{{ b }}" } });
  });
});
