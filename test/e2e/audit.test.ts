/**
 * Issue 6's acceptance on a lab host: a converged host audits clean (exit "no drift"); two hand edits are listed
 * as exactly two drift items with a diff, and the audit changes nothing; a playbook change not yet applied is
 * "pending", not drift; a no_log secrets file's drift says what drifted (its mode) without its content; an
 * unreachable host is in the report and in the exit code; the HTML report renders in
 * headless Chromium, is not blank and names every host.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { AuditExitCode } from "../../engine/exit-codes.js";
import type { ReportModel } from "../../engine/reporters/report-model.js";
import { chromiumPath, dumpDom, screenshot } from "../helpers/chromium.js";
import { bootLab, rootShell } from "../helpers/lab.js";
import { decodePng, inkStats } from "../helpers/png.js";
import { repoRoot, runRemsPlay, total } from "../helpers/rems-play.js";

const site = join(repoRoot, "playbooks/site.yml");
/** What the two hand edits touch, and whether they are still as edited. */
const EDITED = "sha256sum /etc/nginx/sites-available/rems; stat -c %a /opt/rems/.env";

test("audit: clean, drift, pending, unreachable, and a report an auditor can open", async (t) => {
  const lab = await bootLab(t, "e2e-audit", 1);
  if (!lab) return;
  const [host] = lab.hosts;
  assert.ok(host);
  const sh = rootShell(lab, host.name);
  const dir = mkdtempSync(join(tmpdir(), "rems-audit-"));
  const audit = (report: string, ...extra: string[]) =>
    runRemsPlay([site, "-i", lab.inventoryPath, "--check", "--diff", "--detailed-exitcode", "--report", join(dir, report), ...extra]);

  const converge = await runRemsPlay([site, "-i", lab.inventoryPath]);
  assert.equal(converge.exitCode, 0, converge.stderr);

  const clean = await audit("clean.json");
  assert.equal(clean.exitCode, AuditExitCode.noDrift, JSON.stringify(clean.results.filter((r) => r.status !== "ok" && r.status !== "skipped")));
  const cleanReport = JSON.parse(readFileSync(join(dir, "clean.json"), "utf8")) as ReportModel;
  const [cleanHost] = cleanReport.hosts;
  assert.ok(cleanHost);
  assert.equal(cleanHost.counts.drift, 0);
  assert.ok(cleanHost.lastConverged, "the report says when the host was last converged");

  // A certificate inside the warning window (the lab's is good for years: the window is made wider than that).
  const expiring = await audit("expiring.json", "-e", "tls_expiry_warn_days=100000");
  assert.equal(expiring.exitCode, AuditExitCode.warning, expiring.stderr);
  const expiringReport = JSON.parse(readFileSync(join(dir, "expiring.json"), "utf8")) as ReportModel;
  assert.deepEqual(expiringReport.warningFindings.map((f) => [f.host, /expires within 100000 days/.test(f.message)]), [[host.name, true]]);
  assert.equal(expiringReport.totals.counts.drift, 0);

  await sh("echo '# edited by hand' >> /etc/nginx/sites-available/rems && chmod 644 /opt/rems/.env");
  const edited = await sh(EDITED);
  const drift = await audit("drift.md");
  assert.equal(drift.exitCode, AuditExitCode.drift, drift.stderr);
  // Handlers notified by the drifted tasks report changes too, but with no classification of their own.
  const drifted = drift.results.filter((r) => r.status === "changed" && r.drift !== undefined);
  assert.deepEqual(
    drifted.map((r) => [r.drift, /production environment file|write the vhost/.exec(r.task)?.[0]]),
    [
      ["drift", "production environment file"],
      ["drift", "write the vhost"],
    ],
  );
  // no_log hides the secrets file's content, not what drifted on it: its mode (issue 15).
  const envDrift = drifted[0];
  assert.equal(envDrift?.summary, "set mode 0600 on /opt/rems/.env");
  assert.deepEqual(envDrift.diffs?.map((d) => [d.path, d.before, d.after]), [["/opt/rems/.env (attributes)", "mode 0644\n", "mode 0600\n"]]);
  const vhostDiff = drifted[1]?.diffs?.[0];
  assert.ok(vhostDiff, "the vhost drift comes with a diff");
  assert.match(vhostDiff.before, /# edited by hand\n$/);
  assert.equal(await sh(EDITED), edited, "the audit changed the host");
  const markdown = readFileSync(join(dir, "drift.md"), "utf8");
  assert.match(markdown, /write the vhost/);
  assert.match(markdown, /edited by hand/);

  const repair = await runRemsPlay([site, "-i", lab.inventoryPath]);
  assert.equal(repair.exitCode, 0, repair.stderr);
  assert.equal(total(repair.recap, "failed"), 0);

  const pending = await audit("pending.json", "-e", "nginx_proxy_timeout=90s");
  assert.equal(pending.exitCode, AuditExitCode.drift, pending.stderr);
  const changed = pending.results.filter((r) => r.status === "changed" && r.drift !== undefined);
  assert.deepEqual(changed.map((r) => [r.drift, /write the vhost/.test(r.task)]), [["pending", true]]);

  const inventory = join(dir, "with-ghost.yml");
  writeFileSync(
    inventory,
    readFileSync(lab.inventoryPath, "utf8").replace(/^(\s+)hosts:\n/m, `$1hosts:\n$1  ghost: { ansible_host: 127.0.0.1, ansible_port: 1, ansible_user: root }\n`),
  );
  const withGhost = await runRemsPlay([site, "-i", inventory, "--check", "--diff", "--detailed-exitcode", "--report", join(dir, "audit.html")]);
  assert.equal(withGhost.exitCode, AuditExitCode.hostFailed, withGhost.stderr);
  assert.equal(withGhost.recap.ghost?.unreachable, 1);
  assert.equal(withGhost.recap[host.name]?.changed, 0, "the reachable host is audited all the same");
  const html = readFileSync(join(dir, "audit.html"), "utf8");
  assert.match(html, /ghost/);
  assert.match(html, /unreachable/i);

  const chromium = chromiumPath();
  const png = join(dir, "audit.png");
  await screenshot(chromium, join(dir, "audit.html"), png);
  const { colors, inkRatio } = inkStats(decodePng(readFileSync(png)));
  assert.ok(colors >= 16 && inkRatio > 0.02, `the screenshot looks blank (${colors} colors, ${(inkRatio * 100).toFixed(1)}% ink)`);
  const dom = await dumpDom(chromium, join(dir, "audit.html"));
  for (const name of ["ghost", host.name]) assert.match(dom, new RegExp(`>${name}<`), `the page does not name ${name}`);
});
