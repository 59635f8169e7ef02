/**
 * Issue 18: the app, backup and monitoring roles deploy a Django app with PostgreSQL and Redis (the Noctis stand-in,
 * apps/noctis-standin) beside the tls, nginx and common roles (test/fixtures/django-app/site.yml). rems-play on one
 * lab host and ansible-playbook 2.14 on its twin, at the same time: both converge with the same task statuses; the
 * app answers over HTTPS through nginx with its studies, /health and /metrics; the superuser made from a vault
 * variable logs in, and no secret is in any output or in the host's journal; a second run and --check --diff change
 * nothing under either tool; the PostgreSQL backup (dump and media) is made, verified by a restore into a scratch
 * database, restore-tested by playbooks/backup-test.yml, and its time written for node-exporter's textfile collector
 * once that directory exists; the health check sees Redis go away. The tests of this file run in order.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { rootShell, sharedLab, type Lab, type LabHost } from "../../helpers/lab.js";
import { ansibleAvailable } from "../../helpers/ansible-playbook.js";
import { assertSameStatuses, runTwinPlaybook, type ParityRun, type TwinOptions, type TwinRuns } from "../../helpers/parity.js";
import { repoRoot, runCli, runRemsPlay, total } from "../../helpers/rems-play.js";
import { changedTasks, curlVia, succeeded } from "../../helpers/site-host.js";

const fixture = join(repoRoot, "test/fixtures/django-app");
const playbook = join(fixture, "site.yml");
const lab = sharedLab("dj", 2);
/** rems-play's exclusive sets, off in vars.yml for ansible-playbook's sake, are on for rems-play (their defaults). */
const REMS_ONLY = ["-e", JSON.stringify({ app_exclusive: true, backup_cron_exclusive: true, nginx_sites_exclusive: true })];
const MANAGE = "systemd-run --quiet --wait --pipe --collect --uid=noctis --gid=noctis --working-directory=/opt/noctis --property=EnvironmentFile=/opt/noctis/.env /usr/bin/python3 manage.py";

/** The nginx role's tasks of its exclusive set of sites (REMS_ONLY): they run under rems-play only. */
const EXCLUSIVE_ONLY = ["among the sites rems-play enables", "sites-enabled holds the sites of"];

/**
 * RUN's rows as both tools can have them: without the rems-play-only tasks of EXCLUSIVE_ONLY, and with each host's
 * name in a task's name (the tls role's, from server_name) read as HOST.
 */
function comparable(run: ParityRun): ParityRun {
  const hosts = Object.fromEntries(
    Object.entries(run.hosts).map(([host, rows]) => [
      host,
      rows
        .filter((row) => !EXCLUSIVE_ONLY.some((part) => row.task.includes(part)))
        .map((row) => ({ ...row, task: row.task.replaceAll(host, "HOST") })),
    ]),
  );
  return { ...run, hosts };
}

interface Site {
  lab: Lab;
  rems: LabHost;
  ansible: LabHost;
  dir: string;
  secrets: { noctis_db_password: string; noctis_redis_password: string; noctis_admin_password: string };
  /** Both tools' options: the vaulted secrets, the roles. */
  options: TwinOptions;
  /** Every output of every run so far, searched for the secrets at the end. */
  outputs: string[];
}

let site: Promise<Site | undefined> | undefined;

/** The lab, and the secrets in a vault file (encrypted by rems-play, read by both tools). */
async function setUp(t: TestContext): Promise<Site | undefined> {
  if (!ansibleAvailable(t)) return undefined;
  const l = await lab.use(t);
  if (!l) return undefined;
  const [rems, ansible] = l.hosts;
  assert.ok(rems && ansible, "the lab booted two hosts");
  const dir = mkdtempSync(join(tmpdir(), "rems-django-"));
  const hex = (): string => randomBytes(32).toString("hex");
  const secrets = { noctis_db_password: hex(), noctis_redis_password: hex(), noctis_admin_password: hex() };
  const secretsFile = join(dir, "secrets.yml");
  const passwordFile = join(dir, "vault-password");
  writeFileSync(secretsFile, Object.entries(secrets).map(([name, value]) => `${name}: "${value}"\n`).join(""));
  writeFileSync(passwordFile, hex(), { mode: 0o600 });
  const encrypted = runCli(["vault", "encrypt", secretsFile, "--vault-password-file", passwordFile]);
  assert.equal(encrypted.status, 0, encrypted.stderr);
  const options: TwinOptions = {
    args: ["-e", `@${secretsFile}`, "--vault-password-file", passwordFile],
    remsArgs: REMS_ONLY,
    env: { ANSIBLE_ROLES_PATH: join(repoRoot, "roles") },
    ansibleTimeoutMs: 30 * 60_000,
  };
  return { lab: l, rems, ansible, dir, secrets, options, outputs: [] };
}

