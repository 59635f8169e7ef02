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

const TARGETS: readonly Target[] = [
  {
    name: "file",
    needs: [
      "modules setup, tempfile, pause (new modules)",
      "file: modification_time/access_time timestamps with *_time_format, _diff_peek",
      "lookup first_found (setup_remote_tmp_dir), become of the nobody user",
    ],
  },
  {
    name: "cron",
    needs: ["modules setup, tempfile, wait_for, replace (new modules)", "lookup first_found (setup_cron's include_vars)"],
  },
  {
    name: "systemd",
    needs: [
      "modules setup, tempfile (setup_remote_tmp_dir)",
      "`- name:` with a null value (task keywords)",
      "an assert condition holding {{ }} (templated first, with Ansible's warning)",
      "lookup first_found, filter random, debug var= (templates)",
    ],
  },
  {
    name: "slurp",
    needs: [
      "modules setup, tempfile, gather_facts (new modules)",
      "`action: slurp` (task keywords)",
      "lookups first_found and password, filter password_hash, become with a password (setup_test_user)",
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
