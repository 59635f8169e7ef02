/**
 * Issue 18's acceptance on three fresh lab hosts: playbooks/noctis.yml with inventory/noctis/three-hosts.yml (lab1
 * web, lab2 db, lab3 monitoring). It converges; the app answers over HTTPS through nginx with the document's
 * security headers, lists a DICOM study, and /health is green; PostgreSQL and Redis take connections from the web
 * host only; /metrics is the Prometheus host's alone; Prometheus reports every target of the three hosts up; the
 * hosts are hardened and the project still connects; a second run and --check --diff change nothing; a backup, a
 * loss (database dropped, uploads deleted) and playbooks/noctis-restore.yml bring the data back. The tests of this
 * file run in order on one lab.
 */
import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBackupLossRestore, assertStackConverged, curlApp, MANAGE, NOCTIS, noctisStack, promTargets, succeededQuietly, type NoctisStack } from "../../helpers/noctis-stack.js";
import { passwordLogin } from "../../helpers/password-login.js";

const lab = sharedLab("noctis3", 3);
const stack = (t: TestContext): Promise<NoctisStack | undefined> => noctisStack(lab, t, "three-hosts");

/** Whether FROM opens a TCP connection to ADDRESS:PORT within 5 s. */
async function reaches(s: NoctisStack, from: NoctisStack["web"], address: string, port: number): Promise<boolean> {
  const out = await s.sh(from, `timeout 5 bash -c '</dev/tcp/${address}/${port}' 2>/dev/null && echo open || echo closed`);
  return out === "open\n";
}

describe("issue 18: playbooks/noctis.yml on three lab hosts (web, db, monitoring)", () => {
  test("converges: HTTPS with HSTS and CSP, a study listed, /health green, the database for the web host only, every target up", async (t) => {
    const s = await stack(t);
    if (!s) return;
    const { web, db, monitoring } = s;
    succeededQuietly(await s.play(NOCTIS));

    const home = await s.sh(web, curlApp("/"));
    assert.match(home, /^strict-transport-security: max-age=31536000\r$/im);
    assert.match(home, /^content-security-policy: default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'\r$/im);
    assert.match(home, / 200$/);
    await s.sh(web, `${MANAGE} sample_dicom && ${MANAGE} import_studies`);
    assert.match(await s.sh(web, curlApp("/")), /<td>DOE\^JANE<\/td><td>NOC-0001<\/td>/, "a DICOM study is listed");
    assert.match(await s.sh(web, curlApp("/health")), /"status": ?"ok", ?"database": ?"ok", ?"redis": ?"ok"[\s\S]* 200$/);
    assert.match(await s.sh(web, "grep -E '^(PGHOST|REDIS_URL)=' /opt/noctis/.env | sed 's/:[^:@]*@/:SECRET@/'"), new RegExp(`^PGHOST=${db.address}\nREDIS_URL=redis://:SECRET@${db.address}:6379/0\n$`));

    // The database and Redis listen on the db host's address, for the web host only (pg_hba.conf and the firewall).
    assert.deepEqual(
      [await reaches(s, web, db.address, 5432), await reaches(s, web, db.address, 6379), await reaches(s, monitoring, db.address, 5432), await reaches(s, monitoring, db.address, 6379)],
      [true, true, false, false],
    );
    assert.match(await s.sh(db, "cat /etc/postgresql/15/main/pg_hba.conf"), new RegExp(`^hostssl  "noctis"  "noctis"  ${web.address.replaceAll(".", "\\.")}/32  scram-sha-256$`, "m"));
    // /metrics: the Prometheus host's (nginx allows its address), 403 for anyone else, the web host included.
    assert.match(await s.sh(web, curlApp("/metrics")), / 403$/);
    assert.match(await s.sh(monitoring, `curl --silent --insecure --max-time 10 https://${web.address}/metrics | grep -c '^django_http_requests_total_by_method_total'`), /^[1-9]/);

    const targets = await promTargets(s);
    assert.deepEqual(targets.map((x) => `${x.job} ${x.instance} ${x.health}`), [
      `nginx ${web.address}:9113 up`,
      `noctis ${web.address}:443 up`,
      `node ${web.address}:9100 up`,
      `node ${db.address}:9100 up`,
      `node ${monitoring.address}:9100 up`,
      `postgres ${db.address}:9187 up`,
      "prometheus 127.0.0.1:9090 up",
      `redis ${db.address}:9121 up`,
    ].sort());
  });

  test("every host is hardened: SSH takes keys only, fail2ban's jails run, audit rules compiled, AIDE's check passes, sysctls set", async (t) => {
    const s = await stack(t);
    if (!s) return;
    for (const host of [s.web, s.db, s.monitoring]) {
      assert.match(await passwordLogin(host), /Permission denied \(publickey\)\./, `${host.name} refuses passwords`);
      assert.match(await s.sh(host, "fail2ban-client status sshd"), /Status for the jail: sshd\n/);
      assert.match(await s.sh(host, "cat /etc/audit/audit.rules"), /^-w \/etc\/shadow -p wa -k identity$/m);
      await s.sh(host, "aide --config /etc/aide/aide-hardening.conf --check >/dev/null");
      assert.equal(await s.sh(host, "sysctl -n net.ipv4.conf.all.rp_filter net.ipv4.tcp_syncookies net.ipv4.conf.all.accept_redirects"), "1\n1\n0\n");
    }
    // nginx's jails on the web host only: the others have no nginx logs.
    assert.match(await s.sh(s.web, "fail2ban-client status"), /Jail list:\s+nginx-botsearch, nginx-http-auth, sshd\n/);
    assert.match(await s.sh(s.db, "fail2ban-client status"), /Jail list:\s+sshd\n/);
  });

  test("a second run and --check --diff change nothing, over the hardened sshd", async (t) => {
    const s = await stack(t);
    if (!s) return;
    await assertStackConverged(s);
  });

  test("a backup, a loss (the database dropped, the uploads deleted), noctis-restore.yml: the data is back, and nothing drifted", async (t) => {
    const s = await stack(t);
    if (!s) return;
    await assertBackupLossRestore(s);
    await assertStackConverged(s);
  });
});
