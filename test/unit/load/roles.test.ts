import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { InputErrors } from "../../../engine/errors.js";
import { loadRole, loadTaskFile } from "../../../engine/load/include.js";
import { loadInventory } from "../../../engine/load/inventory.js";
import { loadPlaybook } from "../../../engine/load/playbook.js";
import { argumentSchema as specSchema, validateRoleVars } from "../../../engine/load/role-vars.js";
import { newScope } from "../../../engine/load/load-scope.js";
import { roleSearchDirs } from "../../../engine/load/roles.js";
import { loadVarsFile } from "../../../engine/load/vars-files.js";
import type { Block, RoleContext, Task } from "../../../engine/types.js";
import { fixture, registry } from "../../fixtures/load/registry.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";
import { runCli, writePlaybook } from "../../helpers/rems-play.js";

const playbook = fixture("playbook", "site.yml");
const play = loadPlaybook(playbook, registry, NO_VAULT)[0];
const webRole = play?.roles.find((r) => r.name === "web") as RoleContext;

/** Ansible's str: any scalar, converted to text. */
const TEXT = { anyOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }] };

describe("role argument specs (meta/argument_specs.yml)", () => {
  test("become a JSON schema on the role context", () => {
    assert.deepEqual(webRole.argumentSchema, {
      type: "object",
      required: ["web_port"],
      properties: {
        web_port: { type: "integer", title: "int", description: "Port to listen on" },
        web_name: { ...TEXT, title: "str", enum: ["site", "other"] },
        web_list: { type: "array", title: "list of str", items: { ...TEXT, title: "str" } },
        web_flag: { type: "boolean", title: "bool" },
      },
    });
  });

  test("an option with no type is a str, which takes its own default false as Ansible converts it (issue 14)", () => {
    const scope = newScope(registry, NO_VAULT, []);
    const argumentSchema = specSchema(scope, "/nonexistent", { argument_specs: { main: { options: { untyped: { default: false } } } } }, "main");
    assert.deepEqual(scope.errors, []);
    const role: RoleContext = { ...webRole, defaults: { untyped: false }, ...(argumentSchema ? { argumentSchema } : {}) };
    assert.deepEqual(validateRoleVars(role, []), []);
    assert.equal(validateRoleVars({ ...role, defaults: { untyped: [1] } }, []).length, 1);
  });

  test("a role without specs has no schema", () => {
    assert.equal(play?.roles.find((r) => r.name === "base")?.argumentSchema, undefined);
  });
});

describe("validateRoleVars", () => {
  const file = fixture("playbook", "vars", "bad-role-vars.yml");
  const bad = loadVarsFile(file, [], NO_VAULT);

  test("blames the winning layer's value at its file:line:col", () => {
    const layers = [{ label: file, vars: bad }];
    assert.deepEqual(
      validateRoleVars(webRole, layers).map((e) => e.describe()),
      [
        `${file}:1:11: role web: variable 'web_port' must be int, got 'abc'`,
        `${file}:2:11: role web: variable 'web_name' must be one of site, other, got 'third'`,
      ],
    );
  });

  test("values from inventory layers; strings read as the spec's type like Ansible (\"8080\", \"yes\")", () => {
    const inventory = loadInventory([fixture("inventory", "yaml", "hosts.yml")], NO_VAULT);
    const layers = [...inventory.hostVarLayers("web02"), { label: "play vars", vars: { web_port: "8080", web_flag: "yes" } }];
    assert.deepEqual(validateRoleVars(webRole, layers), []);
  });

  test("a later layer overrides a wrong value; templated values wait for run time", () => {
    const layers = [
      { label: file, vars: bad },
      { label: "extra vars", vars: { web_port: 1, web_name: "{{ name }}" }, aboveRole: true },
    ];
    assert.deepEqual(validateRoleVars(webRole, layers), []);
  });

  test("role defaults count (lowest); a required variable nobody sets is blamed where the role is used", () => {
    assert.deepEqual(validateRoleVars(webRole, []), []);
    const errors = validateRoleVars({ ...webRole, defaults: {} }, [{ label: "play vars", vars: {} }], "web01");
    assert.deepEqual(errors.map((e) => e.describe()), [`${playbook}:10:7: role web: variable 'web_port' is required but not set`]);
    assert.equal(errors[0]?.host, "web01");
  });

  test("role parameters beat play vars; extra vars (aboveRole) beat role parameters", () => {
    const role = { ...webRole, params: { web_port: "p" } };
    assert.deepEqual(
      validateRoleVars(role, [{ label: "play vars", vars: { web_port: 1 } }]).map((e) => e.describe()),
      [`${playbook}:10:7: role web: variable 'web_port' must be int, got 'p' (set in role web parameters)`],
    );
    assert.deepEqual(validateRoleVars(role, [{ label: "extra vars", vars: { web_port: 2 }, aboveRole: true }]), []);
  });

  test("a value without a recorded location names its layer", () => {
    assert.deepEqual(
      validateRoleVars(webRole, [{ label: "extra vars", vars: { web_port: "x" }, aboveRole: true }]).map((e) => e.describe()),
      [`${playbook}:10:7: role web: variable 'web_port' must be int, got 'x' (set in extra vars)`],
    );
  });
});

