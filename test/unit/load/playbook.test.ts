import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { InputErrors } from "../../../engine/errors.js";
import { locationOf } from "../../../engine/source/locations.js";
import { loadPlaybook } from "../../../engine/load/playbook.js";
import type { Block, Play, Task, TaskNode } from "../../../engine/types.js";
import { fixture, registry } from "../../fixtures/load/registry.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";

function errorsOf(path: string): string[] {
  try {
    loadPlaybook(path, registry, NO_VAULT);
  } catch (e) {
    assert.ok(e instanceof InputErrors);
    return e.errors.map((x) => x.describe());
  }
  assert.fail("expected InputErrors");
}

function asTask(node: TaskNode | undefined): Task {
  assert.equal(node?.kind, "task");
  return node;
}

function asBlock(node: TaskNode | undefined): Block {
  assert.equal(node?.kind, "block");
  return node;
}

describe("playbook validation errors", () => {
  const file = fixture("errors", "site.yml");

  test("every error of the file is reported at once, in source order, with file:line:col", () => {
    assert.deepEqual(errorsOf(file), [
      `${file}:3:3: play "web": unknown play keyword 'taks'; did you mean 'tasks'?`,
      `${file}:7:9: task "install nginx": apt: unknown argument 'nmae'; did you mean 'name'?`,
      `${file}:8:16: task "install nginx": apt: 'state' must be one of present, absent, latest; got 'installed'`,
      `${file}:10:7: task "x": unknown module or action 'aptt'; did you mean 'apt'?`,
      `${file}:14:15: mode 644 is a decimal number; file modes are octal: write mode: '0644'`,
      `${file}:15:7: task "y": unknown task keyword 'whn'; did you mean 'when'?`,
    ]);
  });

  test("InputErrors' message lists them all, one per line", () => {
    try {
      loadPlaybook(file, registry, NO_VAULT);
      assert.fail("expected InputErrors");
    } catch (e) {
      assert.ok(e instanceof InputErrors);
      assert.equal(e.message.split("\n").length, 6);
      assert.equal(e.code, "REMS_INPUT");
    }
  });
});

