/**
 * Published Galaxy roles run unchanged, with Ansible as the oracle (issue 14): each role item of ../shared/compat/
 * (third-party content, read where it is, never copied into the project) is applied by its own `site.yml` under
 * rems-play on one fresh lab host and under ansible-playbook 2.14 on its twin, both at once:
 *
 *  1. `--check`: rems-play does not fail and changes nothing on its host; its statuses equal Ansible's up to
 *     where Ansible's check mode stops (test/helpers/parity.ts, beforeAnsibleFailure, says why it stops).
 *  2. a run: the same status for every task (and loop item), both succeed.
 *  3. a second run: the same statuses again, and changed=0 for both.
 *  4. the end states are the same (test/helpers/end-state.ts): files under END_STATE_TREES (type, mode, owner,
 *     group, symlink target, content checksum) but EXCLUDED, installed packages, enabled and active units,
 *     listening sockets, users and groups; and what a role makes that no file shows (its `probe`: the firewall
 *     rules in force, redis's reply).
 *
 * The roles are the ROLES table: a role item is one row. The lab (two hosts per role) boots once for the file,
 * and the roles run at once, each on its own twins: the tools mostly wait on round trips to their hosts, so on
 * two cores the three roles took 3m10s-3m50s at once against about 6m30s one after the other (on a machine
 * loaded by other work, load average 15-20). The postgresql row alone took 6m20s (its first run installs PostgreSQL
 * and generates a locale: rems-play 135 s, ansible-playbook 179 s).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { TestContext } from "node:test";
import { ansibleAvailable } from "../../helpers/ansible-playbook.js";
import { assertSameEndState, endState, withoutUnits } from "../../helpers/end-state.js";
import type { EndState, Excluded } from "../../helpers/end-state.js";
import { available, sharedLab } from "../../helpers/lab.js";
import type { Lab, LabHost } from "../../helpers/lab.js";
import { assertSameStatuses, beforeAnsibleFailure, runTwinPlaybook } from "../../helpers/parity.js";
import type { TwinOptions, TwinRuns, Twins } from "../../helpers/parity.js";
import { repoRoot } from "../../helpers/rems-play.js";

/** Third-party content kept beside the project (its README names each item's source and licence). */
const COMPAT = join(repoRoot, "..", "shared", "compat");

/** A role item of COMPAT: its directory holds `site.yml`, which applies the role unmodified to `all`. */
interface RoleItem {
  name: string;
  /**
   * What the role makes that no file shows, as a command run on both twins after the runs: it must succeed with
   * the same, non-empty output on both.
   */
  probe?: { what: string; command: string };
  /** What differs between the twins after this role, whatever tool ran it, beside EXCLUDED. */
  excluded?: readonly Excluded[];
}

/**
 * The rems database (owner, encoding, collation) and the rems role (may log in, has a SCRAM password: the hash
 * itself is salted per host), read by psql as postgres on the host (from /, which postgres may enter).
 */
const PG_PROBE = [
  `cd / && runuser -u postgres -- psql -X -tA`,
  `-c "SELECT datname, pg_get_userbyid(datdba), pg_encoding_to_char(encoding), datcollate FROM pg_database WHERE datname = 'rems'"`,
  `-c "SELECT rolname, rolcanlogin, starts_with(rolpassword, 'SCRAM-SHA-256$') FROM pg_authid WHERE rolname = 'rems'"`,
].join(" ");

const ROLES: readonly RoleItem[] = [
  { name: "nginx" },
  { name: "firewall", probe: { what: "firewall rules in force", command: "iptables -S && ip6tables -S" } },
  { name: "redis", probe: { what: "reply of redis-cli ping", command: "redis-cli ping" } },
  {
    name: "postgresql",
    probe: { what: "database and user the postgresql role creates", command: PG_PROBE },
    excluded: [
      { path: "/etc/ssl/private/ssl-cert-snakeoil.key", why: "ssl-cert (which postgresql pulls in) makes each host its own snakeoil key" },
      { path: "/etc/ssl/certs/ssl-cert-snakeoil.pem", why: "and its own snakeoil certificate" },
      { path: "/etc/ssl/certs/*.0", why: "the certificates' hash-named links: the snakeoil certificate's is named after its own hash (the others come with the image)" },
    ],
  },
];

