/**
 * A task with its own `check_mode: true` in a normal run (ansible-core's cron target): it changes nothing, so the
 * tasks after it plan on the host as it is, not on its predictions.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runRemsPlay } from "../../helpers/rems-play.js";

test("a task with its own check_mode in a normal run predicts nothing: the next task sees the host as it is", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rems-check-task-"));
  writeFileSync(
    join(dir, "site.yml"),
    `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { content: "x\\n", dest: ${dir}/f }\n      check_mode: true\n    - copy: { content: "x\\n", dest: ${dir}/f }\n`,
  );
  writeFileSync(join(dir, "inventory.ini"), "chk-local ansible_connection=local\n");
  const run = await runRemsPlay([join(dir, "site.yml"), "-i", join(dir, "inventory.ini")]);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.deepEqual(run.results.map((r) => r.status), ["changed", "changed"], "the real copy still has work to do");
});
