/**
 * Issue 5's acceptance on a fresh lab host: --check audits it without failing or changing it; playbooks/site.yml
 * converges in one run and every step of the guide's end state holds on the host; a re-run and --check report no
 * change; four hand edits are reported by
 * --check --diff exactly, left alone, and repaired by the next run; a backup restores with playbooks/restore.yml;
 * a second app deploys beside REMS with the same roles and only other variables.
 * The tests of this file run in order on one lab host.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { repoRoot, roundTrips, total } from "../../helpers/rems-play.js";
import { assertConverged, changedTasks, curlVia, siteHost, succeeded, type SiteHost } from "../../helpers/site-host.js";

const site = join(repoRoot, "playbooks/site.yml");
const restore = join(repoRoot, "playbooks/restore.yml");
const backupNow = join(repoRoot, "playbooks/backup-now.yml");
const backupTest = join(repoRoot, "playbooks/backup-test.yml");
const secondApp = `@${join(repoRoot, "apps/second-standin/vars.yml")}`;
const lab = sharedLab("e2e-roles", 1);
const host = (t: TestContext): Promise<SiteHost | undefined> => siteHost(lab, t);

/** What the drift test edits by hand, read back from the host. */
const DRIFT_STATE = [
  "sha256sum /etc/nginx/sites-available/rems",
  "stat -c %a /opt/rems/.env",
  "systemctl is-active rems.service || true",
  "crontab -l | grep -c 'rems daily backup' || true",
].join("; ");

/** What a fresh host has and a converge changes: the packages, the app tree, the crontab, the firewall. */
const FRESH_STATE = "dpkg-query -W -f='${db:Status-Status} ' nginx cron ufw 2>&1; ls /opt; ls /etc/ssl/rems 2>&1; crontab -l 2>&1; iptables -S | wc -l";

