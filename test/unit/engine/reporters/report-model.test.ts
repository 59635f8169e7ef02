import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { emptyStats, type HostStats, type RunEvent } from "../../../../engine/events.js";
import { buildReportModel, findings, hostColumns, hostRow, statusLabel, verdict } from "../../../../engine/reporters/report-model.js";
import { AUDIT_HOSTS, recordedAudit, recordedRecap } from "./audit-events.js";

const model = buildReportModel(recordedAudit());
const host = (name: string) => {
  const found = model.hosts.find((h) => h.name === name);
  assert.ok(found, `no host ${name} in the report`);
  return found;
};

describe("report model", () => {
  test("names the run: when, mode, and the sources with their commits", () => {
    assert.equal(model.startedAt, "2026-11-27T10:15:00.000Z");
    assert.equal(model.check, true);
    assert.deepEqual(model.playbooks, [{ path: "playbooks/site.yml", commit: "f68c29b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6", dirty: false }]);
    assert.deepEqual(model.inventories, [{ path: "inventory/lab.yml", commit: "f68c29b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6", dirty: true }]);
    assert.equal(model.elapsedMs, 12490);
  });

  test("lists every host in name order, the unreachable one as such with its error", () => {
    assert.deepEqual(model.hosts.map((h) => h.name), [...AUDIT_HOSTS]);
    assert.deepEqual(model.hosts.map((h) => h.reachable), [true, true, false, true]);
    assert.deepEqual(host("lab3").error, { code: "REMS_CONNECTION", message: "lab3 (10.88.3.2:22): connect ETIMEDOUT after 10s" });
  });

  test("says when each host was last converged: a record, no record, or not known", () => {
    assert.deepEqual(host("lab1").lastConverged, { at: "2026-11-26T16:42:10.000Z", playbook: "playbooks/site.yml", commit: "a4bfa41e2d3c4b5a69788796a5b4c3d2e1f00112" });
    assert.equal(host("lab4").lastConverged, null);
    assert.equal("lastConverged" in host("lab3"), false);
  });

  // Issue 15: the report counted loop items and left out handlers, so it said drift=5 where the recap said changed=7.
  test("counts what the recap counts, from the same events: each host's counters and the totals", () => {
    const recap = recordedRecap();
    for (const h of model.hosts) assert.deepEqual(h.counts, recap[h.name], `${h.name}: the report's counts are not the recap's`);
    const sum = (field: keyof HostStats): number => Object.values(recap).reduce((n, s) => n + s[field], 0);
    for (const field of ["ok", "changed", "drift", "pending", "unknown", "failed", "warnings"] as const) assert.equal(model.totals.counts[field], sum(field), field);
    assert.equal(verdict(model), "4 hosts audited: 6 tasks would change (changed=6), with 2 drift and 4 pending differences; 1 warning finding; 1 task with warnings; 1 host with unknown results; 1 host failed; 1 host unreachable");
  });

  test("tells drift from pending per difference: a task can have both", () => {
    assert.deepEqual(
      findings(host("lab1")).map((t) => [statusLabel(t), t.task]),
      [
        ["1 drift, 1 pending", "nginx : Step 7 · site configuration <rems>"],
        ["1 drift", "app : Step 4 · environment file"],
        ["1 pending", "app : Step 2 · ship the application code"],
        ["unknown", "app : migrate the database"],
        ["unknown", "app : report the migration"],
      ],
    );
    assert.deepEqual(findings(host("lab2")).map((t) => [statusLabel(t), t.warningFinding]), [["warning", "WARNING: the certificate of lab2 expires in 12 days (2026-12-09)"]]);
  });

  test("a handler an audit would run is listed and counted as the recap counts it, but is no finding of its own", () => {
    const reload = host("lab1").tasks.at(-1);
    assert.equal(reload?.task, "nginx : reload nginx");
    assert.equal(reload.handler, true);
    assert.equal(reload.finding, undefined);
    assert.equal(statusLabel(reload), "changed (handler)");
    assert.equal(host("lab1").counts.changed, 4);
  });

  test("keeps every task with its one-line summary and its diffs rendered without color", () => {
    assert.equal(host("lab1").tasks.length, 11);
    const drift = host("lab1").tasks.find((t) => t.drift === "drift");
    assert.equal(drift?.summary, "write /etc/nginx/sites-available/rems");
    assert.equal(drift.diffs.length, 1);
    assert.match(drift.diffs[0]?.text ?? "", /^- {4}client_max_body_size 100m;$/m);
    assert.match(drift.diffs[0]?.text ?? "", /^\+ {4}client_max_body_size 16m;$/m);
    assert.doesNotMatch(JSON.stringify(model), /\\u001b/);
    const failed = host("lab4").tasks.find((t) => t.status === "failed");
    assert.equal(failed?.summary, "REMS_MODULE: dest directory /opt/rems does not exist");
    assert.equal(failed.error?.message, "dest directory /opt/rems does not exist\nhint: run the app role's earlier steps first");
  });

  test("leaves out debug output and commands", () => {
    const events: RunEvent[] = [
      ...recordedAudit(),
      { type: "task_result", host: "lab2", task: "t", status: "changed", summary: "s", commands: ["echo the-command"], durationMs: 1 },
    ];
    const text = JSON.stringify(buildReportModel(events));
    assert.doesNotMatch(text, /hunter2-never-in-report/);
    assert.doesNotMatch(text, /the-command/);
  });

  test("a normal run's changes count as changed, and an ignored failure is no finding", () => {
    const run = buildReportModel([
      { type: "run_start", playbooks: ["p.yml"], inventories: ["i.yml"], sources: [], check: false, diff: false, inputs: { tags: [], skipTags: [], extraVars: [] }, startedAt: "2026-11-27T10:00:00.000Z" },
      { type: "play_start", name: "p", hosts: ["a"] },
      { type: "task_result", host: "a", task: "t1", status: "changed", summary: "install nginx", durationMs: 1 },
      { type: "task_result", host: "a", task: "t2", status: "failed", ignored: true, error: { code: "REMS_MODULE", message: "no" }, durationMs: 1 },
    ]);
    const [a] = run.hosts;
    assert.ok(a);
    assert.deepEqual(a.counts, { ...emptyStats(), ok: 1, changed: 1, ignored: 1 });
    assert.deepEqual(findings(a).map((t) => t.task), ["t1"]);
    assert.deepEqual(run.playbooks, [{ path: "p.yml" }]);
    assert.equal(verdict(run), "1 host run: 1 task changed (changed=1)");
  });

  test("an audit's change with no verdict (a handler's) is counted as changed, with no difference", () => {
    const audit = buildReportModel([
      { type: "run_start", playbooks: ["p.yml"], inventories: ["i.yml"], sources: [], check: true, diff: false, inputs: { tags: [], skipTags: [], extraVars: [] }, startedAt: "2026-11-27T10:00:00.000Z" },
      { type: "task_result", host: "a", task: "t1", status: "changed", summary: "install nginx", durationMs: 1 },
    ]);
    assert.equal(verdict(audit), "1 host audited: 1 task would change (changed=1)");
    assert.deepEqual(hostColumns(audit), ["Host", "Reachable", "Last converged", "Changed", "Drift", "Pending", "Unknown", "Failed"]);
    assert.ok(audit.hosts[0]);
    assert.deepEqual(hostRow(audit, audit.hosts[0]), ["a", "yes", "not known", "1", "0", "0", "0", "0"]);
    assert.deepEqual(hostColumns(model), ["Host", "Reachable", "Last converged", "Changed", "Drift", "Pending", "Unknown", "Failed", "Warnings"]);
  });

  test("a host unreachable in the recap only is still listed as unreachable", () => {
    const run = buildReportModel([
      { type: "play_start", name: "p", hosts: ["a"] },
      { type: "recap", hosts: { a: { ...emptyStats(), unreachable: 1 } }, elapsedMs: 1 },
    ]);
    assert.equal(run.hosts[0]?.reachable, false);
    assert.equal(run.totals.unreachable, 1);
  });
});