const END_STATE_TREES = ["/etc", "/srv", "/var/www", "/usr/local"];

/**
 * What legitimately differs between two fresh lab hosts, whatever ran on them, so is not compared. Everything else
 * under END_STATE_TREES is; logs and timestamps are outside it (/var/log) or not read (mtimes).
 */
const EXCLUDED: readonly Excluded[] = [
  { path: "/etc/ssh/ssh_host_*", why: "each host generates its own SSH host keys on first boot" },
  { path: "/etc/machine-id", why: "each host's systemd machine id is generated for it" },
  { path: "/etc/hostname", why: "the host's own name (lab1, lab2, ...)" },
  { path: "/etc/hosts", why: "maps the host's own name to 127.0.1.1" },
  { path: "/etc/shadow*", why: "the password hash of the lab's deploy-pw user has its own salt on each host (users are compared by name), and shadow- keeps the one before a role adds a user" },
];

/**
 * Run on every host before anything else. It prints the units that failed while the host booted: on a loaded
 * machine a boot unit of a container (systemd-remount-fs, systemd-update-utmp, systemd-user-sessions) can fail
 * or time out on one host and not on its twin, which is the lab's doing, not the role's; those units are left
 * out of the active units compared (and named in a diagnostic). Then it installs python3-apt, which Ansible's apt
 * module needs on the host: without it ansible-playbook --check fails at the first apt task ("python3-apt must
 * be installed to use check mode") and a real run installs it (with its dependencies) before its first apt task,
 * which would show as a package difference. So it is there on both twins, like python3, as on a host managed by
 * Ansible.
 */
const PREPARE = [
  "systemctl list-units --state=failed --plain --no-legend | awk '{print $1}'",
  "DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-apt >/dev/null",
].join(" && ");

const lab = sharedLab("cmp-roles", ROLES.length * 2);
let prepared: Promise<ReadonlySet<string>> | undefined;

/** Prepares every host of the lab; the units that failed while any of them booted. */
async function prepare(l: Lab): Promise<ReadonlySet<string>> {
  const failed = await Promise.all(l.hosts.map(async (host) => {
    const result = await l.ssh(host.name, PREPARE);
    if (result.code !== 0) throw new Error(`${host.name}: preparing it exited ${result.code}: ${result.stderr}`);
    return result.stdout.split("\n").filter((unit) => unit !== "");
  }));
  return new Set(failed.flat());
}

