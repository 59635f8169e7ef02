/**
 * ansible-core 2.14's own integration targets for modules rems-play claims run to their end under rems-play as they
 * do under ansible-playbook (issue 14). The targets (tag v2.14.17, with their setup_* dependencies) are third-party
 * content kept beside the project in ../shared/compat/ansible-core-targets (read where they are, never copied in);
 * each `target-NAME.yml` there applies one target as a role, as ansible-test would, and the roles are found through
 * ANSIBLE_ROLES_PATH, which both tools read.
 *
 * Each target runs once under rems-play on one fresh lab host and under ansible-playbook 2.14 on its twin, both at
 * once, and the targets at once, each on its own twins (the tools mostly wait on round trips, so on two cores the
 * longest target sets the time). For each: ansible-playbook reaches the end with no failed task (the premise), so
 * does rems-play, and every task (and loop item) has the same status under both (test/helpers/parity.ts says how
 * the two tools' reports are put side by side). A target's own assertions are tasks too: an `assert` that fails
 * under rems-play is a failed task, so "the same statuses" holds the modules to what ansible-core's tests expect.
 *
 * No target reads ansible_version or otherwise branches on which tool runs it, so no difference is expected; the
 * failures a target provokes on purpose (ignore_errors) are compared like any status, and through the recap's
 * `ignored`.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ansibleAvailable } from "../../helpers/ansible-playbook.js";
import { available, sharedLab } from "../../helpers/lab.js";
import { assertSameStatuses, runTwinPlaybook } from "../../helpers/parity.js";
import { repoRoot } from "../../helpers/rems-play.js";

/** ansible-core's targets as ansible-core keeps them, with a playbook per target (its SOURCE names the tag). */
const CORE = join(repoRoot, "..", "shared", "compat", "ansible-core-targets");

/**
 * The targets of the modules the acceptance names, each run as `target-NAME.yml`. `file` runs to its end, cleanup
 * handlers included, since its recurse follows the tree's links as Ansible's does (ansible-playbook takes about 85 s
 * on it alone, rems-play about 14 s).
 */
const TARGETS = ["file", "cron", "systemd", "slurp"] as const;

/**
 * ansible-playbook takes minutes on a target (cron: up to 214 s on two cores loaded by other work), near
 * runAnsiblePlaybook's default 5 minutes; rems-play takes about a third of it.
 */
const ANSIBLE_TIMEOUT_MS = 12 * 60_000;

const lab = sharedLab("cor-targets", TARGETS.length * 2);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

describe("ansible-core 2.14's integration targets: rems-play runs them to their end as ansible-playbook does", { concurrency: true }, () => {
  TARGETS.forEach((target, index) => {
    test(`${target}: both tools reach the end with no failed task and the same status for every task`, async (t) => {
      if (!available(t, existsSync(CORE) ? undefined : `ansible-core's targets are not at ${CORE}`, "the ansible-core target test")) return;
      if (!ansibleAvailable(t)) return;
      const l = await lab.use(t);
      if (!l) return;
      const [rems, ansible] = [l.hosts[2 * index], l.hosts[2 * index + 1]];
      if (rems === undefined || ansible === undefined) throw new Error(`lab ${l.name} has no twins for target #${index}`);
      const dir = mkdtempSync(join(tmpdir(), `rems-core-${target}-`));
      t.after(() => rmSync(dir, { recursive: true, force: true }));

      const runs = await runTwinPlaybook(l, { rems: [rems], ansible: [ansible] }, join(CORE, `target-${target}.yml`), dir, {
        env: { ANSIBLE_ROLES_PATH: join(CORE, "targets") },
        ansibleTimeoutMs: ANSIBLE_TIMEOUT_MS,
      });
      t.diagnostic(`${target}: rems-play ${seconds(runs.remsMs)}, ansible-playbook ${seconds(runs.ansibleMs)}`);

      const ansibleRows = runs.ansible.hosts[ansible.name] ?? [];
      assert.equal(runs.ansibleRun.exitCode, 0, `ansible-playbook's own run of ${target} failed (the premise)\n${runs.ansibleRun.stderr}`);
      assert.ok(ansibleRows.length > 0, `ansible-playbook reported no task of ${target}`);
      assert.equal(runs.ansible.recap[ansible.name]?.failed, 0, `ansible-playbook failed a task of ${target} (the premise)`);
      assertSameStatuses(runs.rems, runs.ansible, `${target}: rems-play and ansible-playbook differ`);
      assert.equal(runs.rems.recap[rems.name]?.failed, 0, `rems-play failed a task of ${target}`);
      assert.equal(runs.remsRun.exitCode, 0, `rems-play's run of ${target} exited ${runs.remsRun.exitCode}\n${runs.remsRun.stderr}`);
    });
  });
});
