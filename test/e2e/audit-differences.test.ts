/**
 * Issue 15's acceptance on a lab host: a vhost with a hand edit and a pending change shows one drift and one pending
 * difference, both shown, and the audit changes nothing; the recap and the report count the same; the HTML report,
 * opened in headless Chromium, shows the verdict with those counts, the warning finding and the vhost's task with
 * its per-hunk verdict above the fold.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { AuditExitCode } from "../../engine/exit-codes.js";
import type { ReportModel } from "../../engine/reporters/report-model.js";
import { chromiumPath } from "../helpers/chromium.js";
import { bootLab, rootShell } from "../helpers/lab.js";
import { notAboveTheFold, viewPage } from "../helpers/page-view.js";
import { repoRoot, runRemsPlay } from "../helpers/rems-play.js";

const site = join(repoRoot, "playbooks/site.yml");
const VHOST = "/etc/nginx/sites-available/rems";

test("audit: a hand edit and a pending change in one vhost are one drift and one pending difference, counted alike everywhere", async (t) => {
  const lab = await bootLab(t, "dri-audit-diff", 1);
  if (!lab) return;
  const [host] = lab.hosts;
  assert.ok(host);
  const sh = rootShell(lab, host.name);
  const dir = mkdtempSync(join(tmpdir(), "rems-audit-differences-"));
  // The playbook's change: the proxy timeouts (near the end of the vhost); the warning window made wider than the
  // lab certificate's life, for a warning finding.
  const audit = (report: string) =>
    runRemsPlay([site, "-i", lab.inventoryPath, "--check", "--diff", "--detailed-exitcode", "--report", join(dir, report), "-e", "nginx_proxy_timeout=90s", "-e", "tls_expiry_warn_days=100000"]);

  const converge = await runRemsPlay([site, "-i", lab.inventoryPath]);
  assert.equal(converge.exitCode, 0, converge.stderr);
  // The record keeps hashes of the lines the site's files hold: what it costs, and never their text.
  const record = await sh("cat /var/lib/rems-play/runs/site*.json");
  t.diagnostic(`run record: ${Buffer.byteLength(record)} bytes`);
  assert.ok(Buffer.byteLength(record) < 64 * 1024, `the run record takes ${Buffer.byteLength(record)} bytes`);
  assert.doesNotMatch(record, /server_tokens|proxy_read_timeout|SECRET/);

  // The hand edit: one line near the top of the vhost.
  await sh(`sed -i '0,/server_tokens off;/s//server_tokens on;/' ${VHOST}`);
  const edited = await sh(`sha256sum ${VHOST}`);

  const run = await audit("audit.json");
  assert.equal(run.exitCode, AuditExitCode.drift, run.stderr);
  assert.equal(await sh(`sha256sum ${VHOST}`), edited, "the audit changed the host");
  const differing = run.results.filter((r) => r.differences !== undefined);
  assert.equal(differing.length, 1, JSON.stringify(differing.map((r) => [r.task, r.differences])));
  const [vhost] = differing;
  assert.ok(vhost);
  assert.match(vhost.task, /write the vhost/);
  assert.deepEqual(vhost.differences, { drift: 1, pending: 1 });
  assert.equal(vhost.drift, "drift", "a task with a hand edit is marked drift, whatever else is pending");
  const [diff] = vhost.diffs ?? [];
  assert.deepEqual(diff?.hunks, ["drift", "pending"]);
  assert.match(diff.before, /server_tokens on;/);
  assert.match(diff.after, /proxy_read_timeout 90s;/);

  // The recap's counts (the engine's) are the report's, host by host and in total.
  const recap = run.recap[host.name];
  assert.ok(recap);
  assert.deepEqual([recap.drift, recap.pending, recap.warnings], [1, 1, 1]);
  const model = JSON.parse(readFileSync(join(dir, "audit.json"), "utf8")) as ReportModel;
  assert.deepEqual(model.hosts[0]?.counts, recap);
  assert.deepEqual(model.totals.counts, recap);

  const html = await audit("audit.html");
  assert.equal(html.exitCode, AuditExitCode.drift, html.stderr);
  const [finding] = model.warningFindings;
  assert.ok(finding);
  const changes = `${recap.changed} task${recap.changed === 1 ? "" : "s"} would change (changed=${recap.changed}), with 1 drift and 1 pending difference`;
  const seen = [`1 host audited: ${changes}; 1 warning finding`, `${host.name}: ${finding.message}`, `${host.name}: ${vhost.task} — 1 drift, 1 pending (hunks: drift; pending)`];
  const view = await viewPage(chromiumPath(), join(dir, "audit.html"), { width: 1280, height: 800 }, seen);
  for (const phrase of seen) assert.equal(notAboveTheFold(view, phrase), undefined);
});
