/**
 * Warning findings (engine/execute/findings.ts) through the real CLI on a local host: a task tagged `finding` that
 * runs is counted in the recap as warnings, heads the report, marks the terminal line with the warning mark and
 * gives --detailed-exitcode 13 when nothing drifted; a finding task whose `when` is false is no finding.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { findingOf } from "../../../engine/execute/findings.js";
import { AuditExitCode } from "../../../engine/exit-codes.js";
import { remsPlayBin, runRemsPlay } from "../../helpers/rems-play.js";

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    days_left: 12
  tasks:
    - name: certificate expiry is read
      debug: { msg: "read" }
    - name: warn - the certificate expires soon
      debug:
        msg: "WARNING: the certificate expires in {{ days_left }} days"
      when: days_left < 30
      tags: [finding]
    - name: warn - the backup is old
      debug: { msg: "WARNING: the backup is old" }
      when: false
      tags: [finding]
`;

function site(): { playbook: string; inventory: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "rems-findings-"));
  writeFileSync(join(dir, "site.yml"), PLAYBOOK);
  writeFileSync(join(dir, "inventory.ini"), "fnd-local ansible_connection=local\n");
  return { playbook: join(dir, "site.yml"), inventory: join(dir, "inventory.ini"), dir };
}

describe("warning findings", () => {
  test("a finding task that ran: recap warnings=1, its own --detailed-exitcode, the top of the report", async () => {
    const { playbook, inventory, dir } = site();
    const report = join(dir, "audit.md");
    const run = await runRemsPlay([playbook, "-i", inventory, "--check", "--detailed-exitcode", "--report", report]);
    assert.equal(run.exitCode, AuditExitCode.warning, run.stderr);
    const found = run.results.filter((r) => r.finding !== undefined);
    assert.deepEqual(found.map((r) => [r.task, r.finding]), [["warn - the certificate expires soon", "WARNING: the certificate expires in 12 days"]]);
    const recap = run.events.find((e) => e.type === "recap");
    assert.equal(recap?.type === "recap" ? recap.hosts["fnd-local"]?.warnings : undefined, 1);
    const lines = readFileSync(report, "utf8").split("\n");
    assert.equal(lines[2], "**1 host audited: 1 warning finding**");
    assert.equal(lines[4], "## Warning findings");
    assert.match(lines[6] ?? "", /^- fnd-local: WARNING: the certificate expires in 12 days \(task at .*site\.yml:8:7\)$/);
  });

  test("the plain recap gains a warnings column only when a host has one; without --detailed-exitcode the run exits 0", () => {
    const { playbook, inventory } = site();
    const run = spawnSync(process.execPath, [remsPlayBin, playbook, "-i", inventory], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /fnd-local : ok=2 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0 unknown=0 warnings=1\n/);
    const quiet = spawnSync(process.execPath, [remsPlayBin, playbook, "-i", inventory, "--skip-tags", "finding"], { encoding: "utf8" });
    assert.match(quiet.stdout, /fnd-local : ok=1 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0 unknown=0\n/);
  });
});

describe("findingOf", () => {
  test("only a task tagged finding that ran and did not fail; its message, or its name under no_log", () => {
    assert.equal(findingOf(["tls", "finding"], "ok", "expires soon", "warn", false), "expires soon");
    assert.equal(findingOf(["finding"], "changed", { days: 3 }, "warn", false), '{"days":3}');
    assert.equal(findingOf(["finding"], "ok", "the secret is x", "warn", true), "warn");
    assert.equal(findingOf(["finding"], "ok", undefined, "warn", false), "warn");
    assert.equal(findingOf(["finding"], "skipped", "m", "warn", false), undefined);
    assert.equal(findingOf(["finding"], "failed", "m", "warn", false), undefined);
    assert.equal(findingOf(["tls"], "ok", "m", "warn", false), undefined);
    assert.equal(findingOf(undefined, "ok", "m", "warn", false), undefined);
  });
});
