/**
 * How a rescued failure is counted, as ansible-playbook 2.14 counts it (checked on localhost): the block's failure
 * is `rescued` as soon as its rescue starts, and a failure in the rescue itself is `failed` (site.yml's Step 9 turns
 * a failed health check into a message naming the app contract that way: failed=1 rescued=1, not failed=2).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { runRemsPlay, writePlaybook } from "../../helpers/rems-play.js";

async function recapOf(rescue: string): Promise<{ exitCode: number; failed: number; rescued: number; ok: number }> {
  const playbook = writePlaybook(`- hosts: all\n  gather_facts: false\n  tasks:\n    - block:\n        - command: /bin/false\n      rescue:\n        - ${rescue}\n`);
  const inventory = join(dirname(playbook), "inventory.ini");
  writeFileSync(inventory, "h1 ansible_connection=local\n");
  const run = await runRemsPlay([playbook, "-i", inventory]);
  const stats = run.recap.h1;
  assert.ok(stats, run.stderr);
  return { exitCode: run.exitCode, failed: stats.failed, rescued: stats.rescued, ok: stats.ok };
}

test("a rescue that goes through: the failure is rescued and the host succeeds", async () => {
  assert.deepEqual(await recapOf("debug: { msg: handled }"), { exitCode: 0, failed: 0, rescued: 1, ok: 1 });
});

test("a rescue that fails: the block's failure is rescued, the rescue's own is the host's one failure", async () => {
  assert.deepEqual(await recapOf("fail: { msg: contract }"), { exitCode: 2, failed: 1, rescued: 1, ok: 0 });
});
