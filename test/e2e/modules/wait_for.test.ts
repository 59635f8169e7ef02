/**
 * wait_for on lab hosts, under rems-play and under ansible-playbook on a twin (Ansible as the oracle): a port that
 * is open, one that sends a banner matching search_regex, one that is closed; a file that a background job writes
 * two seconds later, waited for with its match's groups registered; a path that is absent; a timeout that fails;
 * a plain wait. Check mode waits for nothing. A misspelt argument is refused with its location.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, runPlaybook } from "../../helpers/module-ladder.js";
import { PLAYBOOK, runOracleCase } from "../../helpers/parity.js";
import { writePlaybook } from "../../helpers/rems-play.js";

const lab = sharedLab("em-wait-for", 2);

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - name: ssh accepts connections
      wait_for: { port: 22, timeout: 10 }
    - name: ssh says hello
      ansible.builtin.wait_for: { port: 22, search_regex: 'SSH-(?P<version>[\\d.]+)', timeout: 10 }
      register: banner
    - name: nothing listens on port 1
      wait_for: { port: 1, state: stopped, timeout: 10 }
    - name: a file is written two seconds from now
      shell: (sleep 2; echo "ready port=8080" > /tmp/em-wf/ready) > /dev/null 2>&1 &
    - name: wait for it
      wait_for: { path: /tmp/em-wf/ready, search_regex: 'port=(?P<port>\\d+)', timeout: 20 }
      register: ready
    - name: the groups are registered
      assert:
        that:
          - ready.match_groupdict.port == '8080'
          - ready.match_groups | list == ['8080']
          - banner.match_groupdict == {}
    - name: a path that is not there
      wait_for: { path: /tmp/em-wf/none, state: absent, timeout: 5 }
    - name: a port that never opens
      wait_for: { port: 1, timeout: 2 }
      ignore_errors: true
    - name: just wait
      wait_for: { timeout: 1 }
`;

describe("wait_for on a lab host", () => {
  test("does what ansible-playbook does, task by task", async (t) => {
    await runOracleCase(t, lab, {
      files: { [PLAYBOOK]: PLAY },
      reset: "rm -rf /tmp/em-wf && mkdir /tmp/em-wf",
      ansible: [
        "ssh accepts connections=ok", "ssh says hello=ok", "nothing listens on port 1=ok", "a file is written two seconds from now=changed", "wait for it=ok",
        "the groups are registered=ok", "a path that is not there=ok", "a port that never opens=failed", "just wait=ok",
      ],
    });
  });

  test("check mode waits for nothing", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    const started = Date.now();
    const run = await runPlaybook(host, writePlaybook("- hosts: all\n  gather_facts: false\n  tasks:\n    - wait_for: { path: /nonexistent, timeout: 60 }\n"), "--check");
    assert.equal(run.exitCode, 0, explain(run));
    assert.ok(Date.now() - started < 30_000, "check mode did not wait for the timeout");
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  wait_for:
    prot: 22
`, `playbook.yml:6:9: task "typo": wait_for: unknown argument 'prot'; did you mean 'port'?`);
  });
});