describe("loadRole (include_role at run time)", () => {
  const dirs = roleSearchDirs(playbook);

  test("searches roles/ beside the playbook, then ../roles and rems-play's own", () => {
    assert.equal(dirs[0], fixture("playbook", "roles"));
  });

  test("dependencies first, handlers and contexts of all", () => {
    const role = loadRole("web", dirs, { web_port: 1 }, registry, NO_VAULT);
    assert.equal(role.context.name, "web");
    assert.deepEqual(role.context.params, { web_port: 1 });
    assert.deepEqual(role.blocks.map((b: Block) => b.role?.name), ["base", "web"]);
    assert.deepEqual(role.handlers.map((h: Task) => h.name), ["base handler", "reload web"]);
    assert.deepEqual(role.roles.map((r) => r.name), ["base", "web"]);
  });

  test("tasks_from", () => {
    const role = loadRole("base", dirs, {}, registry, NO_VAULT, { tasksFrom: "extra" });
    assert.equal((role.blocks[0]?.block[0] as Task).name, "base extra");
  });

  test("an unknown role is an error with a suggestion", () => {
    assert.throws(
      () => loadRole("wbe", dirs, {}, registry, NO_VAULT, { loc: { file: "site.yml", line: 4, col: 9 } }),
      (e: unknown) => e instanceof InputErrors && e.message.startsWith("site.yml:4:9: role 'wbe' not found in ") && e.message.endsWith("; did you mean 'web'?"),
    );
  });
});

describe("loadTaskFile (include_tasks at run time)", () => {
  test("loads tasks with the given role and inherited tags", () => {
    const tasks = loadTaskFile(fixture("playbook", "tasks", "common.yml"), webRole, registry, NO_VAULT, { tags: ["inc"], roleDirs: roleSearchDirs(playbook) });
    const first = tasks[0] as Task;
    assert.equal(first.name, "common task");
    assert.equal(first.role, webRole);
    assert.deepEqual(first.kw.tags, ["inc"]);
  });

  test("import_role inside finds roles beside the file by default", () => {
    const tasks = loadTaskFile(fixture("playbook", "tasks", "common.yml"), undefined, registry, NO_VAULT);
    const importRole = tasks[1] as Block;
    assert.equal(importRole.kind, "block");
    assert.equal(importRole.block[0]?.role?.name, "base");
  });

  test("reports the file's errors together", () => {
    const file = fixture("errors", "tasks.yml");
    assert.throws(
      () => loadTaskFile(file, undefined, registry, NO_VAULT),
      (e: unknown) => e instanceof InputErrors && e.message === `${file}:4:3: task "typo": unknown module or action 'debugg'; did you mean 'debug'?`,
    );
  });
});

// Issue 14: ansible-core's targets are roles found through ANSIBLE_ROLES_PATH, beside a `roles` that is a text file.
describe("roleSearchDirs", () => {
  test("ANSIBLE_ROLES_PATH's directories come after roles/ beside the playbook, in their order", () => {
    const extra = [fixture("playbook", "roles", "web"), fixture("playbook", "tasks")];
    const dirs = roleSearchDirs(playbook, { ANSIBLE_ROLES_PATH: `${extra.join(":")}::` });
    assert.deepEqual(dirs.slice(0, 3), [fixture("playbook", "roles"), ...extra]);
  });

  test("a roles path that is a file, or missing, is passed over", () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-roles-"));
    writeFileSync(join(dir, "roles"), "targets");
    const dirs = roleSearchDirs(join(dir, "site.yml"), { ANSIBLE_ROLES_PATH: join(dir, "missing") });
    assert.ok(!dirs.includes(join(dir, "roles")));
    assert.ok(!dirs.includes(join(dir, "missing")));
  });
});

describe("argument_specs at --syntax-check (issue 14)", () => {
  test("a variable the role's argument_specs refuse fails the syntax check at its place, before any host", () => {
    const path = writePlaybook("- hosts: all\n  gather_facts: false\n  vars:\n    port: many\n  roles: [svc]\n");
    const dir = dirname(path);
    mkdirSync(join(dir, "roles/svc/meta"), { recursive: true });
    mkdirSync(join(dir, "roles/svc/tasks"), { recursive: true });
    mkdirSync(join(dir, "roles/svc/defaults"), { recursive: true });
    writeFileSync(join(dir, "roles/svc/meta/argument_specs.yml"), "argument_specs:\n  main:\n    options:\n      port: { type: int }\n      flag: { default: false }\n");
    // An option with no type is a str, which takes its own default false (Ansible converts it).
    writeFileSync(join(dir, "roles/svc/defaults/main.yml"), "flag: false\n");
    writeFileSync(join(dir, "roles/svc/tasks/main.yml"), "- debug: msg={{ port }}\n");
    writeFileSync(join(dir, "inventory.ini"), "web1 ansible_connection=local\n");
    const out = runCli([path, "-i", join(dir, "inventory.ini"), "--syntax-check"]);
    assert.equal(out.status, 4, out.stdout + out.stderr);
    assert.equal(out.stderr.trim(), `ERROR: ${path}:4:11: role svc: variable 'port' must be int, got 'many'`);
  });
});

