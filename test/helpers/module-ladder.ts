/**
 * The e2e idempotency ladder of a module on a lab host (ansible's integration targets), shared by the module e2e
 * tests: writing a playbook, running it, reading the host's state, the ladder itself (check reports a change and
 * leaves the host exactly as it was, apply changes it, then check and apply report no change and leave it as the
 * first apply did) and the misspelt-argument case. The host's state is read with the lab's own ssh, not through
 * rems-play, so a check that wrote anything is caught.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Lab } from "./lab.js";
import { runRemsPlay, total, writePlaybook, type RemsPlayRun } from "./rems-play.js";

/** A playbook for all hosts with TASKS (YAML list items, unindented); controller FILES are written next to it. */
export function modulePlaybook(tasks: string, files: Readonly<Record<string, string>> = {}): string {
  const body = tasks.trim().split("\n").map((line) => `    ${line}`).join("\n");
  const path = writePlaybook(`- hosts: all\n  gather_facts: false\n  tasks:\n${body}\n`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dirname(path), name)), { recursive: true });
    writeFileSync(join(dirname(path), name), content);
  }
  return path;
}

/** Runs the PLAYBOOK path against the lab's hosts with the extra FLAGS (e.g. "--check", "--diff"). */
export function runPlaybook(lab: Lab, playbook: string, ...flags: string[]): Promise<RemsPlayRun> {
  return runRemsPlay([playbook, "-i", lab.inventoryPath, ...flags]);
}

/** What a failed assertion shows: the run's exit code, stderr and results. */
export function explain(run: RemsPlayRun): string {
  return `exit ${run.exitCode}\n${run.stderr}\n${run.results.map((r) => JSON.stringify(r)).join("\n")}`;
}

/** Runs a shell COMMAND as root on the lab's first host: `exit CODE\n` then its stdout and stderr, for comparing states. */
export async function onHost(lab: Lab, command: string): Promise<string> {
  const host = lab.hosts[0];
  assert.ok(host, "the lab has a host");
  const result = await lab.ssh(host.name, command);
  return `exit ${result.code}\n${result.stdout}${result.stderr}`;
}

/**
 * Runs the ladder for the PLAYBOOK path: check (--check --diff), apply, check, apply. `probe` is a shell command
 * whose output captures what the tasks change on the host (stat, checksums, listings). Returns the host's state
 * (as `onHost` gives it) before and after.
 */
export async function ladder(lab: Lab, playbook: string, probe: string): Promise<{ before: string; after: string }> {
  const before = await onHost(lab, probe);

  const check = await runPlaybook(lab, playbook, "--check", "--diff");
  assert.equal(check.exitCode, 0, explain(check));
  assert.ok(total(check.recap, "changed") > 0, `check reports a change\n${explain(check)}`);
  assert.equal(await onHost(lab, probe), before, "check left the host as it was");

  const apply = await runPlaybook(lab, playbook);
  assert.equal(apply.exitCode, 0, explain(apply));
  assert.ok(total(apply.recap, "changed") > 0, `apply reports a change\n${explain(apply)}`);
  const after = await onHost(lab, probe);
  assert.notEqual(after, before, "apply changed the host");

  const recheck = await runPlaybook(lab, playbook, "--check", "--diff");
  assert.equal(recheck.exitCode, 0, explain(recheck));
  assert.equal(total(recheck.recap, "changed"), 0, `check after apply reports no change\n${explain(recheck)}`);
  assert.equal(await onHost(lab, probe), after, "check after apply left the host as it was");

  const reapply = await runPlaybook(lab, playbook);
  assert.equal(reapply.exitCode, 0, explain(reapply));
  assert.equal(total(reapply.recap, "changed"), 0, `apply again reports no change\n${explain(reapply)}`);
  assert.equal(await onHost(lab, probe), after, "apply again left the host as it was");
  return { before, after };
}

/**
 * A task (TASKS as for `modulePlaybook`) with a misspelt argument is refused before any host is contacted: exit
 * code 4 and a line of stderr that is exactly the EXPECTED message `playbook.yml:LINE:COL: task "NAME": MODULE: unknown
 * argument 'X'; did you mean 'Y'?` (after `ERROR: ` and the playbook's directory).
 */
export async function assertBadArgument(lab: Lab, tasks: string, expected: string): Promise<void> {
  const playbook = modulePlaybook(tasks);
  const run = await runPlaybook(lab, playbook);
  assert.equal(run.exitCode, 4, explain(run));
  const line = `ERROR: ${dirname(playbook)}/${expected}`;
  assert.ok(run.stderr.split("\n").includes(line), `stderr has the line ${JSON.stringify(line)}\n${explain(run)}`);
}
