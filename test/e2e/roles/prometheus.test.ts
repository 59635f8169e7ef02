/**
 * Issue 18: the prometheus and node_exporter roles on two lab hosts, with the inventory's groups of the Noctis
 * layout: `monitoring` (lab1, Prometheus) and `db` (lab2, PostgreSQL, Redis and nginx with their exporters), the
 * node exporter and a listed certificate on both. Prometheus's own HTTP API, asked from the controller, is the
 * judge: every target of every job is up, each exporter reaches its server (pg_up, redis_up, nginx_up), the
 * certificate metric holds the certificate's notAfter, the four alert rules are loaded. The exporters' passwords
 * come from a vaulted vars file and appear in no output, no command line and no file but the root-only ones. A
 * second run changes nothing, an audit (--check --diff) reports nothing, and ansible-playbook 2.14 running the same
 * play on the converged hosts agrees (changed=0, under --check --diff too).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { ansibleAvailable, runAnsiblePlaybook } from "../../helpers/ansible-playbook.js";
import { rootShell, sharedLab, type Lab } from "../../helpers/lab.js";
import { explain } from "../../helpers/module-ladder.js";
import { repoRoot, runCli, runRemsPlay, total, type RemsPlayRun } from "../../helpers/rems-play.js";

const lab = sharedLab("prom", 2);
const env = { ANSIBLE_ROLES_PATH: join(repoRoot, "roles") };
const CERT = "/etc/ssl/prom-test/test.crt";
// Characters that need quoting in every file they pass through: SQL, redis.conf, the systemd environment file.
const PG_PASSWORD = `pg"pa\\ss$1'x-${Math.random().toString(36).slice(2)}`;
const REDIS_PASSWORD = `re"dis\\pw$2'y-${Math.random().toString(36).slice(2)}`;
const JOBS = [
  { job: "node", group: "all", port: 9100 },
  { job: "postgres", group: "db", port: 9187 },
  { job: "redis", group: "db", port: 9121 },
  { job: "nginx", group: "db", port: 9113 },
];

interface Site {
  dir: string;
  playbook: string;
  inventory: string;
  passwordFile: string;
  /** The certificate's notAfter, in seconds since the epoch (read on the controller). */
  expiry: number;
}

const b64 = (text: string): string => Buffer.from(text).toString("base64");

/** The playbook, its inventory (groups monitoring and db), the vaulted passwords and a certificate. */
function site(l: Lab): Site {
  const dir = mkdtempSync(join(tmpdir(), "rems-prom-"));
  const cert = join(dir, "test.crt");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "40", "-subj", "/CN=prom-test", "-keyout", join(dir, "test.key"), "-out", cert], { stdio: "ignore" });
  const notAfter = execFileSync("openssl", ["x509", "-noout", "-enddate", "-in", cert], { encoding: "utf8" }).trim().replace(/^notAfter=/, "");
  const passwordFile = join(dir, "vault-pass");
  writeFileSync(passwordFile, "prom test vault password\n", { mode: 0o600 });
  const secrets = join(dir, "secrets.yml");
  writeFileSync(secrets, stringify({ node_exporter_postgres_password: PG_PASSWORD, node_exporter_redis_password: REDIS_PASSWORD }));
  assert.equal(runCli(["vault", "encrypt", secrets, "--vault-password-file", passwordFile]).status, 0);
  const [monitoring, db] = l.hosts;
  assert.ok(monitoring && db);
  const hostVars = (address: string): Record<string, string> => ({
    ansible_host: address,
    ansible_user: "root",
    ansible_ssh_private_key_file: l.keyPath,
    rems_known_hosts_file: l.knownHostsPath,
  });
  const inventory = join(dir, "inventory.yml");
  writeFileSync(inventory, stringify({
    all: {
      children: {
        monitoring: { hosts: { [monitoring.name]: hostVars(monitoring.address) } },
        db: {
          hosts: { [db.name]: hostVars(db.address) },
          vars: { node_exporter_postgres: true, node_exporter_redis: true, node_exporter_nginx: true },
        },
      },
    },
  }));
  const playbook = join(dir, "site.yml");
  writeFileSync(playbook, `- hosts: all
  vars_files: [secrets.yml]
  vars:
    node_exporter_certificates: [${CERT}]
  pre_tasks:
    - name: the test certificate's directory
      file: { path: /etc/ssl/prom-test, state: directory, mode: "0755" }
    - name: the test certificate
      copy: { src: ${cert}, dest: ${CERT}, mode: "0644" }
  roles: [node_exporter]

- hosts: monitoring
  vars:
    prometheus_scrape_interval: 5s
    prometheus_evaluation_interval: 5s
    prometheus_scrape_jobs: ${JSON.stringify(JOBS)}
  roles: [prometheus]
`);
  return { dir, playbook, inventory, passwordFile, expiry: Date.parse(notAfter) / 1000 };
}

