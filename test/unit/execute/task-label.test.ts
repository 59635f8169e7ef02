/**
 * Task names as shown, against what ansible-playbook 2.14 printed for the same names (TASK banners of a playbook
 * run on a local host, December 2026): an undefined variable leaves the name as written, an empty one renders empty.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { taskLabel } from "../../../engine/execute/run-task.js";
import type { RoleContext, Task } from "../../../engine/types.js";

const role = { name: "app" } as RoleContext;

function task(name: string | undefined, inRole?: RoleContext): Task {
  return { kind: "task", name, action: "debug", args: {}, kw: {}, loc: { file: "p.yml", line: 1, col: 1 }, role: inRole, dir: "/" };
}

const vars = { empty: "", code_dir: "/opt/code", nul: null, list: [1, "a"], number: 3 };

describe("taskLabel", () => {
  test("an undefined variable leaves the whole name as written, its defined parts too", () => {
    assert.equal(taskLabel(task("undefined ({{ nothere }})"), vars), "undefined ({{ nothere }})");
    assert.equal(taskLabel(task("{{ code_dir }} and {{ nothere }}"), vars), "{{ code_dir }} and {{ nothere }}");
    assert.equal(taskLabel(task("attr {{ code_dir.nope }}"), vars), "attr {{ code_dir.nope }}");
  });

  test("an empty variable renders empty, and the name is stripped of the blanks around it", () => {
    assert.equal(taskLabel(task("git is installed (code from {{ empty }})"), vars), "git is installed (code from )");
    assert.equal(taskLabel(task("empty only {{ empty }}"), vars), "empty only");
    assert.equal(taskLabel(task("null {{ nul }}"), vars), "null");
    assert.equal(taskLabel(task("  padded  "), vars), "padded");
    assert.equal(taskLabel(task("  padded  ")), "padded");
  });

  test("values inside text render as Python prints them; a default filter applies", () => {
    assert.equal(taskLabel(task("list {{ list }}"), vars), "list [1, 'a']");
    assert.equal(taskLabel(task("filter {{ nothere | default('dflt') }}"), vars), "filter dflt");
  });

  test("a name that renders to nothing, or to a value that is not text, is the action's name", () => {
    for (const name of ["{{ empty }}", "{{ nul }}", "{{ list }}", "{{ number }}", ""]) assert.equal(taskLabel(task(name), vars), "debug", name);
    assert.equal(taskLabel(task(undefined), vars), "debug");
    assert.equal(taskLabel(task("{{ empty }}", role), vars), "app : debug");
  });

  test("a role's task is prefixed with the role's name once", () => {
    assert.equal(taskLabel(task("code from {{ code_dir }}", role), vars), "app : code from /opt/code");
    assert.equal(taskLabel(task("app : named", role), vars), "app : named");
    // Ansible strips the whole label, not the name inside it.
    assert.equal(taskLabel(task(" sp {{ empty }} ", role), vars), "app :  sp");
  });
});
