/**
 * Issue 14: the task forms and keywords published roles use load as Ansible reads them: `action:` and
 * `local_action:` (free-form and mapping), `- name:` with no value, remote_user, throttle, delegate_facts, and
 * async (poll 0 is a located error, never ignored).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InputErrors } from "../../../engine/errors.js";
import { loadPlaybook } from "../../../engine/load/playbook.js";
import type { Task } from "../../../engine/types.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";
import { registry } from "../../fixtures/load/registry.js";
import { writePlaybook } from "../../helpers/rems-play.js";

const play = (tasks: string): string => `- hosts: all\n  remote_user: deploy\n  throttle: 2\n  tasks:\n${tasks}`;

function tasksOf(yamlText: string): Task[] {
  const [loaded] = loadPlaybook(writePlaybook(yamlText), registry, NO_VAULT);
  assert.ok(loaded);
  return loaded.tasks.filter((node): node is Task => node.kind === "task");
}

function errorsOf(yamlText: string): string[] {
  const path = writePlaybook(yamlText);
  try {
    loadPlaybook(path, registry, NO_VAULT);
  } catch (error) {
    assert.ok(error instanceof InputErrors);
    return error.errors.map((e) => e.describe().replace(path, "playbook.yml"));
  }
  assert.fail("expected InputErrors");
}

describe("action and local_action", () => {
  test("free-form and mapping forms become the module with its arguments; local_action runs on localhost", () => {
    const tasks = tasksOf(
      play(`    - action: command echo one
    - action:
        module: command
        cmd: echo two
      register: two
    - local_action: command echo three
    - local_action: { module: debug, msg: four }
`),
    );
    assert.deepEqual(
      tasks.map((t) => [t.action, t.args, t.kw.delegate_to]),
      [
        ["command", { cmd: "echo one" }, undefined],
        ["command", { cmd: "echo two" }, undefined],
        ["command", { cmd: "echo three" }, "localhost"],
        ["debug", { msg: "four" }, "localhost"],
      ],
    );
    assert.equal(tasks[1]?.kw.register, "two");
  });

  test("an action naming no module, or an unknown one, is an error at its place", () => {
    assert.deepEqual(errorsOf(play(`    - action: { cmd: echo }\n    - action: nosuchmodule x=1\n`)), [
      `playbook.yml:5:15: action: a mapping must name its module with 'module:'; got {"cmd":"echo"}`,
      `playbook.yml:6:7: task "nosuchmodule": unknown module or action 'nosuchmodule'`,
    ]);
  });
});

describe("keywords", () => {
  test("a task with `name:` and no value loads and is shown by its action", () => {
    const [task] = tasksOf(play(`    - name:\n      debug: msg=hi\n`));
    assert.equal(task?.name, undefined);
    assert.equal(task?.action, "debug");
  });

  test("remote_user and throttle on the play are the outermost scope; delegate_facts and throttle on a task are keywords", () => {
    const path = writePlaybook(play(`    - command: id\n      delegate_to: db1\n      delegate_facts: true\n      throttle: 1\n      remote_user: root\n`));
    const [loaded] = loadPlaybook(path, registry, NO_VAULT);
    assert.deepEqual([loaded?.kw.remote_user, loaded?.kw.throttle], ["deploy", 2]);
    const task = loaded?.tasks[0] as Task;
    assert.deepEqual([task.kw.delegate_facts, task.kw.throttle, task.kw.remote_user], [true, 1, "root"]);
  });

  test("async with poll above 0 loads; poll 0 (fire and forget) is a located error, not ignored", () => {
    const [task] = tasksOf(play(`    - command: sleep 1\n      async: 10\n      poll: 2\n`));
    assert.deepEqual([task?.kw.async, task?.kw.poll], [10, 2]);
    assert.deepEqual(errorsOf(play(`    - command: sleep 1\n      async: 10\n      poll: 0\n`)), [
      `playbook.yml:7:13: task "command": async with poll: 0 (fire and forget, checked later with async_status) is not supported; give poll above 0 to wait for the task`,
    ]);
  });
});
