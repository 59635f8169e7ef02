/**
 * Issue 15's last acceptance on a lab host converged with playbooks/site.yml: one audit meets all it names at once —
 * a hand edit and a pending change in the vhost, `chmod 644` of the app's .env (drift of the mode, the file's value
 * masked), a hand-added ufw rule, nginx site and root cron job (exclusive sets), the tls role's certificate finding
 * and the backup role's "no backup" finding (the backup script aged by `touch -d`). The audit changes nothing, exits
 * 10 (drift keeps its code over findings, README "With --detailed-exitcode"), and its HTML report, opened in
 * headless Chromium at a laptop's viewport, shows every finding and every drifted or pending task's change above
 * the fold. Then the backup role's two other findings: an old restore test and a full disk.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { AuditExitCode } from "../../engine/exit-codes.js";
import { chromiumPath } from "../helpers/chromium.js";
import { sharedLab } from "../helpers/lab.js";
import { explain } from "../helpers/module-ladder.js";
import { notAboveTheFold, viewPage } from "../helpers/page-view.js";
import { repoRoot } from "../helpers/rems-play.js";
import { siteHost } from "../helpers/site-host.js";

const site = join(repoRoot, "playbooks/site.yml");
const HAND_EDITS = [
  "ufw allow 8080/tcp",
  "ln -s /etc/nginx/sites-available/default /etc/nginx/sites-enabled/rogue",
  "{ crontab -l; printf '#Ansible: rogue\\n* * * * * /bin/true\\n'; } | crontab -",
  "chmod 644 /opt/rems/.env",
  "sed -i '0,/server_tokens off;/s//server_tokens on;/' /etc/nginx/sites-available/rems",
  // Deployed two days ago and never run since: past backup_warn_age_hours (26), not the restore test's 35 days.
  "touch -d '2 days ago' /opt/backups/rems-backup.sh",
].join(" && ");
/** What the edits touch, to prove the audit left them as they were. */
const STATE = "ufw status; ls /etc/nginx/sites-enabled; crontab -l; stat -c '%a %Y' /opt/rems/.env /opt/backups/rems-backup.sh; sha256sum /etc/nginx/sites-available/rems";

const lab = sharedLab("fnd-fold", 1);

test("audit: drift, a pending change, exclusive sets and warning findings all above the fold of the HTML report", async (t) => {
  const h = await siteHost(lab, t);
  if (!h) return;
  const converge = await h.play(site);
  assert.equal(converge.exitCode, 0, explain(converge));
  assert.equal(converge.recap[h.name]?.warnings ?? 0, 0, "a freshly deployed host has no warning finding");

  await h.sh(HAND_EDITS);
  const edited = await h.sh(STATE);
  const dir = mkdtempSync(join(tmpdir(), "rems-audit-fold-"));
  const report = join(dir, "audit.html");
  // The pending change: the vhost's proxy timeouts; the certificate's warning window wider than the lab certificate's life.
  const audit = await h.play(site, "--check", "--diff", "--detailed-exitcode", "--report", report, "-e", "nginx_proxy_timeout=90s", "-e", "tls_expiry_warn_days=4000");
  assert.equal(audit.exitCode, AuditExitCode.drift, explain(audit));
  assert.equal(await h.sh(STATE), edited, "the audit changed the host");

  const findings = audit.results.flatMap((r) => (r.finding === undefined ? [] : [r.finding]));
  assert.equal(findings.length, 2, findings.join("\n"));
  assert.match(findings[0] ?? "", /expires within 4000 days/);
  assert.match(findings[1] ?? "", /newest backup in \/opt\/backups\/rems\/daily is missing/);
  const differing = audit.results.filter((r) => r.differences !== undefined && r.differences.drift + r.differences.pending > 0);
  const changes = differing.map((r) => `${r.drift ?? ""}: ${r.summary ?? ""}`);
  t.diagnostic(changes.join("\n"));
  for (const expected of [
    /^drift: write \/etc\/nginx\/sites-available\/rems$/,
    /^drift: .*\/opt\/rems\/\.env/,
    /^drift: remove rogue from \/etc\/nginx\/sites-enabled/,
    /^drift: remove job "rogue" from the crontab of root/,
    /^drift: delete rule allow 8080\/tcp/,
  ]) {
    assert.ok(changes.some((c) => expected.test(c)), `${String(expected)} among\n${changes.join("\n")}`);
  }
  const vhost = differing.find((r) => r.summary === "write /etc/nginx/sites-available/rems");
  assert.deepEqual(vhost?.differences, { drift: 1, pending: 1 });
  const env = differing.find((r) => r.summary?.includes("/opt/rems/.env"));
  assert.ok(env);
  const envDiff = JSON.stringify(env.diffs ?? []);
  assert.match(envDiff, /mode/);
  assert.doesNotMatch(envDiff, /SECRET_KEY=(?!\*)/, "the .env's value is masked");

  const seen = [`${h.name}: ${findings[0] ?? ""}`, `${h.name}: ${findings[1] ?? ""}`, ...differing.map((r) => `: ${r.summary ?? ""}`)];
  const view = await viewPage(chromiumPath(), report, { width: 1366, height: 768 }, seen);
  const missing = seen.flatMap((phrase) => {
    const why = notAboveTheFold(view, phrase);
    return why === undefined ? [] : [why];
  });
  assert.deepEqual(missing, []);

  // The other two backup findings: a backup now (the backup finding goes), a passing restore test that records itself,
  // aged past backup_restore_test_warn_days; every disk is fuller than 0%.
  await h.sh("/opt/backups/rems-backup.sh");
  const tested = await h.play(join(repoRoot, "playbooks/backup-test.yml"));
  assert.equal(tested.exitCode, 0, explain(tested));
  assert.equal(await h.sh("stat -c '%U %a' /opt/backups/rems/restore-test.passed"), "root 600\n");
  await h.sh("touch -d '40 days ago' /opt/backups/rems/restore-test.passed");
  const later = await h.play(site, "--check", "--detailed-exitcode", "-e", "backup_disk_warn_percent=0");
  assert.equal(later.exitCode, AuditExitCode.drift, explain(later));
  const found = later.results.flatMap((r) => (r.finding === undefined ? [] : [r.finding]));
  assert.equal(found.length, 2, found.join("\n"));
  assert.match(found[0] ?? "", /last passing restore test of rems's backups was 40 days ago .*Run playbooks\/backup-test\.yml/);
  assert.match(found[1] ?? "", /the disk of \/opt\/backups\/rems is \d+% full \(threshold 0%\)/);
});
