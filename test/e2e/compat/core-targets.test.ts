/**
 * ansible-core 2.14's own integration targets for modules rems-play has (issue 14): each runs under rems-play, as
 * ansible-test runs it (the target as a role through ANSIBLE_ROLES_PATH, output_dir set: the compat folder's
 * `target-NAME.yml`), unchanged, on a fresh lab host of its own (the targets restart cron, disable ssh, add and
 * remove users: they would disturb each other on one host), all at once. A target passes as it does under
 * ansible-playbook 2.14, which passes each of them on a fresh lab host: the run ends with exit code 0, no task
 * fails, and no `assert` of the target fails even where the target ignores errors, with at least one of its asserts
 * run (a target that ended early proves nothing).
 *
 * The content is third-party (GPL-3.0): it is read from ../shared/compat/ansible-core-targets, never copied here.
 * A target that still needs something rems-play does not have yet runs as a todo naming it, so the report says how
 * far it gets; it becomes a plain test when its list is empty.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import type { TestContext } from "node:test";
import { isMapping } from "../../../engine/load/vars-files.js";
import { locationOf } from "../../../engine/source/locations.js";
import { readYamlFile } from "../../../engine/source/yaml.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";
import { available, bootLab } from "../../helpers/lab.js";
import { repoRoot, runRemsPlay } from "../../helpers/rems-play.js";
import type { RemsPlayRun } from "../../helpers/rems-play.js";

const COMPAT = resolve(repoRoot, "..", "shared", "compat", "ansible-core-targets");
const TARGETS_DIR = join(COMPAT, "targets");

interface Target {
  name: string;
  /** What rems-play still lacks for the target to run through, by the areas; empty: it passes. */
  needs: readonly string[];
}

// The blockers each target meets in order, as found by running it on a fresh lab host (2026-12-06): each past the
// previous one was confirmed by working around it in a scratch copy of the targets, never in the project.
const TARGETS: readonly Target[] = [
  {
    name: "file",
    needs: [
      "file: _diff_peek (diff_peek.yml) and modification_time/access_time timestamps with *_time_format (modification_time.yml): load errors",
      "a registered file result's diff (before/after: state_link.yml:39 reads diff.before.src, main.yml:363 diff.before.path_content)",
      "file: state link to a src that does not exist fails without force (state_link.yml:71; rems-play makes the link)",
    ],
  },
  {
    name: "cron",
    needs: [
      "meta end_host honouring its when (setup_cron's Alpine guard ends every host, silently, exit 0)",
      "a task's own check_mode: true leaving its predicted facts for the next real task (cron/tasks/main.yml:30 plans ok against them, its assert wants changed)",
      "cron: state absent with cron_file and no user (main.yml:113, #58493); Ansible's message for /etc/crontab via cron_file (main.yml:230 compares it)",
      "a handler that is include_tasks (setup_remote_tmp_dir's cleanup: unsupported engine action)",
    ],
  },
  {
    name: "systemd",
    needs: [
      "meta end_host honouring its when (the target's first task ends every host, silently, exit 0)",
      "an assert condition holding {{ }} (main.yml:69 and :82; Ansible templates it first, with a warning): load error",
      "check mode on a unit that does not exist: Ansible fails, rems-play deliberately plans it with a warning (the unit may come from an earlier task); main.yml:71-82 assert the failure",
    ],
  },
  {
    name: "slurp",
    needs: [
      "module facts read as the task's become_user (test_unreadable.yml:28 reads a root-only file as the test user: rems-play's probe reads it as root)",
      "slurp: a path through a file fails with Ansible's 'unable to slurp file' (rems-play says file not found)",
    ],
  },
];

/** "file:line:col" of every assert task in the targets' task files, as the run's events give a task's place. */
function assertPlaces(): Set<string> {
  const places = new Set<string>();
  const walk = (list: readonly unknown[], file: string): void => {
    list.forEach((raw, index) => {
      if (!isMapping(raw)) return;
      for (const key of ["block", "rescue", "always"]) {
        const inner = raw[key];
        if (Array.isArray(inner)) walk(inner, file);
      }
      const loc = locationOf(list, index);
      if (loc !== undefined && ("assert" in raw || "ansible.builtin.assert" in raw)) places.add(`${file}:${loc.line}:${loc.col}`);
    });
  };
  for (const target of readdirSync(TARGETS_DIR)) {
    for (const kind of ["tasks", "handlers"]) {
      const dir = join(TARGETS_DIR, target, kind);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
        const file = join(dir, name);
        const { data } = readYamlFile(file, NO_VAULT);
        if (Array.isArray(data)) walk(data, file);
      }
    }
  }
  return places;
}

/** The run's place of a result, absolute (events give paths as shown, relative to the run's directory). */
function absolutePlace(where: string): string {
  return resolve(COMPAT, where);
}

function assertPasses(run: RemsPlayRun, asserts: ReadonlySet<string>): void {
  const failed = run.results.filter((r) => r.status === "failed" && r.ignored !== true);
  assert.deepEqual(
    failed.map((r) => `${r.where ?? "?"} ${r.task}: ${r.error?.message ?? ""}`),
    [],
    `failed tasks (exit code ${run.exitCode})\n${run.stderr.slice(-3000)}`,
  );
  assert.equal(run.exitCode, 0, run.stderr.slice(-3000));
  const atAssert = run.results.filter((r) => r.where !== undefined && asserts.has(absolutePlace(r.where)));
  const brokenAsserts = atAssert.filter((r) => r.status === "failed");
  assert.deepEqual(
    brokenAsserts.map((r) => `${r.where ?? "?"}: ${r.error?.message ?? ""}`),
    [],
    "an assert of the target failed (its failure ignored)",
  );
  assert.ok(
    atAssert.some((r) => r.status === "ok"),
    "no assert of the target ran",
  );
}

test("ansible-core's integration targets pass under rems-play, each on a fresh lab host", async (t: TestContext) => {
  if (!available(t, existsSync(TARGETS_DIR) ? undefined : `${TARGETS_DIR} is missing`, "ansible-core's integration targets")) return;
  const lab = await bootLab(t, "ct-core", TARGETS.length);
  if (lab === undefined) return;
  const asserts = assertPlaces();
  // Each target on its own host, at the same time: one inventory, the run limited to the target's host.
  const runs = TARGETS.map((target, index) => {
    const host = lab.hosts[index]?.name ?? "";
    return { target, run: runRemsPlay([`target-${target.name}.yml`, "-i", lab.inventoryPath, "-l", host], { cwd: COMPAT, env: { ANSIBLE_ROLES_PATH: TARGETS_DIR } }) };
  });
  for (const { target, run } of runs) {
    const options = target.needs.length > 0 ? { todo: `needs ${target.needs.join("; ")}` } : {};
    await t.test(`target ${target.name}`, options, async () => {
      assertPasses(await run, asserts);
    });
  }
});
