/**
 * Warnings of the tools a task runs (engine/tool-warnings.ts) through the real CLI on a local host: a command whose
 * tool warns on stderr is ok with the warning, counted in the recap as warnings, listed under its task in the
 * report and named in its verdict; under no_log it is not shown; a command that only writes ordinary stderr is a
 * plain ok.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runRemsPlay } from "../../helpers/rems-play.js";

const WARN = 'nginx: [warn] the "listen ... http2" directive is deprecated, use the "http2" directive instead';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: test the configuration
      shell: "echo '${WARN.replaceAll('"', '\\"')}' >&2; echo 'nginx: configuration file test is successful' >&2"
      changed_when: false
    - name: test it quietly
      shell: "echo 'nginx: [warn] a secret detail' >&2"
      changed_when: false
      no_log: true
    - name: ordinary stderr
      shell: echo 'progress 50%' >&2
      changed_when: false
`;

void test("a tool's warning on stderr: the task's warning, recap warnings=1, and the report names it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rems-tool-warnings-"));
  writeFileSync(join(dir, "site.yml"), PLAYBOOK);
  writeFileSync(join(dir, "inventory.ini"), "tw-local ansible_connection=local\n");
  const report = join(dir, "run.md");
  const run = await runRemsPlay([join(dir, "site.yml"), "-i", join(dir, "inventory.ini"), "--report", report]);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.deepEqual(run.results.map((r) => [r.task, r.status, r.warnings]), [
    ["test the configuration", "ok", [WARN]],
    ["test it quietly", "ok", undefined],
    ["ordinary stderr", "ok", undefined],
  ]);
  const recap = run.events.find((e) => e.type === "recap");
  assert.equal(recap?.type === "recap" ? recap.hosts["tw-local"]?.warnings : undefined, 1);
  const text = readFileSync(report, "utf8");
  assert.match(text, /^\*\*1 host run: 1 task with warnings\*\*$/m);
  // Markdown escapes the brackets.
  assert.ok(text.includes(`- warning: ${WARN.replace("[warn]", "\\[warn\\]")}`), text);
  assert.ok(!text.includes("a secret detail"), text);
});
