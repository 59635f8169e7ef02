/**
 * The module acceptance ladder of issue 4 on a lab host, shared by the module e2e tests: check reports a change
 * and changes nothing, apply changes, then check and apply report no change. The host's state is read with the
 * lab's own ssh (not through rems-play), so a check that wrote anything is caught.
 */
import assert from "node:assert/strict";
import type { Lab } from "../../helpers/lab.js";
import { runRemsPlay, total, writePlaybook, type RemsPlayRun } from "../../helpers/rems-play.js";

/** A playbook with one play on every lab host; `tasks` are YAML list items indented by four spaces. */
export function play(tasks: string): string {
  return `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`;
}

/** Runs a shell command as root on the lab's (first) host; its exit code and output, for comparing states. */
export async function onHost(lab: Lab, command: string): Promise<string> {
  const host = lab.hosts[0];
  assert.ok(host, "the lab has a host");
  const result = await lab.ssh(host.name, command);
  return `exit ${result.code}\n${result.stdout}${result.stderr}`;
}

function report(run: RemsPlayRun): string {
  return `exit ${run.exitCode}\n${run.stderr}\n${JSON.stringify(run.results, null, 1)}`;
}

/** Runs the playbook against the lab host; `check` adds --check --diff. */
export function runPlaybook(lab: Lab, path: string, check: boolean): Promise<RemsPlayRun> {
  return runRemsPlay([path, "-i", lab.inventoryPath, ...(check ? ["--check", "--diff"] : [])]);
}

/** One rung of the ladder: check, apply, check, apply, asserting the changes and the host's state (`probe`). */
export async function ladder(lab: Lab, playbook: string, probe: string): Promise<void> {
  const path = writePlaybook(playbook);
  const before = await onHost(lab, probe);

  const check = await runPlaybook(lab, path, true);
  assert.equal(check.exitCode, 0, report(check));
  assert.ok(total(check.recap, "changed") > 0, `check reports a change\n${report(check)}`);
  assert.equal(await onHost(lab, probe), before, "check left the host as it was");

  const apply = await runPlaybook(lab, path, false);
  assert.equal(apply.exitCode, 0, report(apply));
  assert.ok(total(apply.recap, "changed") > 0, `apply reports a change\n${report(apply)}`);
  assert.notEqual(await onHost(lab, probe), before, "apply changed the host");

  const recheck = await runPlaybook(lab, path, true);
  assert.equal(recheck.exitCode, 0, report(recheck));
  assert.equal(total(recheck.recap, "changed"), 0, `check after apply reports no change\n${report(recheck)}`);

  const reapply = await runPlaybook(lab, path, false);
  assert.equal(reapply.exitCode, 0, report(reapply));
  assert.equal(total(reapply.recap, "changed"), 0, `apply after apply reports no change\n${report(reapply)}`);
}

/**
 * A task with a misspelled argument fails validation before any host is contacted: exit code 4 and the message
 * `playbook.yml:6:9: task "typo": MODULE: unknown argument 'WRONG'; did you mean 'RIGHT'?` (the task is written so
 * that the misspelled key is on line 6, column 9).
 */
export async function assertMisspelledArgument(lab: Lab, module: string, wrong: string, right: string, value: string): Promise<void> {
  const path = writePlaybook(play(`    - name: typo\n      ${module}:\n        ${wrong}: ${value}\n`));
  const run = await runPlaybook(lab, path, false);
  assert.equal(run.exitCode, 4, report(run));
  const expected = `playbook.yml:6:9: task "typo": ${module}: unknown argument '${wrong}'; did you mean '${right}'?`;
  assert.ok((run.stderr + run.stdout).includes(expected), `output has ${JSON.stringify(expected)}\n${report(run)}`);
}
