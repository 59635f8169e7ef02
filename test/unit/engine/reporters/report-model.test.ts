import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { RunEvent } from "../../../../engine/events.js";
import { buildReportModel, findings, hostColumns, hostRow, statusLabel, verdict } from "../../../../engine/reporters/report-model.js";
import { AUDIT_HOSTS, recordedAudit } from "./audit-events.js";

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

  test("tells drift from pending changes, and counts unknown and failed results per host", () => {
    assert.deepEqual(host("lab1").counts, { ok: 5, drift: 2, pending: 1, changed: 0, unknown: 2, skipped: 0, failed: 0, warning: 0 });
    assert.deepEqual(host("lab2").counts, { ok: 7, drift: 0, pending: 0, changed: 0, unknown: 0, skipped: 2, failed: 0, warning: 0 });
    assert.deepEqual(host("lab4").counts, { ok: 2, drift: 0, pending: 2, changed: 0, unknown: 0, skipped: 0, failed: 1, warning: 0 });
    assert.deepEqual(
      findings(host("lab1")).map((t) => [t.finding, t.task]),
      [
        ["drift", "nginx : Step 7 · site configuration <rems>"],
        ["drift", "app : Step 4 · environment file"],
        ["pending", "app : Step 2 · ship the application code"],
        ["unknown", "app : migrate the database"],
        ["unknown", "app : report the migration"],
      ],
    );
    assert.deepEqual(findings(host("lab2")), []);
    assert.equal(verdict(model), "4 hosts audited: 1 host with drift, 2 hosts with pending changes, 1 host with unknown results, 1 host failed, 1 host unreachable");
  });

  test("a handler an audit would run is listed but is no finding of its own", () => {
    const reload = host("lab1").tasks.at(-1);
    assert.equal(reload?.task, "nginx : reload nginx");
    assert.equal(reload.handler, true);
    assert.equal(reload.finding, undefined);
    assert.equal(statusLabel(reload), "changed (handler)");
    assert.equal(host("lab1").counts.changed, 0);
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
    assert.deepEqual(a.counts, { ok: 0, drift: 0, pending: 0, changed: 1, unknown: 0, skipped: 0, failed: 0, warning: 0 });
    assert.deepEqual(findings(a).map((t) => t.task), ["t1"]);
    assert.deepEqual(run.playbooks, [{ path: "p.yml" }]);
    assert.equal(verdict(run), "1 host run: 1 change applied");
  });

  test("an audit's change that is neither drift nor pending is still counted and shown", () => {
    const audit = buildReportModel([
      { type: "run_start", playbooks: ["p.yml"], inventories: ["i.yml"], sources: [], check: true, diff: false, inputs: { tags: [], skipTags: [], extraVars: [] }, startedAt: "2026-11-27T10:00:00.000Z" },
      { type: "task_result", host: "a", task: "t1", status: "changed", summary: "install nginx", durationMs: 1 },
    ]);
    assert.equal(verdict(audit), "1 host audited: 1 change found, not told drift or pending");
    assert.deepEqual(hostColumns(audit), ["Host", "Reachable", "Last converged", "Drift", "Pending", "Changed", "Unknown", "Failed"]);
    assert.ok(audit.hosts[0]);
    assert.deepEqual(hostRow(audit, audit.hosts[0]), ["a", "yes", "not known", "0", "0", "1", "0", "0"]);
    assert.deepEqual(hostColumns(model), ["Host", "Reachable", "Last converged", "Drift", "Pending", "Unknown", "Failed"]);
  });

  test("a host unreachable in the recap only is still listed as unreachable", () => {
    const run = buildReportModel([
      { type: "play_start", name: "p", hosts: ["a"] },
      { type: "recap", hosts: { a: { ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0, unknown: 0, warnings: 0 } }, elapsedMs: 1 },
    ]);
    assert.equal(run.hosts[0]?.reachable, false);
    assert.equal(run.totals.unreachable, 1);
  });
});
