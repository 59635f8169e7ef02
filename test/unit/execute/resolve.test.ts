/**
 * The resolved task: keywords inherited once, by Ansible's rules, through play → role → block → include → task,
 * and rendered once into the settings the runner reads.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TaskFailedError } from "../../../engine/errors.js";
import { resolveTask, settle } from "../../../engine/execute/resolve.js";
import type { Task, TaskKeywords } from "../../../engine/types.js";

function task(kw: TaskKeywords): Task {
  return { kind: "task", name: "t", action: "file", args: {}, kw, loc: { file: "p.yml", line: 1, col: 1 }, role: undefined, dir: "/" };
}

const run = { check: false, diff: false };

describe("resolveTask", () => {
  test("the innermost value of a keyword wins; conditions add up, outermost first", () => {
    const play: TaskKeywords = { become: true, check_mode: true, no_log: false };
    const block: TaskKeywords = { when: ["a"], no_log: true, become_user: "app" };
    const resolved = resolveTask(task({ when: ["b"], check_mode: false }), [play, block]);
    assert.deepEqual(resolved.kw.when, ["a", "b"]);
    assert.equal(resolved.kw.become, true);
    assert.equal(resolved.kw.become_user, "app");
    assert.equal(resolved.kw.no_log, true);
    assert.equal(resolved.kw.check_mode, false);
  });

  test("environment mappings merge, inner names winning; vars stay one layer per scope", () => {
    const resolved = resolveTask(task({ environment: { B: "task" }, vars: { v: 3 } }), [{ environment: { A: "play", B: "play" } }, { vars: { v: 2 } }]);
    assert.deepEqual(resolved.kw.environment, { A: "play", B: "task" });
    assert.deepEqual(resolved.scopeVars, [{}, { v: 2 }, { v: 3 }]);
  });

  test("notify, register, loop and until belong to the task alone", () => {
    const resolved = resolveTask(task({}), [{ notify: ["h"], register: "r", loop: [1], until: "x" }]);
    for (const key of ["notify", "register", "loop", "until"] as const) assert.equal(resolved.kw[key], undefined, key);
  });

  test("tags add up, once each (an include's apply: tags reach the included tasks)", () => {
    assert.deepEqual(resolveTask(task({ tags: ["own", "web"] }), [{ tags: ["web"] }, { tags: ["applied"] }]).kw.tags, ["web", "applied", "own"]);
  });
});

describe("settle", () => {
  test("a play's check_mode: true forces check mode on a normal run; a task's false forces a real run under --check", () => {
    assert.equal(settle(resolveTask(task({}), [{ check_mode: true }]), {}, {}, run).checkMode, true);
    assert.equal(settle(resolveTask(task({ check_mode: false }), [{ check_mode: true }]), {}, {}, { check: true, diff: false }).checkMode, false);
    assert.equal(settle(resolveTask(task({}), []), {}, {}, { check: true, diff: false }).checkMode, true);
  });

  test("keywords are rendered and read with Ansible's booleans", () => {
    const vars = { flag: "yes", who: "www-data", off: "False" };
    const settled = settle(resolveTask(task({ become: "{{ flag }}", become_user: "{{ who }}", ignore_errors: "{{ off }}", no_log: "on", environment: { PORT: 8080 } }), []), vars, {}, run);
    assert.equal(settled.becomeUser, "www-data");
    assert.equal(settled.ignoreErrors, false);
    assert.equal(settled.noLog, true);
    assert.deepEqual(settled.environment, { PORT: "8080" });
  });

  test("connection is inherited and rendered; a name rems-play has no connection for fails the task at its place (issue 14)", () => {
    assert.equal(settle(resolveTask(task({}), [{ connection: "local" }]), {}, {}, run).connection, "local");
    assert.equal(settle(resolveTask(task({ connection: "{{ how }}" }), [{ connection: "local" }]), { how: "smart" }, {}, run).connection, "smart");
    assert.equal(settle(resolveTask(task({}), []), {}, {}, run).connection, undefined);
    const where = { host: "web1", task: "t", file: "p.yml", line: 3, col: 5 };
    assert.throws(() => settle(resolveTask(task({ connection: "{{ how }}" }), []), { how: "docker" }, where, run), (error: unknown) => {
      assert.ok(error instanceof TaskFailedError);
      assert.equal(error.message, "connection must be local or ssh (smart, paramiko: the connections rems-play has), got 'docker'");
      assert.deepEqual(error.loc, { file: "p.yml", line: 3, col: 5 });
      return true;
    });
  });

  test("become comes from ansible_become when no scope sets it", () => {
    assert.equal(settle(resolveTask(task({}), []), { ansible_become: true }, {}, run).becomeUser, "root");
    assert.equal(settle(resolveTask(task({}), []), {}, {}, run).becomeUser, undefined);
  });
});
