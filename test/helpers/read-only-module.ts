/**
 * For the e2e tests of modules that only read the host (getent, slurp): a play of such tasks reports ok in check
 * mode and in a run, runs no command of the modules' own, and costs the host exactly one round trip more than a
 * play that reads nothing: the batched probe that carries every task's read (engine/prefetch.ts).
 */
import assert from "node:assert/strict";
import type { Lab } from "./lab.js";
import { explain, modulePlaybook, runPlaybook } from "./module-ladder.js";
import { roundTrips, total, type RemsPlayRun } from "./rems-play.js";

/** The value a debug task printed as `{{ ... | to_json }}`. */
export function shownJson(run: RemsPlayRun, task: string): unknown {
  const msg = run.results.find((r) => r.task === task)?.msg;
  assert.equal(typeof msg, "string", explain(run));
  return JSON.parse(msg as string);
}

/**
 * Runs the PLAYBOOK path with --check, then without: each of the read-only TASKS (by name) is ok and ran no
 * command, nothing changed, and the run made one round trip more than a play with only a debug task. `inspect`
 * then checks what the run registered.
 */
export async function assertReadsInOneProbe(lab: Lab, playbook: string, tasks: readonly string[], inspect: (run: RemsPlayRun) => void): Promise<void> {
  const baseline = modulePlaybook(`
- name: nothing
  debug: { msg: nothing to read }
`);
  for (const mode of [["--check"], []]) {
    const run = await runPlaybook(lab, playbook, "-vv", ...mode);
    assert.equal(run.exitCode, 0, explain(run));
    assert.equal(total(run.recap, "changed"), 0, explain(run));
    for (const task of tasks) {
      const result = run.results.find((r) => r.task === task);
      assert.equal(result?.status, "ok", explain(run));
      assert.deepEqual(result.commands, [], `${task}: the module ran no command on the host`);
    }
    inspect(run);
    const without = await runPlaybook(lab, baseline, ...mode);
    assert.equal(without.exitCode, 0, explain(without));
    assert.deepEqual(roundTrips(run), [(roundTrips(without)[0] ?? NaN) + 1], `one batched probe for ${tasks.join(", ")} (${mode.join(" ") || "a run"})\n${explain(run)}`);
  }
}