/** The db host's servers, as the postgresql and redis roles would leave them: a monitoring login with a password. */
async function servers(l: Lab, host: string): Promise<void> {
  const sql = `CREATE ROLE prometheus LOGIN PASSWORD '${PG_PASSWORD.replaceAll("'", "''")}'; GRANT pg_monitor TO prometheus;\n`;
  const redisLine = `requirepass "${REDIS_PASSWORD.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"\n`;
  // The passwords travel base64-encoded: this set-up puts no password in a command line either.
  await rootShell(l, host)(
    "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql redis-server nginx curl >/dev/null && " +
      "for i in $(seq 120); do pg_isready -q && break; sleep 1; done && " +
      `echo ${b64(sql)} | base64 -d | (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1) && ` +
      `echo ${b64(redisLine)} | base64 -d >> /etc/redis/redis.conf && systemctl restart redis-server`,
  );
}

function converge(s: Site, ...flags: string[]): Promise<RemsPlayRun> {
  return runRemsPlay([s.playbook, "-i", s.inventory, "--vault-password-file", s.passwordFile, ...flags], { env });
}

interface PromResponse<T> {
  status: string;
  data: T;
}
interface Target {
  labels: Record<string, string>;
  health: string;
  lastError: string;
}
interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface Alert {
  labels: Record<string, string>;
  state: string;
}
interface RuleGroup {
  name: string;
  rules: { name: string; type: string; health: string }[];
}

async function api<T>(l: Lab, path: string): Promise<T> {
  const response = await fetch(`http://${l.hosts[0]?.address ?? ""}:9090${path}`);
  assert.equal(response.status, 200, path);
  const body = (await response.json()) as PromResponse<T>;
  assert.equal(body.status, "success", path);
  return body.data;
}

const query = (l: Lab, promql: string): Promise<{ result: Sample[] }> => api(l, `/api/v1/query?query=${encodeURIComponent(promql)}`);

/**
 * Polls Prometheus until FOUND holds of its answer (a scrape every 5 s; the deadline is generous for a loaded
 * machine, and a failure shows the last answer).
 */
async function eventually<T>(what: string, read: () => Promise<T>, found: (value: T) => boolean): Promise<T> {
  let last: T | undefined;
  let error = "";
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      last = await read();
      if (found(last)) return last;
    } catch (e) {
      error = e instanceof Error ? e.message : JSON.stringify(e);
    }
    await sleep(3000);
  }
  assert.fail(`${what}: never seen; last answer ${JSON.stringify(last)} ${error}`);
}

