/**
 * Issue 18: the postgresql and redis roles on a database host that serves an app host, the app host's address the
 * only client. lab1 is the database host of rems-play, lab2 its twin for ansible-playbook (Ansible as the oracle:
 * the same role, the same statuses, the same end state), lab3 the app host. From the app host psql and redis-cli
 * get in with the password, and without it, or without TLS, they do not; from the database host's own address
 * PostgreSQL refuses a TCP login (an address not in the list). A second run changes nothing, an audit finds
 * nothing, the passwords appear in no output of either tool, and what the servers refuse (a pg_hba.conf, a port,
 * a memory size) never goes live.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { quote } from "../../../engine/command.js";
import { ansibleAvailable } from "../../helpers/ansible-playbook.js";
import { rootShell, sharedLab, type Lab } from "../../helpers/lab.js";
import { explain } from "../../helpers/module-ladder.js";
import { assertSameStatuses, onTwins, PLAYBOOK, runTwins, twinInventory, type ParityRun, type TwinRuns } from "../../helpers/parity.js";
import { repoRoot, runCli, runRemsPlay, total } from "../../helpers/rems-play.js";

const lab = sharedLab("pgr", 3);
// rems-play finds its own roles; ansible-playbook is told where they are.
const env = { ANSIBLE_ROLES_PATH: join(repoRoot, "roles") };

// Each password holds what a config file or a shell could trip on; its first word is searched for in the output,
// where JSON would show the rest escaped.
const PG_PASSWORD = `pgPw-7Hq2 "x\\y' $z#`;
const REDIS_PASSWORD = `rdPw-4Kd8 "x\\y' $z#`;
const SECRET_MARKS = ["pgPw-7Hq2", "rdPw-4Kd8"];

const PLAY = `- hosts: all
  gather_facts: false
  roles: [postgresql, redis]
`;

/** The database host's variables: the app host's address APP the only client, then CHANGES. */
function hostVars(app: string, changes: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    postgresql_db_name: "appdb",
    postgresql_db_owner: "appuser",
    postgresql_db_password: PG_PASSWORD,
    postgresql_listen_addresses: ["localhost", "{{ ansible_host }}"],
    postgresql_client_addresses: [app],
    redis_password: REDIS_PASSWORD,
    redis_bind: ["127.0.0.1", "-::1", "{{ ansible_host }}"],
    ...changes,
  };
}

/** A run's rows as they compare between twins: the host's own ADDRESS in a task's name (listen_addresses) written SELF. */
function comparable(run: ParityRun, address: string): ParityRun {
  const hosts = Object.fromEntries(Object.entries(run.hosts).map(([host, rows]) => [
    host,
    rows.map((row) => ({ ...row, task: row.task.replaceAll(address, "SELF") })),
  ]));
  return { ...run, hosts };
}

function assertNoSecret(where: string, text: string): void {
  for (const mark of SECRET_MARKS) assert.ok(!text.includes(mark), `${where} shows a password (${mark}...)`);
}

/** What a database host holds, its own address written SELF so that twins compare. */
function endState(): string {
  const psql = "(cd / && runuser -u postgres -- psql -X -q -A -t -d postgres)";
  return [
    "self=$(hostname -I | cut -d' ' -f1);",
    "{ cat /etc/postgresql/15/main/pg_hba.conf /etc/postgresql/15/main/conf.d/rems-play.conf; tail -n 1 /etc/redis/redis.conf;",
    "grep -v requirepass /etc/redis/rems-play.conf; stat -c '%n %U:%G %a' /etc/redis/rems-play.conf /etc/postgresql/15/main/pg_hba.conf;",
    `echo "SELECT datname, pg_get_userbyid(datdba), pg_encoding_to_char(encoding), datcollate, datacl FROM pg_database WHERE datname = 'appdb'" | ${psql};`,
    `echo "SELECT rolname, rolsuper, rolcreatedb, left(rolpassword, 14) FROM pg_authid WHERE rolname = 'appuser'" | ${psql};`,
    "systemctl is-active postgresql@15-main redis-server; } | sed \"s/$self/SELF/g\"",
  ].join(" ");
}

/** A psql login from the app host to HOST as the owner; PGPASSWORD and more libpq variables in VARS. */
function psqlFrom(vars: string, host: string): string {
  return `${vars} psql -X -A -t -w -h ${host} -U appuser -d appdb -c "SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" 2>&1; echo "exit $?"`;
}