async function use(t: TestContext): Promise<Site | undefined> {
  site ??= setUp(t);
  return site;
}

/** The playbook with both tools at once, rems-play on one twin and ansible-playbook on the other. */
async function twins(s: Site, extra: TwinOptions = {}): Promise<TwinRuns> {
  const runs = await runTwinPlaybook(s.lab, { rems: [s.rems], ansible: [s.ansible] }, playbook, s.dir, { ...s.options, ...extra });
  s.outputs.push(runs.remsRun.stdout, runs.remsRun.stderr, runs.ansibleRun.stdout, runs.ansibleRun.stderr);
  succeeded(runs.remsRun);
  assert.equal(runs.ansibleRun.exitCode, 0, `${runs.ansibleRun.stderr}\n${runs.ansibleRun.stdout.slice(-4000)}`);
  return runs;
}

describe("a Django app with PostgreSQL and Redis, deployed by the roles", () => {
  test("converges under rems-play and ansible-playbook alike, and answers over HTTPS through nginx", async (t) => {
    const s = await use(t);
    if (!s) return;
    const runs = await twins(s);
    assertSameStatuses(comparable(runs.rems), comparable(runs.ansible));
    assert.ok(total(runs.remsRun.recap, "changed") >= 25, `only ${total(runs.remsRun.recap, "changed")} changes`);

    for (const host of [s.rems, s.ansible]) {
      const sh = rootShell(s.lab, host.name);
      assert.match(await sh(curlVia(host.name, "/health")), /"status": "ok", "database": "ok", "redis": "ok"[\s\S]* 200$/);
      // collectstatic's files, served by nginx itself with the security headers.
      const css = await sh(`curl --silent --insecure --include --resolve ${host.name}:443:127.0.0.1 https://${host.name}/static/studies/style.css`);
      assert.match(css, /^HTTP\/\S+ 200/);
      assert.match(css, /^content-security-policy: default-src 'self'/im);
      // The /health request above, counted (over all workers: the multiprocess directory).
      assert.match(await sh("curl -fsS http://127.0.0.1:8000/metrics"), /^django_http_responses_total_by_status_view_method_total\{method="GET",status="200",view="health"\} [1-9]/m);
      assert.equal(
        await sh("stat -c '%n %U %a' /opt/noctis/.env /opt/noctis/static /opt/noctis/instance/media /opt/noctis/instance/prometheus"),
        "/opt/noctis/.env root 600\n/opt/noctis/static noctis 755\n/opt/noctis/instance/media noctis 750\n/opt/noctis/instance/prometheus noctis 750\n",
      );
      assert.match(await sh("systemctl show -p After noctis.service"), /postgresql\.service/);
      assert.equal(await sh(`${MANAGE} showmigrations --plan | grep -c '^\\[ \\]' || true`), "0\n", "every migration is applied");
      assert.equal(await sh("/usr/local/sbin/noctis-health-check; echo $?"), "0\n");
    }
  });

  test("studies added by the app's commands are listed through nginx, and the superuser logs in", async (t) => {
    const s = await use(t);
    if (!s) return;
    const sh = rootShell(s.lab, s.rems.name);
    assert.match(await sh(`${MANAGE} sample_dicom && ${MANAGE} import_studies`), /studies: 3 added/);
    const list = await sh(curlVia(s.rems.name, "/"));
    for (const patient of ["DOE^JANE", "ROE^RICHARD", "MUSTERMANN^ERIKA"]) assert.ok(list.includes(`<td>${patient}</td>`), `${patient} is not listed:\n${list}`);
    assert.match(list, / 200$/);

    // Django's admin login through nginx, from the controller: the password on curl's stdin.
    const address = s.rems.address;
    const base = `https://${s.rems.name}`;
    const jar = join(s.dir, "cookies");
    const curl = (args: string[], input = ""): string =>
      execFileSync("curl", ["--silent", "--insecure", "--max-time", "20", "--resolve", `${s.rems.name}:443:${address}`, "-b", jar, "-c", jar, ...args], { input, encoding: "utf8" });
    const form = curl([`${base}/admin/login/`]);
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form)?.[1];
    assert.ok(token, form.slice(0, 500));
    const login = (password: string): string =>
      curl(["--output", "/dev/null", "--write-out", "%{http_code} %{redirect_url}", "-H", `Referer: ${base}/admin/login/`,
        "--data-urlencode", `csrfmiddlewaretoken=${token}`, "--data-urlencode", "username=admin", "--data-urlencode", "password@-",
        `${base}/admin/login/?next=/admin/`], password);
    assert.equal(login("not the password"), "200 ");
    assert.match(login(s.secrets.noctis_admin_password), /^302 https:\/\/[^/]+\/admin\/$/);
  });

  test("a second run changes nothing under either tool, nor does --check --diff", async (t) => {
    const s = await use(t);
    if (!s) return;
    const again = await twins(s);
    assert.deepEqual(changedTasks(again.remsRun), []);
    assert.equal(total(again.remsRun.recap, "changed"), 0);
    assert.equal(again.ansibleRun.stats[s.ansible.name]?.changed, 0, JSON.stringify(again.ansibleRun.stats));

    const audit = await twins(s, { check: true, diff: true });
    assert.deepEqual(changedTasks(audit.remsRun), []);
    assert.deepEqual(audit.remsRun.results.filter((r) => r.status === "unknown").map((r) => r.task), [], "unknown in the audit");
    assert.equal(audit.ansibleRun.stats[s.ansible.name]?.changed, 0, JSON.stringify(audit.ansibleRun.stats));
  });

  test("the backup dumps the database and the media, verifies by a restore, and tells node-exporter when", async (t) => {
    const s = await use(t);
    if (!s) return;
    const sh = rootShell(s.lab, s.rems.name);
    const textfile = "/var/lib/prometheus/node-exporter";
    // Without node-exporter's directory nothing is written there; with it, the time of the last success.
    assert.equal(await sh(`/opt/backups/noctis-backup.sh && ls ${textfile} 2>&1 || true`), `ls: cannot access '${textfile}': No such file or directory\n`);
    const before = Math.floor(Date.now() / 1000) - 60;
    await sh(`mkdir -p ${textfile} && /opt/backups/noctis-backup.sh`);
    assert.equal(await sh(`ls -A ${textfile}; stat -c %a ${textfile}/backup-noctis.prom`), "backup-noctis.prom\n644\n");
    const stamp = /^backup_last_success_timestamp_seconds\{app="noctis"\} (\d+)$/m.exec(await sh(`cat ${textfile}/backup-noctis.prom`));
    assert.ok(stamp?.[1] !== undefined && Number(stamp[1]) >= before, "the metric holds the backup's time");

    const latest = (await sh("ls -1d /opt/backups/noctis/daily/*/ | tail -n 1")).trim();
    assert.equal(await sh(`ls ${latest}; stat -c %a ${latest}noctis.dump`), "application.tar.gz\nmedia.tar.gz\nnoctis.dump\n600\n");
    assert.match(await sh(`tar -tzf ${latest}media.tar.gz`), /^media\/dicom\/\S+\.dcm$/m);
    assert.equal(await sh(`tar -tzf ${latest}application.tar.gz | grep -c -e '^noctis/instance/' -e '^noctis/static/' || true`), "0\n");

    await sh("/opt/backups/noctis-verify-backup.sh");
    const log = await sh("tail -n 3 /var/log/noctis-backup.log");
    assert.match(log, /Database backup verified \(restored into noctis_restore_test\)/);
    assert.match(log, /Media backup verified/);
    assert.equal(await sh("cd / && runuser -u postgres -- psql -X -A -t -c \"SELECT count(*) FROM pg_database WHERE datname = 'noctis_restore_test'\""), "0\n");

    // The monthly restore test: the dump restored into the scratch database, its studies counted.
    const inventory = join(s.dir, "rems-inventory.yml");
    const tested = await runRemsPlay([join(repoRoot, "playbooks/backup-test.yml"), "-i", inventory, "-e", `@${join(fixture, "vars.yml")}`, ...(s.options.args ?? [])]);
    s.outputs.push(tested.stdout, tested.stderr);
    succeeded(tested);
    const shown = JSON.stringify(tested.results.map((r) => r.msg ?? ""));
    assert.match(shown, /pg_restore: ok/);
    assert.match(shown, /studies_study: 3/);
  });

  test("the health check finds Redis gone, and no secret is in any output or in the host's journal", async (t) => {
    const s = await use(t);
    if (!s) return;
    const sh = rootShell(s.lab, s.rems.name);
    await sh("systemctl stop redis-server");
    try {
      assert.equal(await sh("/usr/local/sbin/noctis-health-check > /tmp/health.out; echo $?"), "1\n");
      assert.match(await sh("cat /tmp/health.out"), /ERROR - Redis at 127\.0\.0\.1:6379 does not answer PING/);
    } finally {
      await sh("systemctl start redis-server");
    }
    assert.equal(await sh("stat -c '%U %a' /etc/noctis-health-redis.pass"), "root 600\n");

    const journal = await sh("journalctl --no-pager -o cat");
    for (const [name, secret] of Object.entries(s.secrets)) {
      assert.ok(!journal.includes(secret), `${name} is in the host's journal`);
      s.outputs.forEach((output, i) => assert.ok(!output.includes(secret), `${name} is in output ${i}`));
    }
  });
});