describe("issue 18: the prometheus and node_exporter roles on the inventory's groups", () => {
  let s: Site | undefined;

  test("converge: every target up, each exporter reaches its server, the certificate metric and the rules are there, passwords nowhere else", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const [monitoring, db] = l.hosts;
    assert.ok(monitoring && db);
    await servers(l, db.name);
    s = site(l);

    const first = await converge(s);
    assert.equal(first.exitCode, 0, explain(first));
    for (const password of [PG_PASSWORD, REDIS_PASSWORD]) {
      assert.ok(!first.stdout.includes(password) && !first.stderr.includes(password), "a password is in rems-play's output");
    }

    const targets = await eventually("all 6 targets up", () => api<{ activeTargets: Target[] }>(l, "/api/v1/targets"),
      (d) => d.activeTargets.length === 6 && d.activeTargets.every((x) => x.health === "up"));
    const seen = targets.activeTargets.map((x) => `${x.labels["job"] ?? ""} ${x.labels["host"] ?? ""} ${x.labels["instance"] ?? ""}`).sort();
    assert.deepEqual(seen, [
      `nginx ${db.name} ${db.address}:9113`,
      `node ${db.name} ${db.address}:9100`,
      `node ${monitoring.name} ${monitoring.address}:9100`,
      `postgres ${db.name} ${db.address}:9187`,
      `prometheus ${monitoring.name} 127.0.0.1:9090`,
      `redis ${db.name} ${db.address}:9121`,
    ].sort());

    // Up targets are the exporters; these say that each exporter got into its server (with the password).
    for (const metric of ["pg_up", "redis_up", "nginx_up"]) {
      const up: { result: Sample[] } = await eventually(metric, () => query(l, metric), (d) => d.result.length === 1);
      assert.equal(up.result[0]?.value[1], "1", `${metric} ${JSON.stringify(up.result)}`);
    }

    const expiry = await eventually("the certificate metric of both hosts", () => query(l, "ssl_certificate_expiry_timestamp_seconds"), (d) => d.result.length === 2);
    for (const sample of expiry.result) {
      assert.equal(sample.metric["path"], CERT);
      assert.equal(Number(sample.value[1]), s.expiry, `${sample.metric["host"] ?? ""}: the certificate's notAfter`);
    }

    const rules = await api<{ groups: RuleGroup[] }>(l, "/api/v1/rules");
    const alerts = rules.groups.flatMap((g) => g.rules).map((r) => `${r.name} ${r.type} ${r.health}`).sort();
    assert.deepEqual(alerts.map((a) => a.split(" ")[0]), ["BackupTooOld", "CertificateExpiring", "DiskAlmostFull", "TargetDown"]);
    for (const alert of alerts) assert.match(alert, / alerting (ok|unknown)$/);

    // stub_status answers on the db host's loopback address only.
    const onDb = rootShell(l, db.name);
    assert.match(await onDb("curl -s 127.0.0.1:8080/stub_status"), /^Active connections: \d+/);
    assert.equal(await onDb(`curl -s -o /dev/null -w '%{http_code}' http://${db.address}/stub_status; ss -Htln 'sport = :8080' | awk '{print $4}'`), "404127.0.0.1:8080\n");

    // The passwords are in the root-only environment files and in no command line on the host.
    assert.equal(await onDb("stat -c '%U %a %n' /etc/prometheus-exporters /etc/prometheus-exporters/*"), [
      "root 700 /etc/prometheus-exporters",
      "root 600 /etc/prometheus-exporters/prometheus-nginx-exporter.env",
      "root 600 /etc/prometheus-exporters/prometheus-node-exporter.env",
      "root 600 /etc/prometheus-exporters/prometheus-postgres-exporter.env",
      "root 600 /etc/prometheus-exporters/prometheus-redis-exporter.env",
      "",
    ].join("\n"));
    // In no command line, no /etc/default file and no drop-in; in the two exporters' own environments (where
    // systemd put them, and which shows that this search finds them).
    const found = await onDb(`echo ${b64(`${PG_PASSWORD}\n${REDIS_PASSWORD}\n`)} | base64 -d > /root/prom-pw && ` +
      "{ grep -l -a -F -f /root/prom-pw /proc/[0-9]*/cmdline /etc/default/prometheus* /etc/systemd/system/*.d/* 2>/dev/null; " +
      "for u in prometheus-postgres-exporter prometheus-redis-exporter; do " +
      "grep -q -a -F -f /root/prom-pw /proc/$(systemctl show -p MainPID --value $u)/environ && echo \"$u's environment\"; done; rm -f /root/prom-pw; }");
    assert.equal(found, "prometheus-postgres-exporter's environment\nprometheus-redis-exporter's environment\n");
  });

  test("a second run changes nothing and an audit (--check --diff) reports nothing", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    assert.ok(s, "the converge test ran");
    const again = await converge(s);
    assert.equal(again.exitCode, 0, explain(again));
    assert.equal(total(again.recap, "changed"), 0, explain(again));
    const audit = await converge(s, "--check", "--diff");
    assert.equal(audit.exitCode, 0, explain(audit));
    assert.equal(total(audit.recap, "changed"), 0, explain(audit));
    assert.equal(total(audit.recap, "unknown"), 0, explain(audit));
  });

  test("ansible-playbook 2.14 runs the same roles on the converged hosts and changes nothing either", async (t) => {
    const l = await lab.use(t);
    if (!l || !ansibleAvailable(t)) return;
    assert.ok(s, "the converge test ran");
    for (const mode of [{}, { check: true, diff: true }]) {
      const run = await runAnsiblePlaybook(s.playbook, { inventory: s.inventory, knownHostsPath: l.knownHostsPath, args: ["--vault-password-file", s.passwordFile], env, ...mode });
      const shown = `${JSON.stringify(mode)}: exit ${run.exitCode}\n${run.stderr}\n${JSON.stringify(run.stats)}`;
      assert.equal(run.exitCode, 0, shown);
      const changed = run.tasks.flatMap((task) => Object.entries(task.hosts).filter(([, r]) => r.changed === true).map(([host]) => `${host}: ${task.name}`));
      assert.deepEqual(changed, [], shown);
      for (const password of [PG_PASSWORD, REDIS_PASSWORD]) assert.ok(!run.stdout.includes(password), "a password is in ansible-playbook's output");
    }
  });

  test("the alert rules fire on the roles' metrics: a certificate within the threshold, a backup older than it", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    assert.ok(s, "the converge test ran");
    const [monitoring, db] = l.hosts;
    assert.ok(monitoring && db);
    // The backup role's metric as it writes it into the textfile directory: an app last backed up 27 hours ago.
    await rootShell(l, db.name)("printf 'backup_last_success_timestamp_seconds{app=\"demo\"} %s\\n' $(( $(date +%s) - 27 * 3600 )) > /var/lib/prometheus/node-exporter/backup-demo.prom");
    // The 40-day certificate is within a 60-day threshold.
    const run = await converge(s, "-e", "prometheus_alert_certificate_days=60");
    assert.equal(run.exitCode, 0, explain(run));
    const firing = (d: { alerts: Alert[] }): string[] =>
      d.alerts.filter((a) => a.state === "firing").map((a) => `${a.labels["alertname"] ?? ""} ${a.labels["host"] ?? ""} ${a.labels["path"] ?? a.labels["app"] ?? ""}`).sort();
    const expected = [`BackupTooOld ${db.name} demo`, `CertificateExpiring ${db.name} ${CERT}`, `CertificateExpiring ${monitoring.name} ${CERT}`].sort();
    await eventually("the three alerts firing", () => api<{ alerts: Alert[] }>(l, "/api/v1/alerts"), (d) => JSON.stringify(firing(d)) === JSON.stringify(expected));
  });
});