/** The twins of the role at INDEX in ROLES, prepared; undefined when the test was skipped. */
async function twinsOf(t: TestContext, index: number): Promise<{ lab: Lab; twins: Twins; pair: { rems: LabHost; ansible: LabHost }; bootFailed: ReadonlySet<string> } | undefined> {
  if (!available(t, existsSync(COMPAT) ? undefined : `the third-party content is not at ${COMPAT}`, "the Galaxy role differential test")) return undefined;
  if (!ansibleAvailable(t)) return undefined;
  const l = await lab.use(t);
  if (!l) return undefined;
  prepared ??= prepare(l);
  const bootFailed = await prepared;
  const [rems, ansible] = [l.hosts[2 * index], l.hosts[2 * index + 1]];
  if (rems === undefined || ansible === undefined) throw new Error(`lab ${l.name} has no twins for role #${index}`);
  return { lab: l, twins: { rems: [rems], ansible: [ansible] }, pair: { rems, ansible }, bootFailed };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

describe("published Galaxy roles: rems-play and ansible-playbook 2.14 agree (Ansible as the oracle)", { concurrency: true }, () => {
  ROLES.forEach((role, index) => {
    test(`${role.name}: --check, a run and a second run give the same statuses and end state`, async (t) => {
      const found = await twinsOf(t, index);
      if (!found) return;
      const { lab: l, twins, pair, bootFailed } = found;
      if (bootFailed.size > 0) t.diagnostic(`units that failed while a lab host booted, not compared: ${[...bootFailed].join(", ")}`);
      const playbook = join(COMPAT, role.name, "site.yml");
      const dir = mkdtempSync(join(tmpdir(), `rems-compat-${role.name}-`));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const times: string[] = [];
      const run = async (phase: string, options: TwinOptions): Promise<TwinRuns> => {
        const runs = await runTwinPlaybook(l, twins, playbook, dir, options);
        times.push(`${phase}: rems-play ${seconds(runs.remsMs)}, ansible-playbook ${seconds(runs.ansibleMs)}`);
        return runs;
      };
      const state = async (host: string): Promise<EndState> => withoutUnits(await endState(l, host, END_STATE_TREES, [...EXCLUDED, ...(role.excluded ?? [])]), bootFailed);
      const states = (): Promise<[EndState, EndState]> => Promise.all([state(pair.rems.name), state(pair.ansible.name)]);
      const remsLabel = `rems-play's host (${pair.rems.name})`;
      const ansibleLabel = `ansible-playbook's host (${pair.ansible.name})`;

      const [remsFresh, ansibleFresh] = await states();
      assertSameEndState(remsFresh, remsLabel, ansibleFresh, ansibleLabel, "the fresh twins differ before anything ran (an exclusion is missing)");

      await t.test("--check: rems-play does not fail, changes nothing, and agrees until Ansible's check mode stops", async () => {
        const check = await run("--check", { check: true });
        const failed = check.rems.hosts[pair.rems.name]?.filter((row) => row.status === "failed") ?? [];
        assert.deepEqual(failed, [], `rems-play failed in --check:\n${check.remsRun.stderr}`);
        assert.equal(check.remsRun.exitCode, 0, `rems-play's --check exit code\n${check.remsRun.stderr}`);
        const compared = beforeAnsibleFailure(check.rems, check.ansible);
        if (compared.stoppedAt.length > 0) t.diagnostic(`${role.name} --check: Ansible stopped at ${compared.stoppedAt.join("; ")}`);
        assertSameStatuses(compared.rems, compared.ansible, `${role.name} --check: rems-play and ansible-playbook differ`);
        const remsAfter = await state(pair.rems.name);
        assertSameEndState(remsFresh, "before --check", remsAfter, "after", `${role.name}: rems-play's --check changed its host`);
      });

      await t.test("a run: the same statuses", async () => {
        const first = await run("run", {});
        assertSameStatuses(first.rems, first.ansible, `${role.name} run: rems-play and ansible-playbook differ`);
        assert.equal(first.ansibleRun.exitCode, 0, `ansible-playbook's own run failed (the premise)\n${first.ansibleRun.stderr}`);
      });

      await t.test("a second run: the same statuses, changed=0 for both", async () => {
        const second = await run("second run", {});
        assertSameStatuses(second.rems, second.ansible, `${role.name} second run: rems-play and ansible-playbook differ`);
        assert.equal(second.ansible.recap[pair.ansible.name]?.changed, 0, "ansible-playbook's second run changed something (the premise)");
        assert.equal(second.rems.recap[pair.rems.name]?.changed, 0, "rems-play's second run changed something");
      });

      await t.test("the same end state: files, packages, units, sockets, users and groups", async () => {
        const [remsEnd, ansibleEnd] = await states();
        assertSameEndState(remsEnd, remsLabel, ansibleEnd, ansibleLabel, `${role.name}: the end states differ`);
      });

      const { probe } = role;
      if (probe !== undefined) {
        await t.test(`the same ${probe.what}`, async () => {
          const [remsOut, ansibleOut] = await Promise.all([pair.rems, pair.ansible].map(async (host) => {
            const result = await l.ssh(host.name, probe.command);
            assert.equal(result.code, 0, `${host.name}: \`${probe.command}\` exited ${result.code}: ${result.stderr}`);
            return result.stdout;
          }));
          assert.notEqual(ansibleOut?.trim(), "", `\`${probe.command}\` printed nothing on ${ansibleLabel}`);
          assert.equal(remsOut, ansibleOut, `${role.name}: the ${probe.what} is not the same on ${remsLabel} and ${ansibleLabel}`);
        });
      }
      t.diagnostic(`${role.name}: ${times.join("; ")}`);
    });
  });
});
