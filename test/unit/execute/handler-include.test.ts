/**
 * A handler that is include_tasks, through the real CLI on a local host (ansible-core's setup_remote_tmp_dir
 * cleans up so): the included tasks run at the flush, and one whose `when` is false is skipped, as
 * ansible-playbook 2.14 does (included ok, its task ok; the other handler skipped: ok=3 changed=1 skipped=1).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runRemsPlay } from "../../helpers/rems-play.js";

test("a handler that is include_tasks runs the included tasks at the flush; with a false when it is skipped", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rems-handler-include-"));
  writeFileSync(
    join(dir, "site.yml"),
    [
      "- hosts: all",
      "  gather_facts: false",
      "  tasks:",
      "    - name: change",
      "      command: 'true'",
      "      notify: [cleanup, skipped cleanup]",
      "  handlers:",
      "    - name: cleanup",
      "      include_tasks: cleanup.yml",
      "    - name: skipped cleanup",
      "      include_tasks: cleanup.yml",
      "      when: false",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "cleanup.yml"), "- name: cleanup task\n  debug:\n    msg: cleaned\n");
  writeFileSync(join(dir, "inventory.ini"), "handler-local ansible_connection=local\n");
  const run = await runRemsPlay([join(dir, "site.yml"), "-i", join(dir, "inventory.ini")]);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.deepEqual(run.results.map((r) => [r.task, r.status]), [["change", "changed"], ["cleanup", "ok"], ["cleanup task", "ok"], ["skipped cleanup", "skipped"]]);
  assert.deepEqual(run.recap["handler-local"] && [run.recap["handler-local"].ok, run.recap["handler-local"].changed, run.recap["handler-local"].skipped], [3, 1, 1]);
});

test("a role's handler includes a file of the role's tasks/ (Ansible looks there after handlers/)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rems-handler-include-"));
  const role = join(dir, "roles", "tmp");
  mkdirSync(join(role, "tasks"), { recursive: true });
  mkdirSync(join(role, "handlers"));
  writeFileSync(join(role, "tasks", "main.yml"), "- name: change\n  command: 'true'\n  notify: delete it\n");
  writeFileSync(join(role, "tasks", "cleanup.yml"), "- name: cleanup task\n  debug:\n    msg: cleaned\n");
  writeFileSync(join(role, "handlers", "main.yml"), "- name: delete it\n  include_tasks: cleanup.yml\n");
  writeFileSync(join(dir, "site.yml"), "- hosts: all\n  gather_facts: false\n  roles: [tmp]\n");
  writeFileSync(join(dir, "inventory.ini"), "handler-local ansible_connection=local\n");
  const run = await runRemsPlay([join(dir, "site.yml"), "-i", join(dir, "inventory.ini")]);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.deepEqual(run.results.map((r) => [r.task, r.status]), [["tmp : change", "changed"], ["tmp : delete it", "ok"], ["tmp : cleanup task", "ok"]]);
});
