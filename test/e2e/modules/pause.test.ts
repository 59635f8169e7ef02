/**
 * pause on lab hosts, under rems-play and under ansible-playbook on a twin (Ansible as the oracle, without a
 * terminal as in CI): a pause of seconds waits and is ok, a prompt without a duration is not waited for; the
 * registered result says how long. A misspelt argument is refused with its location.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument } from "../../helpers/module-ladder.js";
import { PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

const lab = sharedLab("em-pause", 2);

describe("pause on a lab host", () => {
  test("does what ansible-playbook does, task by task", async (t) => {
    const run = await runOracleCase(t, lab, {
      files: {
        [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: two seconds
      pause: { seconds: 2 }
      register: paused
    - name: a prompt nobody can answer
      ansible.builtin.pause: { prompt: Press enter }
      register: prompted
    - name: what was registered
      assert:
        that:
          - paused.delta >= 2
          - paused.stdout is match('Paused for 2[.]\\\\d+ seconds')
          - prompted.user_input == ''
`,
      },
      reset: "true",
      ansible: ["two seconds=ok", "a prompt nobody can answer=ok", "what was registered=ok"],
    });
    if (!run) return;
    assert.ok(run.twins.remsMs >= 2000, `rems-play paused (${run.twins.remsMs} ms)`);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  pause:
    second: 5
`, `playbook.yml:6:9: task "typo": pause: unknown argument 'second'; did you mean 'seconds'?`);
  });
});
