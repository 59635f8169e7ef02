/**
 * Issue 19 item 1: the site's roles on a fresh Debian 13 (trixie) lab host, with the steps of site.test.ts that
 * prove a release: --check plans the deploy and changes nothing, one run converges it and the app answers through
 * nginx over HTTP/2, a re-run and --check report no change. The roles choose by what they find on the host: nginx
 * 1.26's `http2 on;` (nginx -t warns about bookworm's `listen ... http2` there), so nothing is left to warn about;
 * and when nginx -t does warn (that older syntax forced), the warning is in the recap and the report (item 3).
 * The tests of this file run in order on one lab host.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { repoRoot, total, type RemsPlayRun } from "../../helpers/rems-play.js";
import { assertConverged, changedTasks, curlVia, siteHost, succeeded, type SiteHost } from "../../helpers/site-host.js";

const site = join(repoRoot, "playbooks/site.yml");
const lab = sharedLab("e2e-roles-trixie", 1, "trixie");
const host = (t: TestContext): Promise<SiteHost | undefined> => siteHost(lab, t);

/** What a converge changes on a fresh host: packages, the app tree, the firewall. */
const FRESH_STATE = "dpkg-query -W -f='${db:Status-Status} ' nginx ufw 2>&1; ls /opt; iptables -S | wc -l";

function warnings(run: RemsPlayRun): string[] {
  return run.results.flatMap((r) => (r.warnings ?? []).map((warning) => `${r.task}: ${warning}`));
}

describe("playbooks/site.yml on a fresh Debian 13 (trixie) lab host", () => {
  test("--check plans the deploy with nginx 1.26's http2 directive and changes nothing", async (t) => {
    const h = await host(t);
    if (!h) return;
    assert.match(await h.sh("cat /etc/debian_version"), /^13\./);
    const before = await h.sh(FRESH_STATE);
    const audit = await h.play(site, "--check", "--diff");
    succeeded(audit);
    assert.ok(total(audit.recap, "changed") >= 25, `only ${total(audit.recap, "changed")} changes planned`);
    // nginx is not installed yet: package_facts sees the version apt would install, and the vhost follows it.
    const vhost = audit.results.find((r) => r.task.includes("write the vhost"))?.diffs?.[0]?.after ?? "";
    assert.match(vhost, /^ {4}listen 443 ssl;\n {4}http2 on;$/m);
    assert.equal(await h.sh(FRESH_STATE), before, "--check changed the host");
  });

  test("converges in one run: nginx -t has nothing to warn about, and the app answers over HTTP/2", async (t) => {
    const h = await host(t);
    if (!h) return;
    const converge = await h.play(site);
    succeeded(converge);
    assert.deepEqual(warnings(converge), []);
    assert.match(await h.sh("nginx -v 2>&1"), /nginx\/1\.(2[6-9]|[3-9]\d)\./);
    assert.match(await h.sh("python3 --version"), /^Python 3\.1[3-9]\./);
    const nginxTest = await h.sh("nginx -t 2>&1");
    assert.doesNotMatch(nginxTest, /\[warn\]/);
    assert.equal(await h.sh("systemctl is-active rems.service nginx.service"), "active\nactive\n");
    assert.equal(await h.sh("systemd-analyze verify /etc/systemd/system/rems.service 2>&1"), "");
    assert.match(await h.sh(curlVia(h.name, "/health")), /"secret_key":true[\s\S]*"status":"ok"[\s\S]* 200$/);
    assert.equal(await h.sh(`curl -sk --http2 -o /dev/null -w '%{http_version}' --resolve ${h.name}:443:127.0.0.1 https://${h.name}/`), "2");
    assert.match(await h.sh("ufw status"), /^Status: active$/m);
    assert.deepEqual(converge.results.filter((r) => r.task.includes("answers 200 through nginx")).map((r) => r.status), ["ok"]);
  });

  test("a second run reports changed=0, and so does --check", async (t) => {
    const h = await host(t);
    if (!h) return;
    const { rerun, check } = await assertConverged(h, site);
    assert.deepEqual([...warnings(rerun), ...warnings(check)], []);
  });

  test("a vhost nginx -t warns about is a warning in the recap and the report; the next run puts the vhost back", async (t) => {
    const h = await host(t);
    if (!h) return;
    // bookworm's syntax forced on nginx 1.26 (extra vars beat the role's derived value): valid, but deprecated.
    const report = join(mkdtempSync(join(tmpdir(), "rems-trixie-")), "run.md");
    const warned = await h.play(site, "-e", "_nginx_http2_directive=false", "--report", report);
    succeeded(warned);
    const nginxTest = warned.results.find((r) => r.task.includes("nginx -t"));
    assert.equal(nginxTest?.status, "ok");
    assert.deepEqual(nginxTest.warnings, [`nginx: [warn] the "listen ... http2" directive is deprecated, use the "http2" directive instead in /etc/nginx/sites-enabled/rems:15`]);
    // The vhost's own validation (nginx -t on the candidate, before it goes live) says so first, of its temp file.
    const vhost = warned.results.find((r) => r.task.includes("write the vhost"));
    assert.match(vhost?.warnings?.join("\n") ?? "", /\[warn\] the "listen \.\.\. http2" directive is deprecated/);
    assert.equal(warned.recap[h.name]?.warnings, 2);
    const text = readFileSync(report, "utf8");
    assert.match(text, /^\*\*1 host run: .*2 tasks with warnings/m);
    assert.match(text, /^- warning: nginx: \\\[warn\\\] the "listen \.\.\. http2" directive is deprecated/m);

    const back = await h.play(site);
    succeeded(back);
    assert.ok(changedTasks(back).some((task) => task.includes("write the vhost")), changedTasks(back).join("\n"));
    assert.deepEqual(warnings(back), []);
    assert.doesNotMatch(await h.sh("nginx -t 2>&1"), /\[warn\]/);
  });
});
