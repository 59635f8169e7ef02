/**
 * Issue 15's acceptance on a lab host. The README's route, followed as a user would: `cp inventory/production.yml`,
 * the copy edited (host, name, the CA's certificate files, the code, the secret) and deployed: the host gets the
 * site's certificate and name, not a self-signed certificate for its host name. A value in the inventory wins over
 * REMS's defaults and -e over it, on the host. An app that does not meet the app contract fails the deploy with a
 * message naming the variable, and the backups never back up a database they created themselves.
 * The tests of this file run in order on one lab host.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { rootShell, sharedLab, type Lab } from "../../helpers/lab.js";
import { repoRoot, runCli, runRemsPlay, type RemsPlayRun } from "../../helpers/rems-play.js";
import { vaultFixture } from "../../helpers/vault.js";

const site = join(repoRoot, "playbooks/site.yml");
const backupNow = join(repoRoot, "playbooks/backup-now.yml");
const SERVER_NAME = "rems.layering.test";
const lab = sharedLab("lay", 1);
/** The user's vault password file (the README's ~/.rems-vault-pass). */
const passwordFile = vaultFixture("test-password.txt");

interface Site {
  lab: Lab;
  host: string;
  /** The copied inventory. */
  inventory: string;
  dir: string;
  /** stdout of COMMAND run as root on the host; fails the test when it exits non-zero. */
  sh(command: string): Promise<string>;
  play(playbook: string, ...extra: string[]): Promise<RemsPlayRun>;
}

let prepared: Site | undefined;

