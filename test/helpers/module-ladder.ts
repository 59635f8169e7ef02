/**
 * The e2e idempotency ladder of a module on a lab host (ansible's integration targets): check reports a change
 * and leaves the host as it was, apply changes it, then check and apply again report no change.
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

/** What a failed assertion shows: the run's output. */
export function explain(run: RemsPlayRun): string {
  return `exit ${run.exitCode}\n${run.stderr}\n${run.results.map((r) => JSON.stringify(r)).join("\n")}`;
}

export interface LadderTarget {
  lab: Lab;
  /** Host the probe runs on (the lab's first host by default). */
  host?: string;
}

/**
 * Runs the ladder for PLAYBOOK. `probe` is a shell command whose output captures what the tasks change on the
 * host (stat, checksums, listings). Returns the probe's output before and after.
 */
export async function ladder(target: LadderTarget, playbook: string, probe: string): Promise<{ before: string; after: string }> {
  const host = target.host ?? target.lab.hosts[0]?.name;
  assert.ok(host !== undefined, "the lab has a host");
  const args = [playbook, "-i", target.lab.inventoryPath];
  const state = async (): Promise<string> => (await target.lab.ssh(host, probe)).stdout;
  const before = await state();

  const check = await runRemsPlay([...args, "--check"]);
  assert.equal(check.exitCode, 0, explain(check));
  assert.ok(total(check.recap, "changed") > 0, `check reports a change\n${explain(check)}`);
  assert.equal(await state(), before, "check changed the host");

  const apply = await runRemsPlay(args);
  assert.equal(apply.exitCode, 0, explain(apply));
  assert.ok(total(apply.recap, "changed") > 0, `apply reports a change\n${explain(apply)}`);
  const after = await state();
  assert.notEqual(after, before, "apply changed the host");

  const recheck = await runRemsPlay([...args, "--check"]);
  assert.equal(recheck.exitCode, 0, explain(recheck));
  assert.equal(total(recheck.recap, "changed"), 0, `check after apply reports no change\n${explain(recheck)}`);

  const reapply = await runRemsPlay(args);
  assert.equal(reapply.exitCode, 0, explain(reapply));
  assert.equal(total(reapply.recap, "changed"), 0, `apply again reports no change\n${explain(reapply)}`);
  assert.equal(await state(), after, "apply again changed the host");
  return { before, after };
}

/**
 * A task with a misspelt argument: exit code 4 (invalid input, nothing contacted) and the exact message
 * `playbook.yml:LINE:COL: task "NAME": MODULE: unknown argument 'X'; did you mean 'Y'?`.
 */
export async function assertBadArgument(lab: Lab, tasks: string, expected: string): Promise<void> {
  const playbook = modulePlaybook(tasks);
  const run = await runRemsPlay([playbook, "-i", lab.inventoryPath]);
  assert.equal(run.exitCode, 4, explain(run));
  assert.ok((run.stderr + run.stdout).includes(expected), `expected "${expected}" in:\n${run.stderr}${run.stdout}`);
}
