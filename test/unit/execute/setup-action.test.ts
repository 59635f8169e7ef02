/**
 * setup and gather_facts as tasks. filterFacts on facts as the probe names them; then the real CLI on a local host
 * runs test/fixtures/setup/playbook.yml, whose tasks all pass under ansible-playbook 2.14 on localhost: nothing
 * gathered with gather_facts false, setup with a filter gives only the matching facts (as variables, in
 * ansible_facts and in its result under ansible_ names), gather_facts adds the rest. A check run is the same:
 * gathering changes nothing on the host.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { filterFacts } from "../../../engine/execute/setup-action.js";
import { repoRoot, runRemsPlay } from "../../helpers/rems-play.js";

const facts = { distribution: "Debian", distribution_version: "12.8", os_family: "Debian", hostname: "web1", default_ipv4: { address: "10.0.0.2" } };

test("filter keeps the facts whose ansible_ name matches a shell pattern, as Ansible's", () => {
  const cases: [string, string[], string[]][] = [
    ["no pattern keeps all", [], Object.keys(facts)],
    ["* keeps all", ["*"], Object.keys(facts)],
    ["with the ansible_ prefix", ["ansible_distribution*"], ["distribution", "distribution_version"]],
    ["without it", ["distribution*"], ["distribution", "distribution_version"]],
    ["several, exact", ["ansible_os_family", "hostname"], ["os_family", "hostname"]],
    ["? and [...]", ["host?ame", "default_ipv[46]"], ["hostname", "default_ipv4"]],
    ["[!...]", ["default_ipv[!4]"], []],
    ["dots are literal", ["distribution.version"], []],
  ];
  for (const [what, patterns, kept] of cases) assert.deepEqual(Object.keys(filterFacts(facts, patterns)), kept, what);
});

test("setup and gather_facts gather on demand, in a run and in a check", async () => {
  const inventory = join(mkdtempSync(join(tmpdir(), "rems-setup-")), "inventory.ini");
  writeFileSync(inventory, "localhost ansible_connection=local\n");
  for (const mode of [[], ["--check"]]) {
    const run = await runRemsPlay([join(repoRoot, "test/fixtures/setup/playbook.yml"), "-i", inventory, ...mode]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(
      run.results.map((r) => `${r.task}=${r.status}`),
      [
        "nothing gathered yet=ok",
        "only the distribution facts=ok",
        "what setup returned=ok",
        "the filtered facts are variables now, the others are not=ok",
        "gather_facts adds the rest=ok",
        "and keeps them=ok",
      ],
    );
    const shown = run.results.find((r) => r.task === "what setup returned");
    assert.deepEqual(shown?.msg, ["ansible_distribution", "ansible_distribution_major_version", "ansible_distribution_release", "ansible_distribution_version"]);
  }
});