/** A CA and a certificate it issued for SERVER_NAME, as IT would hand them over: [ca.crt, site.crt, site.key]. */
function certificates(dir: string): [string, string, string] {
  const openssl = (...args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Layering Test CA", "-keyout", "ca.key", "-out", "ca.crt");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${SERVER_NAME}`, "-keyout", "site.key", "-out", "site.csr");
  writeFileSync(join(dir, "san.ext"), `subjectAltName=DNS:${SERVER_NAME}\n`);
  openssl("x509", "-req", "-in", "site.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30", "-extfile", "san.ext", "-out", "site.crt");
  return [join(dir, "ca.crt"), join(dir, "site.crt"), join(dir, "site.key")];
}

/** Replaces the line of TEXT that sets KEY (`KEY: ...`), keeping its indentation. */
function setLine(text: string, key: string, replacement: string): string {
  const pattern = new RegExp(`^( *)${key}:.*$`, "m");
  assert.match(text, pattern, `the inventory has a ${key} line`);
  return text.replace(pattern, (_line, indent: string) => replacement.split("\n").map((l) => indent + l).join("\n"));
}

async function prepare(t: Parameters<typeof lab.use>[0]): Promise<Site | undefined> {
  const booted = await lab.use(t);
  if (!booted) return undefined;
  if (prepared) return prepared;
  const first = booted.hosts[0];
  assert.ok(first, "the lab booted a host");
  const dir = mkdtempSync(join(tmpdir(), "rems-layering-"));
  const [, certificate, key] = certificates(dir);
  // The README: keep the key encrypted on the controller.
  assert.equal(runCli(["vault", "encrypt", key, "--vault-password-file", passwordFile]).status, 0);
  // The real code stands where the site keeps its releases (here the stand-in, copied).
  const code = join(dir, "releases/rems/current");
  cpSync(join(repoRoot, "apps/rems-standin"), code, { recursive: true });
  const secret = runCli(["vault", "encrypt_string", "--stdin-name", "app_secret_key", "--vault-password-file", passwordFile], { input: "layering-test-secret-key-0123456789" });
  assert.equal(secret.status, 0, secret.stderr);

  const inventory = join(dir, "my-site.yml");
  let text = readFileSync(join(repoRoot, "inventory/production.yml"), "utf8");
  text = setLine(text, "ansible_host", `ansible_host: ${first.address}`);
  text = setLine(text, "ansible_user", `ansible_user: root\nansible_ssh_private_key_file: ${booted.keyPath}\nrems_known_hosts_file: ${booted.knownHostsPath}`);
  text = setLine(text, "server_name", `server_name: ${SERVER_NAME}`);
  text = setLine(text, "tls_internal_ca_certificate_src", `tls_internal_ca_certificate_src: ${certificate}`);
  text = setLine(text, "tls_internal_ca_key_src", `tls_internal_ca_key_src: ${key}`);
  text = setLine(text, "app_src", `app_src: ${code}/`);
  // The lab has Debian's mirror and no wheelhouse: the Python dependencies come from Debian packages.
  text = setLine(text, "app_python_deps", "app_python_deps: debian");
  text = setLine(text, "app_wheelhouse_src", "");
  const vaulted = secret.stdout.trimEnd().split("\n");
  text = text.replace(/^( *)app_secret_key: !vault \|\n(?:\1  +.*\n)+/m, (_all, indent: string) => `${indent}${vaulted.join(`\n${indent}`)}\n`);
  writeFileSync(inventory, text);

  prepared = {
    lab: booted,
    host: "rems01",
    inventory,
    dir,
    sh: rootShell(booted, first.name),
    play: (playbook, ...extra) => runRemsPlay([playbook, "-i", inventory, ...extra], { env: { ANSIBLE_VAULT_PASSWORD_FILE: passwordFile } }),
  };
  return prepared;
}

function succeeded(run: RemsPlayRun): void {
  const failed = run.results.filter((r) => r.status === "failed" || r.status === "unreachable");
  assert.equal(run.exitCode, 0, `${run.stderr}\n${JSON.stringify(failed, null, 1)}`);
}

/** The errors of the run's failed results. */
function failures(run: RemsPlayRun): string[] {
  return run.results.filter((r) => r.status === "failed").map((r) => r.error?.message ?? "");
}

/** The message of the run's last failure: the deploy's verdict. */
function verdict(run: RemsPlayRun): string {
  assert.equal(run.exitCode, 2, `the deploy fails\n${run.stderr}`);
  return failures(run).at(-1) ?? "";
}

/** GET through the host's own nginx with the site's name, from the host itself: "CODE BODY". */
const curlSite = (path: string): string => `curl --silent --insecure --max-time 10 --resolve ${SERVER_NAME}:443:127.0.0.1 --write-out ' %{http_code}' https://${SERVER_NAME}${path}`;

/** The TCP ports gunicorn listens on. */
const GUNICORN_PORTS = "ss -ltnpH | grep gunicorn | awk '{print $4}' | sed 's/.*://' | sort -u";

describe("the README's copy-an-inventory route and the app contract on a lab host", () => {
  test("cp inventory/production.yml, edited as the README says, deploys with the site's name, certificate, code and secret", async (t) => {
    const s = await prepare(t);
    if (!s) return;
    const listed = runCli([site, "-i", s.inventory, "--list-hosts", "--vault-password-file", passwordFile]);
    assert.match(listed.stdout, /rems01/);
    const deploy = await s.play(site);
    succeeded(deploy);
    // The CA's certificate, installed as given (not a self-signed one for the host name), for the site's name.
    const given = readFileSync(join(s.dir, "site.crt"), "utf8");
    assert.equal(await s.sh("cat /etc/ssl/rems/rems.crt"), given);
    assert.match(await s.sh("openssl x509 -noout -issuer -subject -in /etc/ssl/rems/rems.crt"), new RegExp(`issuer=CN ?= ?Layering Test CA\nsubject=CN ?= ?${SERVER_NAME.replaceAll(".", "\\.")}`));
    assert.match(await s.sh(`grep -c 'server_name ${SERVER_NAME};' /etc/nginx/sites-available/rems`), /^[1-9]/);
    assert.match(await s.sh(curlSite("/health")), /"status":"ok"[\s\S]* 200$/);
    assert.match(await s.sh("grep -c '^SECRET_KEY=layering-test-secret-key-0123456789$' /opt/rems/.env"), /^1$/m);
    assert.ok(!deploy.stdout.includes("layering-test-secret-key"), "the secret was printed");
  });

  test("app_port in the inventory wins over REMS's 5000 on the host, and -e wins over the inventory", async (t) => {
    const s = await prepare(t);
    if (!s) return;
    const original = readFileSync(s.inventory, "utf8");
    try {
      writeFileSync(s.inventory, setLine(original, "server_name", `server_name: ${SERVER_NAME}\napp_port: 5055`));
      succeeded(await s.play(site));
      assert.equal(await s.sh(GUNICORN_PORTS), "5055\n");
      assert.match(await s.sh(curlSite("/health")), / 200$/);

      succeeded(await s.play(site, "-e", "app_port=5066"));
      assert.equal(await s.sh(GUNICORN_PORTS), "5066\n");
      assert.match(await s.sh(curlSite("/health")), / 200$/);
    } finally {
      writeFileSync(s.inventory, original);
    }
    succeeded(await s.play(site));
    assert.equal(await s.sh(GUNICORN_PORTS), "5000\n");
  });

  test("an app_db_path that does not exist fails the deploy naming it, and no backup creates it", async (t) => {
    const s = await prepare(t);
    if (!s) return;
    const missing = "/opt/rems/instance/missing.db";
    const run = await s.play(site, "-e", `app_db_path=${missing}`);
    assert.match(verdict(run), /App contract \(docs\/your-own-app\.md\), app_db_path: \/opt\/rems\/instance\/missing\.db does not exist/);
    // The backup script the failed deploy installed refuses, and says why.
    const backup = await s.lab.ssh(s.lab.hosts[0]?.name ?? "", "/opt/backups/rems-backup.sh");
    assert.equal(backup.code, 1);
    assert.match(await s.sh("tail -n 1 /var/log/rems-backup.log"), /ERROR - the database \/opt\/rems\/instance\/missing\.db \(app_db_path\) does not exist: nothing backed up/);
    const now = await s.play(backupNow, "-e", `app_db_path=${missing}`);
    assert.equal(now.exitCode, 2);
    assert.match(failures(now).join("\n"), /database \/opt\/rems\/instance\/missing\.db does not exist/);
    assert.equal(await s.sh(`ls ${missing} 2>&1 || true`), `ls: cannot access '${missing}': No such file or directory\n`);
  });

  test("a health URL that answers 404, a failing monitoring_db_query and a missing table each fail the deploy naming it", async (t) => {
    const s = await prepare(t);
    if (!s) return;
    const health = await s.play(site, "-e", "app_health_url=http://127.0.0.1:5000/missing");
    assert.match(verdict(health), /App contract \(docs\/your-own-app\.md\), app_health_url: http:\/\/127\.0\.0\.1:5000\/missing does not answer 200 \([^)]*404/);
    assert.deepEqual(Object.values(health.recap).map((r) => [r.failed, r.rescued]), [[1, 1]]);

    const query = await s.play(site, "-e", "monitoring_db_query='SELECT COUNT(*) FROM samples;'");
    assert.match(verdict(query), /App contract \(docs\/your-own-app\.md\), monitoring_db_query: 'SELECT COUNT\(\*\) FROM samples;' fails on app_db_path \/opt\/rems\/instance\/physdb\.db: .*no such table: samples/);

    const tables = await s.play(site, "-e", '{"backup_test_tables": ["equipment", "samples"]}');
    assert.match(verdict(tables), /App contract \(docs\/your-own-app\.md\), backup_test_tables: samples not in app_db_path \/opt\/rems\/instance\/physdb\.db \(its tables: equipment, compliance_tests\)/);

    // Met again, the deploy succeeds and the backup works.
    succeeded(await s.play(site));
    await s.sh("/opt/backups/rems-backup.sh && /opt/backups/rems-verify-backup.sh");
  });
});