describe("playbooks/site.yml on a fresh Debian 12 lab host", () => {
  test("--check --diff on the fresh host plans every step, fails none and changes nothing", async (t) => {
    const h = await host(t);
    if (!h) return;
    const before = await h.lab.ssh(h.name, FRESH_STATE);
    const audit = await h.play(site, "--check", "--diff");
    succeeded(audit);
    // Nothing is installed yet: cron, ufw and the units are planned against what the earlier tasks would install.
    assert.ok(total(audit.recap, "changed") >= 25, `only ${total(audit.recap, "changed")} changes planned`);
    assert.deepEqual(audit.results.filter((r) => r.status === "failed").map((r) => r.task), []);
    assert.deepEqual(await h.lab.ssh(h.name, FRESH_STATE), before, "--check changed the host");
  });

  test("converges in one run, and every step of the guide holds on the host", async (t) => {
    const h = await host(t);
    if (!h) return;
    const converge = await h.play(site);
    succeeded(converge);
    assert.ok(total(converge.recap, "changed") >= 25, `only ${total(converge.recap, "changed")} changes`);

    // Step 1: packages (python3-flask and gunicorn come from Debian: no PyPI).
    const packages = ["nginx", "sqlite3", "cron", "curl", "logrotate", "ufw", "openssl", "python3-flask", "gunicorn"];
    assert.equal(
      await h.sh(`dpkg-query -W -f='\${db:Status-Status} ' ${packages.join(" ")}`),
      packages.map(() => "installed").join(" ") + " ",
    );
    // Step 2: the tree. Code is root's, only instance/ is the app's, .env is 0600 and holds a real key.
    assert.equal(
      await h.sh("stat -c '%n %U %G %a' /opt/rems /opt/rems/app.py /opt/rems/static/style.css /opt/rems/.env /opt/rems/instance /opt/rems/instance/physdb.db"),
      [
        "/opt/rems root root 755",
        "/opt/rems/app.py root root 644",
        "/opt/rems/static/style.css root root 644",
        "/opt/rems/.env root root 600",
        "/opt/rems/instance rems rems 750",
        "/opt/rems/instance/physdb.db rems rems 640",
        "",
      ].join("\n"),
    );
    assert.match(await h.sh("getent passwd rems"), /^rems:x:\d+:\d+::\/opt\/rems:\/usr\/sbin\/nologin\n$/);
    const secretKey = (await h.sh("cat /opt/rems/.secret_key")).trim();
    assert.match(secretKey, /^[0-9a-f]{64}$/);
    assert.match(await h.sh("cat /opt/rems/.env"), new RegExp(`^FLASK_ENV=production\nSECRET_KEY=${secretKey}\n`, "m"));
    assert.ok(!converge.stdout.includes(secretKey) && !converge.stderr.includes(secretKey), "the secret key was printed");
    // Step 3: the unit is accepted by systemd, enabled and running, as rems.
    assert.equal(await h.sh("systemctl is-active rems.service; systemctl is-enabled rems.service"), "active\nenabled\n");
    assert.equal(await h.sh("systemd-analyze verify /etc/systemd/system/rems.service 2>&1"), "");
    assert.equal(await h.sh("ps -o user= -C gunicorn | sort -u"), "rems\n");
    // Step 4: vhost enabled, default site gone, configuration valid, HTTP redirects, HTTPS serves app and static.
    assert.equal(await h.sh("readlink /etc/nginx/sites-enabled/rems; ls /etc/nginx/sites-enabled"), "/etc/nginx/sites-available/rems\nrems\n");
    await h.sh("nginx -t 2>&1");
    assert.match(await h.sh(curlVia(h.name, "/")), /Linear accelerator[\s\S]* 200$/);
    assert.match(await h.sh(curlVia(h.name, "/health")), /"secret_key":true[\s\S]*"status":"ok"[\s\S]* 200$/);
    assert.match(await h.sh(curlVia(h.name, "/static/style.css")), /rems-standin static file[\s\S]* 200$/);
    // Issue 16 item 11: no nginx version to the world ("Server: nginx", not "nginx/1.22.1"), and a health log for root and adm only.
    assert.match(await h.sh(`curl --silent --insecure --head --resolve ${h.name}:443:127.0.0.1 https://${h.name}/`), /^server: nginx\r$/im);
    // Step 7's log names the service and its failures: root and adm only.
    assert.equal(await h.sh("stat -c '%a %U %G' /var/log/rems-health.log"), "640 root adm\n");
    assert.match(await h.sh(`curl -sI --resolve ${h.name}:80:127.0.0.1 http://${h.name}/x`), /^HTTP\/1\.1 301[\s\S]*Location: https:\/\/[^/]+\/x/m);
    assert.match(await h.sh(`curl -skI --resolve ${h.name}:443:127.0.0.1 https://${h.name}/static/style.css`), /strict-transport-security: max-age=31536000/i);
    // Step 5: backup layout, scripts, cron entries (the health check's beside them), log rotation.
    assert.equal(
      await h.sh("stat -c '%n %a' /opt/backups/rems /opt/backups/rems/daily /opt/backups/rems/weekly /opt/backups/rems/monthly /opt/backups/rems-backup.sh /opt/backups/rems-verify-backup.sh"),
      "/opt/backups/rems 700\n/opt/backups/rems/daily 700\n/opt/backups/rems/weekly 700\n/opt/backups/rems/monthly 700\n/opt/backups/rems-backup.sh 750\n/opt/backups/rems-verify-backup.sh 750\n",
    );
    const crontab = await h.sh("crontab -l");
    assert.match(crontab, /^#Ansible: rems daily backup\n0 2 \* \* \* \/opt\/backups\/rems-backup\.sh 2>> \/var\/log\/rems-backup\.log$/m);
    assert.match(crontab, /^#Ansible: rems backup verification\n0 3 \* \* 0 \/opt\/backups\/rems-verify-backup\.sh 2>> \/var\/log\/rems-backup\.log$/m);
    // Step 7: the health check every 5 minutes, in the same crontab.
    assert.match(crontab, /^#Ansible: rems health check\n\*\/5 \* \* \* \* \/usr\/local\/sbin\/rems-health-check >> \/var\/log\/rems-health\.log 2>&1$/m);
    await h.sh("/usr/local/sbin/rems-health-check");
    // Step 6: log rotation files that logrotate accepts; the firewall.
    await h.sh("logrotate -d /etc/logrotate.d/rems-backup /etc/logrotate.d/rems-health 2>&1");
    const ufw = await h.sh("ufw status verbose");
    assert.match(ufw, /^Status: active$/m);
    assert.match(ufw, /^Default: deny \(incoming\), allow \(outgoing\)/m);
    assert.match(ufw, /^22\/tcp +ALLOW IN +Anywhere/m);
    assert.match(ufw, /^80,443\/tcp \(Nginx Full\) +ALLOW IN +Anywhere/m);
    // Step 8: the certificate (self-signed for the host's name) and its key.
    assert.equal(await h.sh("stat -c '%n %a' /etc/ssl/rems /etc/ssl/rems/rems.crt /etc/ssl/rems/rems.key"), "/etc/ssl/rems 700\n/etc/ssl/rems/rems.crt 644\n/etc/ssl/rems/rems.key 600\n");
    assert.match(await h.sh("openssl x509 -noout -subject -in /etc/ssl/rems/rems.crt"), new RegExp(`CN ?= ?${h.name}`));
    // Step 9 ran (not skipped) and the app answers from outside the host, through the firewall.
    const verified = converge.results.filter((r) => r.task.includes("answers 200 through nginx"));
    assert.deepEqual(verified.map((r) => r.status), ["ok"]);
  });

  test("a second run reports changed=0 and --check on the converged host reports no change, in few round trips", async (t) => {
    const h = await host(t);
    if (!h) return;
    const { rerun, check } = await assertConverged(h, site);

    // Issue 7's design, counted: the audit takes the host's run lock, asks for the run record and facts, then every
    // task's facts in one batched probe, then reads the state of the backups in one command (the backup role's
    // warning findings, issue 15); the re-run also asks systemctl and reads the app's database (Step 9: the app
    // contract, issue 15) and writes the run record. The HTTP checks need none.
    assert.deepEqual(roundTrips(check), [4], "round trips of the audit");
    assert.deepEqual(roundTrips(rerun), [7], "round trips of the re-run");
  });

  test("four hand edits are reported exactly by --check --diff, left alone, and repaired by the next run", async (t) => {
    const h = await host(t);
    if (!h) return;
    await h.sh("echo '# edited by hand' >> /etc/nginx/sites-available/rems");
    await h.sh("chmod 644 /opt/rems/.env");
    await h.sh("systemctl stop rems.service");
    await h.sh("crontab -l | grep -v -x -e '#Ansible: rems daily backup' -e '0 2 \\* \\* \\* /opt/backups/rems-backup.sh 2>> /var/log/rems-backup.log' | crontab -");
    const drifted = await h.sh(DRIFT_STATE);
    assert.match(drifted, /\n644\ninactive\n0\n$/);

    const audit = await h.play(site, "--check", "--diff");
    succeeded(audit);
    const changed = changedTasks(audit);
    assert.equal(changed.length, 4, changed.join("\n"));
    // In role order: app (.env, service), nginx (vhost), backup (cron).
    const expected = ["production environment file", "enabled at boot and running", "write the vhost", "cron - daily backup"];
    expected.forEach((part, i) => assert.ok(changed[i]?.includes(part), `change ${i + 1} is "${changed[i] ?? ""}", expected "${part}"`));
    const vhost = audit.results.find((r) => r.task.includes("write the vhost"));
    const diff = vhost?.diffs?.[0];
    assert.ok(diff, "the vhost change comes with a diff");
    assert.match(diff.before, /# edited by hand\n$/);
    assert.doesNotMatch(diff.after, /edited by hand/);
    assert.equal(await h.sh(DRIFT_STATE), drifted, "--check --diff changed the host");

    const repair = await h.play(site);
    succeeded(repair);
    assert.deepEqual(changedTasks(repair).length, 4, changedTasks(repair).join("\n"));
    const repaired = await h.sh(DRIFT_STATE);
    assert.match(repaired, /\n600\nactive\n1\n$/);
    assert.doesNotMatch(await h.sh("cat /etc/nginx/sites-available/rems"), /edited by hand/);
    assert.match(await h.sh(curlVia(h.name, "/health")), / 200$/);
  });

  test("the backup script's backup is restored by playbooks/restore.yml", async (t) => {
    const h = await host(t);
    if (!h) return;
    const sql = (statement: string): Promise<string> => h.sh(`runuser -u rems -- sqlite3 /opt/rems/instance/physdb.db "${statement}"`);
    await sql("INSERT INTO equipment (name, location) VALUES ('written before the backup', 'lab')");
    await h.sh("/opt/backups/rems-backup.sh && /opt/backups/rems-verify-backup.sh");
    assert.match(await h.sh("tail -n 3 /var/log/rems-backup.log"), /Database backup verified \(integrity_check ok\)/);
    const archive = await h.sh("ls -1d /opt/backups/rems/daily/*/ | tail -n 1");
    assert.equal(await h.sh(`tar -tzf ${archive.trim()}application.tar.gz | grep -c -e /instance -e /venv || true`), "0\n");
    await sql("DELETE FROM equipment WHERE name = 'written before the backup'");
    await sql("INSERT INTO equipment (name, location) VALUES ('written after the backup', 'lab')");

    // Issue 16 item 1: the service user plants links where a restore once wrote (its fixed temporary name, the safety
    // copies of the next minutes): none may be written through or chowned. The administrator runs the restore as
    // production does, as a deploy user with sudo (the lab's `deploy`), not as root.
    const passwdBefore = await h.sh("sha256sum /etc/passwd; stat -c '%U %G %a' /etc/passwd");
    await h.sh(
      "cd /opt/rems/instance && runuser -u rems -- ln -s /etc/passwd .rems-restore-physdb.db.tmp && " +
        "for s in $(seq 0 300); do runuser -u rems -- ln -sf /etc/passwd physdb.db.before-restore-$(date -u -d @$(( $(date +%s) + s )) +%Y%m%dT%H%M%SZ); done",
    );
    const restored = await h.play(restore, "-e", "ansible_user=deploy");
    succeeded(restored);
    assert.match(await h.sh("journalctl --no-pager _COMM=sudo | grep -c ' deploy : .*USER=root' || true"), /^[1-9]/, "the restore ran through deploy's sudo");
    assert.equal(await h.sh("sha256sum /etc/passwd; stat -c '%U %G %a' /etc/passwd"), passwdBefore, "/etc/passwd untouched by the restore");
    await h.sh("find /opt/rems/instance -maxdepth 1 -type l -delete");
    assert.equal(await sql("SELECT name FROM equipment WHERE name LIKE 'written %' ORDER BY name"), "written before the backup\n");
    assert.equal(await h.sh("stat -c '%U %G' /opt/rems/instance/physdb.db; systemctl is-active rems.service"), "rems rems\nactive\n");
    assert.match(await h.sh(curlVia(h.name, "/health")), /"equipment":4[\s\S]* 200$/);

    const tested = await h.play(backupTest);
    succeeded(tested);
    assert.ok(tested.results.some((r) => JSON.stringify(r.msg ?? "").includes("integrity_check: ok")), "backup-test shows integrity_check: ok");

    const now = await h.play(backupNow);
    succeeded(now);
    assert.match(await h.sh("ls /opt/backups/rems/manual"), /\S/);
  });

  test("a second app deploys beside REMS with the same roles and other variables, and both answer", async (t) => {
    const h = await host(t);
    if (!h) return;
    const second = await h.play(site, "-e", secondApp);
    succeeded(second);
    assert.equal(await h.sh("systemctl is-active rems.service samplelog.service"), "active\nactive\n");
    assert.equal(await h.sh("stat -c '%n %U %a' /srv/samplelog/.env /srv/samplelog/instance/samplelog.db /srv/backups/samplelog/daily"), "/srv/samplelog/.env root 600\n/srv/samplelog/instance/samplelog.db samplelog 640\n/srv/backups/samplelog/daily root 700\n");
    assert.match(await h.sh(curlVia("samplelog.lab.internal", "/")), /samplelog: 1 samples[\s\S]* 200$/);
    assert.match(await h.sh(curlVia(h.name, "/")), /Linear accelerator[\s\S]* 200$/);
    const crontab = await h.sh("crontab -l");
    for (const entry of ["rems daily backup", "rems health check", "samplelog daily backup", "samplelog health check"]) {
      assert.match(crontab, new RegExp(`^#Ansible: ${entry}$`, "m"));
    }
    // Each app's deployment leaves the other's converged.
    const remsAgain = await h.play(site);
    succeeded(remsAgain);
    assert.deepEqual(changedTasks(remsAgain), []);
    const secondAgain = await h.play(site, "-e", secondApp);
    succeeded(secondAgain);
    assert.deepEqual(changedTasks(secondAgain), []);
  });
});
