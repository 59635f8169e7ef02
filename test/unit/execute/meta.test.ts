/**
 * meta tasks through the real CLI on a local host: end_host only when its `when` holds (ansible-core's setup_cron
 * guards its Alpine-only end_host so), shown skipped but not counted otherwise, as ansible-playbook 2.14 does.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runRemsPlay } from "../../helpers/rems-play.js";

test("meta: end_host with a false when is skipped (not counted); with a true one it ends the host", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rems-meta-"));
  writeFileSync(
    join(dir, "site.yml"),
    "- hosts: all\n  gather_facts: false\n  tasks:\n    - meta: end_host\n      when: false\n    - debug: msg=after\n    - meta: end_host\n      when: true\n    - debug: msg=never\n",
  );
  writeFileSync(join(dir, "inventory.ini"), "meta-local ansible_connection=local\n");
  const run = await runRemsPlay([join(dir, "site.yml"), "-i", join(dir, "inventory.ini")]);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.deepEqual(run.results.map((r) => [r.task, r.status]), [["meta", "skipped"], ["debug", "ok"]]);
  const recap = run.events.find((e) => e.type === "recap");
  assert.deepEqual(recap?.type === "recap" ? [recap.hosts["meta-local"]?.ok, recap.hosts["meta-local"]?.skipped] : [], [1, 0]);
});
