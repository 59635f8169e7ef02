/**
 * Issue 16 item 9: --syntax-check, and the validation before a run contacts any host, parse every Jinja
 * expression of task arguments and keywords and every template file a task names, and find the controller files
 * that copy and template name; each mistake located file:line:col. Before, these failed mid-run, after earlier
 * tasks had changed the host.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { repoRoot, runCli, runRemsPlay, writePlaybook } from "../../helpers/rems-play.js";

const dir = join(repoRoot, "test/fixtures/bad-input");

describe("issue 16 item 9: --syntax-check finds what would fail mid-run", () => {
  test("item 9: a missing src, a template that does not parse, a Jinja error in an argument and a malformed when", () => {
    const out = runCli(["syntax.yml", "-i", "inventory.ini", "--syntax-check"], { cwd: dir });
    assert.equal(out.status, 4, out.stdout + out.stderr);
    const lines = out.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 4, out.stderr);
    assert.match(lines[0] ?? "", /^ERROR: syntax\.yml:7:14: task "a file to copy that is not there": copy: could not find 'not-there\.txt' \(looked in: .*files\/not-there\.txt, .*\)$/);
    assert.equal(lines[1], `ERROR: syntax.yml:15:14: task "a Jinja error in an argument": msg: expected symbol, got variable-end`);
    assert.equal(lines[2], `ERROR: syntax.yml:19:13: task "a malformed when": when: 'greeting ==' does not parse: unexpected token: }}`);
    // The template's own file:line:col, and where the task names it.
    assert.equal(lines[3], `ERROR: templates/unclosed.j2:2:30: expected symbol, got variable-end (template of task "a template with a syntax error" at syntax.yml:11:14)`);
  });

  test("item 9: a run stops on them before it contacts any host", async () => {
    const run = await runRemsPlay(["syntax.yml", "-i", "inventory.ini"], { cwd: dir });
    assert.equal(run.exitCode, 4, run.stderr);
    assert.equal(run.results.length, 0);
    assert.match(run.stderr, /syntax\.yml:19:13: task "a malformed when"/);
  });

  test("item 9: assert's that, a block's when, loop, environment and debug's var are checked too; vars are left to the run", () => {
    const playbook = writePlaybook(
      [
        "- hosts: all",
        "  gather_facts: false",
        "  vars:",
        "    unused: '{{ broken ( }}'",
        "  tasks:",
        "    - name: guarded",
        "      when: ready and",
        "      block:",
        "        - assert:",
        "            that: [ready, 'ready ==']",
        "        - debug: {var: 'items[0'}",
        "        - command: echo hi",
        "          loop: '{{ items | }}'",
        "          environment: {A: '{% if %}'}",
        "",
      ].join("\n"),
    );
    const out = runCli(["playbook.yml", "-i", join(dir, "inventory.ini"), "--syntax-check"], { cwd: dirname(playbook) });
    assert.equal(out.status, 4, out.stdout + out.stderr);
    assert.deepEqual(out.stderr.trimEnd().split("\n"), [
      `ERROR: playbook.yml:7:13: block "guarded": when: 'ready and' does not parse: unexpected token: }}`,
      `ERROR: playbook.yml:10:27: task "assert": that: 'ready ==' does not parse: unexpected token: }}`,
      `ERROR: playbook.yml:11:24: task "debug": var: expected ']' or ':' in subscript`,
      `ERROR: playbook.yml:13:17: task "command": loop: expected symbol, got variable-end`,
      `ERROR: playbook.yml:14:28: task "command": environment.A: unexpected token: %}`,
    ]);
  });

  test("item 9: what include_tasks loads is checked when the include runs, before the first of its tasks", async () => {
    const run = await runRemsPlay(["include.yml", "-i", "inventory.ini", "--check"], { cwd: dir });
    assert.equal(run.exitCode, 2, run.stderr);
    assert.deepEqual(run.results.map((r) => `${r.task}: ${r.status}`), ["include it: ok", "include it: failed"]);
    assert.match(run.results[1]?.error?.message ?? "", /included-bad\.yml:6:10: task "broken": msg: expected symbol, got variable-end/);
  });

  test("item 9: the bundled playbooks still pass", () => {
    for (const playbook of ["playbooks/site.yml", "playbooks/backup-now.yml", "playbooks/restore.yml", "playbooks/backup-test.yml"]) {
      const out = runCli([playbook, "-i", "inventory/lab.example.yml", "--syntax-check"]);
      assert.equal(out.status, 0, `${playbook}: ${out.stderr}`);
    }
  });
});