async function converge(l: Lab, app: string): Promise<TwinRuns> {
  const runs = await runTwins(l, { files: { [PLAYBOOK]: PLAY }, hostVars: hostVars(app), env, ansibleTimeoutMs: 20 * 60_000 });
  assert.equal(runs.remsRun.exitCode, 0, explain(runs.remsRun));
  assert.equal(runs.ansibleRun.exitCode, 0, runs.ansibleRun.stderr + runs.ansibleRun.stdout.slice(-3000));
  return runs;
}

describe("the postgresql and redis roles: a database host that serves an app host", () => {
  test("converge, re-run and audit under rems-play and ansible-playbook; only the app host gets in, with the passwords", async (t) => {
    if (!ansibleAvailable(t)) return;
    const l = await lab.use(t);
    if (!l) return;
    const [db, twin, appHost] = l.hosts;
    assert.ok(db && twin && appHost, "three lab hosts");
    const app = rootShell(l, appHost.name);
    const [first] = await Promise.all([
      converge(l, appHost.address),
      app("DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client redis-tools > /dev/null"),
    ]);
    t.after(() => rmSync(first.dir, { recursive: true, force: true }));
    t.diagnostic(`converge: ansible-playbook ${Math.round(first.ansibleMs)} ms, rems-play ${Math.round(first.remsMs)} ms`);
    assertSameStatuses(comparable(first.rems, db.address), comparable(first.ansible, twin.address));
    const [ours, theirs] = await onTwins(l, endState());
    assert.equal(ours, theirs, "both tools leave the same end state");
    assert.match(ours, new RegExp(`hostssl  "appdb"  "appuser"  ${appHost.address.replaceAll(".", "\\.")}/32  scram-sha-256\n`));
    assert.match(ours, /^listen_addresses = 'localhost,SELF'$/m);
    assert.match(ours, /^include \/etc\/redis\/rems-play\.conf\n/m);
    assert.match(ours, /^\/etc\/redis\/rems-play\.conf root:redis 640$/m, "the file with Redis's password is not world-readable");
    assert.match(ours, /^appdb\|appuser\|UTF8\|C\.UTF-8\|\{=T\/appuser,appuser=CTc\/appuser\}$/m, "PUBLIC keeps TEMPORARY only");
    assert.match(ours, /^appuser\|f\|f\|SCRAM-SHA-256\$$/m);

    // The second run: rems-play changes nothing. Ansible's postgresql_privs reports every change for PUBLIC as
    // changed, even one already made (its documentation says so), and nothing else.
    const second = await runTwins(l, { files: { [PLAYBOOK]: PLAY }, hostVars: hostVars(appHost.address), env, ansibleTimeoutMs: 20 * 60_000 });
    t.after(() => rmSync(second.dir, { recursive: true, force: true }));
    assert.equal(second.remsRun.exitCode, 0, explain(second.remsRun));
    assert.equal(total(second.remsRun.recap, "changed"), 0, explain(second.remsRun));
    const ansibleChanged = Object.values(second.ansible.hosts).flat().filter((row) => row.status === "changed").map((row) => row.task);
    assert.deepEqual(ansibleChanged, ["postgresql : PostgreSQL · other roles may not connect to appdb (CONNECT revoked from PUBLIC)"]);

    // The audit of the converged host: nothing would change, in the JSON events and on a plain terminal.
    const inventory = join(second.dir, "rems-inventory.yml");
    const playbook = join(second.dir, PLAYBOOK);
    const audit = await runRemsPlay([playbook, "-i", inventory, "--check", "--diff"]);
    assert.equal(audit.exitCode, 0, explain(audit));
    assert.equal(total(audit.recap, "changed"), 0, explain(audit));
    const plain = runCli([playbook, "-i", inventory, "--check", "--diff", "-v"], { timeoutMs: 10 * 60_000 });
    assert.equal(plain.status, 0, plain.stderr + plain.stdout);
    assert.match(plain.stdout, /changed=0/);

    for (const [where, text] of [
      ["rems-play's converge", first.remsRun.stdout + first.remsRun.stderr],
      ["rems-play's re-run", second.remsRun.stdout + second.remsRun.stderr],
      ["rems-play's audit (--json)", audit.stdout + audit.stderr],
      ["rems-play's audit (-v, plain)", plain.stdout + plain.stderr],
      ["ansible-playbook's converge", first.ansibleRun.stdout + first.ansibleRun.stderr],
      ["ansible-playbook's re-run", second.ansibleRun.stdout + second.ansibleRun.stderr],
    ] as const) assertNoSecret(where, text);

    // From the app host: in with the password (over TLS) on both database hosts; not without it, nor without TLS.
    const withPassword = `PGPASSWORD=${quote(PG_PASSWORD)}`;
    for (const host of [db, twin]) {
      assert.equal(await app(psqlFrom(withPassword, host.address)), "appuser|t\nexit 0\n", `psql from the app host to ${host.name}`);
      assert.match(await app(psqlFrom("", host.address)), /fe_sendauth: no password supplied\nexit 2\n$/);
      assert.match(await app(psqlFrom(`${withPassword} PGSSLMODE=disable`, host.address)), new RegExp(`no pg_hba\\.conf entry for host "${appHost.address.replaceAll(".", "\\.")}", user "appuser", database "appdb", no encryption\nexit 2\n$`));
      assert.equal(await app(`REDISCLI_AUTH=${quote(REDIS_PASSWORD)} redis-cli -h ${host.address} ping`), "PONG\n");
      assert.match(await app(`redis-cli -h ${host.address} ping`), /^NOAUTH Authentication required\./);
    }
    // From the database host's own address, which is not in postgresql_client_addresses: refused, password or not.
    const own = await rootShell(l, db.name)(psqlFrom(withPassword, db.address));
    assert.match(own, new RegExp(`no pg_hba\\.conf entry for host "${db.address.replaceAll(".", "\\.")}", user "appuser", database "appdb"`));
  });

  test("what the servers refuse never goes live: a pg_hba.conf is put back before any reload, a port or a memory size is never written", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const [db, , appHost] = l.hosts;
    assert.ok(db && appHost, "three lab hosts");
    const dir = mkdtempSync(join(tmpdir(), "rems-pgr-refused-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const playbook = join(dir, PLAYBOOK);
    writeFileSync(playbook, PLAY);
    const inventory = join(dir, "inventory.yml");
    /** rems-play on the database host alone with CHANGES to its variables: the failed tasks with their messages. */
    const refused = async (changes: Record<string, unknown>): Promise<string> => {
      writeFileSync(inventory, twinInventory(l, [db], hostVars(appHost.address, changes)));
      const run = await runRemsPlay([playbook, "-i", inventory]);
      assert.notEqual(run.exitCode, 0, explain(run));
      assertNoSecret("rems-play's refused run", run.stdout + run.stderr);
      return run.results.filter((r) => r.status === "failed").map((r) => `${r.task}: ${r.error?.message ?? ""}`).join("\n");
    };
    const live = "sha256sum /etc/postgresql/15/main/pg_hba.conf /etc/postgresql/15/main/conf.d/rems-play.conf /etc/redis/rems-play.conf && systemctl is-active postgresql@15-main redis-server";
    const onDb = rootShell(l, db.name);
    const before = await onDb(live);

    const hba = await refused({ postgresql_client_addresses: [appHost.address, "10.0.0.300"] });
    assert.match(hba, /the server finds no error in the new pg_hba\.conf/);
    assert.match(hba, /stop here; the server keeps its previous pg_hba\.conf: .* It said: line \d+: .*"10\.0\.0\.300\/32"/);
    assert.equal(await onDb(live), before, "the previous pg_hba.conf is back");

    const port = await refused({ postgresql_port: 70000 });
    assert.match(port, /listen on localhost, .* port 70000 .*checked by the server first: .*70000 is outside the valid range for parameter "port"/);
    assert.equal(await onDb(live), before, "the refused port is not written");

    // The task is no_log (its file holds the password): it fails without saying why, and writes nothing.
    const memory = await refused({ redis_maxmemory: "256xb" });
    assert.match(memory, /the role's settings in \/etc\/redis\/rems-play\.conf/);
    assert.equal(await onDb(live), before, "the refused memory size is not written");

    assert.equal(await rootShell(l, appHost.name)(psqlFrom(`PGPASSWORD=${quote(PG_PASSWORD)}`, db.address)), "appuser|t\nexit 0\n");
  });
});