describe("playbook structure", () => {
  const file = fixture("playbook", "site.yml");
  const plays = loadPlaybook(file, registry, NO_VAULT);
  const [web, imported] = plays as [Play, Play];

  test("plays, import_playbook and its tags", () => {
    assert.equal(plays.length, 2);
    assert.equal(web.name, "web servers");
    assert.equal(web.hosts, "web");
    assert.equal(web.gather_facts, true);
    assert.deepEqual(web.loc, { file, line: 1, col: 3 });
    assert.equal(imported.hosts, "localhost");
    assert.equal(imported.gather_facts, false);
    assert.deepEqual(imported.tags, ["imported"]);
    assert.equal(imported.file, fixture("playbook", "other.yml"));
  });

  test("vars and vars_files (later files win, an inner list takes the first file that exists)", () => {
    assert.deepEqual(web.vars, { greeting: "hello" });
    assert.deepEqual(web.varsFiles, { common_var: 1, shared: "from-fallback" });
    assert.deepEqual(locationOf(web.varsFiles, "shared"), { file: fixture("playbook", "vars", "fallback.yml"), line: 1, col: 1 });
  });

  test("free-form with key=value guards, and args: merged under inline arguments", () => {
    const list = asTask(web.preTasks[0]);
    assert.equal(list.action, "command");
    assert.deepEqual(list.args, { chdir: "/tmp", cmd: "ls -l /srv" });
    const inline = asTask(web.tasks[1]);
    assert.deepEqual(inline.args, { chdir: "/srv", creates: "/srv/done", cmd: 'echo "a b"' });
  });

  test("key=value arguments are read with the schema's types (update_cache=yes → true)", () => {
    const apt = asTask(web.tasks[0]);
    assert.deepEqual(apt.args, { name: "nginx", state: "present", update_cache: true });
    assert.deepEqual(apt.kw.notify, ["restart nginx"]);
  });

  test("prefixed module names (ansible.builtin., community.general.) and aliases resolve", () => {
    const block = asBlock(web.tasks[4]);
    assert.equal(asTask(block.block[0]).action, "ufw");
    const handler = web.handlers.find((h) => h.name === "reload things");
    assert.equal(handler?.action, "systemd");
  });

  test("blocks with rescue and always; when normalized to a list; tags inherited", () => {
    const block = asBlock(web.tasks[4]);
    assert.equal(block.name, "guarded");
    assert.deepEqual(block.kw.when, ["'web' in group_names"]);
    const rescue = asTask(block.rescue[0]);
    assert.equal(rescue.action, "fail");
    assert.deepEqual(rescue.args, { msg: "it broke" });
    assert.deepEqual(rescue.kw.tags, ["play", "blocky"]);
    assert.deepEqual(asTask(block.always[0]).args, { action: "flush_handlers" });
  });

  test("with_items becomes loop; loop_control and notify lists kept", () => {
    const task = asTask(web.tasks[5]);
    assert.deepEqual(task.kw.loop, [1, 2]);
    assert.deepEqual(task.kw.loop_control, { label: "{{ item }}" });
    assert.deepEqual(task.kw.when, [true]);
    assert.deepEqual(task.kw.notify, ["restart nginx", "reload web"]);
  });

  test("import_tasks is expanded statically into a block with the import's keywords; include_tasks stays", () => {
    const imported = asBlock(web.tasks[2]);
    assert.deepEqual(imported.kw.when, ["run_common"]);
    const first = asTask(imported.block[0]);
    assert.equal(first.name, "common task");
    assert.deepEqual(first.args, { var: "greeting" });
    assert.deepEqual(first.kw.tags, ["play", "common"]);
    assert.equal(first.loc.file, fixture("playbook", "tasks", "common.yml"));
    const include = asTask(web.tasks[3]);
    assert.equal(include.action, "include_tasks");
    assert.deepEqual(include.args, { file: "tasks/common.yml" });
    assert.ok(include.dir.endsWith("/test/fixtures/load/playbook"));
  });

  test("import_role inside an imported file: role context and tasks_from", () => {
    const imported = asBlock(web.tasks[2]);
    const importRole = asBlock(imported.block[1]);
    const roleBlock = asBlock(importRole.block[0]);
    assert.equal(roleBlock.role?.name, "base");
    const task = asTask(roleBlock.block[0]);
    assert.equal(task.name, "base extra");
    assert.equal(task.role?.name, "base");
  });

  test("roles: dependencies first, each role once unless its parameters differ", () => {
    const roles = web.roleTasks.map((b) => asBlock(b));
    assert.deepEqual(
      roles.map((b) => [b.role?.name, b.role?.params]),
      [["base", {}], ["web", {}], ["web", { web_port: 9090 }]],
    );
    assert.deepEqual(roles[2]?.kw.when, ["do_web"]);
    const webTask = asTask(roles[1]?.block[0]);
    assert.equal(webTask.role?.name, "web");
    assert.deepEqual(webTask.args, { src: "site.conf.j2", dest: "/etc/site.conf", mode: "0644" });
    assert.ok(webTask.dir.endsWith("/roles/web/tasks"));
  });

  test("role context: path, defaults, vars, params, where it is used", () => {
    const webRole = web.roles.find((r) => r.name === "web");
    assert.ok(webRole);
    assert.ok(webRole.path.endsWith("/test/fixtures/load/playbook/roles/web"));
    assert.deepEqual(webRole.defaults, { web_port: 8080, web_name: "site" });
    assert.deepEqual(webRole.vars, { web_user: "www-data" });
    assert.deepEqual(webRole.loc, { file, line: 10, col: 7 });
    assert.deepEqual(web.roles.map((r) => r.name), ["base", "web", "web", "base"]);
  });

  test("handlers: roles' first (Ansible's order), each role's once; listen adds names", () => {
    assert.deepEqual(
      web.handlers.map((h) => [h.name, h.listen]),
      [
        ["base handler", ["base handler"]],
        ["reload web", ["reload web"]],
        ["restart nginx", ["restart nginx"]],
        ["reload things", ["reload things", "reload web", "restart nginx"]],
      ],
    );
    assert.equal(web.handlers[1]?.role?.name, "web");
  });

  test("handlers do not inherit play tags (they run when notified)", () => {
    assert.equal(web.handlers[2]?.kw.tags, undefined);
  });

  test("set_fact key=value", () => {
    assert.deepEqual(asTask(imported.tasks[0]).args, { answer: "42" });
  });
});
