/**
 * tempfile on lab hosts: check mode creates nothing and registers the name's pattern; a run creates a file (0600)
 * and a directory (0700) with random names where asked, registered for the tasks after it, and a second run
 * creates new ones (tempfile is never ok); the same playbook under ansible-playbook on a twin reports the same
 * statuses and leaves the same kinds of paths. A misspelt argument is refused with its location.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { total } from "../../helpers/rems-play.js";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, modulePlaybook, onHost, runPlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

const lab = sharedLab("em-tempfile", 2);

const TASKS = `
- name: a file
  tempfile: { prefix: rems-e2e. }
  register: file
- name: a directory
  ansible.builtin.tempfile: { state: directory, path: /var/tmp, prefix: rems-e2e-, suffix: .d }
  register: dir
- name: its path is registered
  assert:
    that:
      - file.path is match('/tmp/rems-e2e[.].{8}$')
      - dir.path is match('/var/tmp/rems-e2e-.{8}[.]d$')
`;
const LIST = "find /tmp /var/tmp -maxdepth 1 -name 'rems-e2e*' -printf '%m %y %u\\n' | sort";

describe("tempfile on a lab host", () => {
  test("check mode creates nothing; each run creates a new file and directory", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await onTwins(host, "rm -rf /tmp/rems-e2e* /var/tmp/rems-e2e*");
    const playbook = modulePlaybook(TASKS);
    const check = await runPlaybook(host, playbook, "--check");
    // The registered pattern has the name's shape: the assert after it passes in check mode too.
    assert.equal(check.exitCode, 0, explain(check));
    // Both tasks on each of the lab's hosts.
    const changes = 2 * host.hosts.length;
    assert.equal(total(check.recap, "changed"), changes, explain(check));
    assert.equal(await onHost(host, LIST), "exit 0\n", "check mode created nothing");

    for (const [run, listing] of [[1, "600 f root\n700 d root\n"], [2, "600 f root\n600 f root\n700 d root\n700 d root\n"]] as const) {
      const apply = await runPlaybook(host, playbook);
      assert.equal(apply.exitCode, 0, explain(apply));
      assert.equal(total(apply.recap, "changed"), changes, `run ${run}: both tasks change the host\n${explain(apply)}`);
      assert.equal(await onHost(host, LIST), `exit 0\n${listing}`, `run ${run}`);
    }
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  tempfile:
    sufix: .tmp
`, `playbook.yml:6:9: task "typo": tempfile: unknown argument 'sufix'; did you mean 'suffix'?`);
  });

  test("does what ansible-playbook does", async (t) => {
    const playbook = `- hosts: all\n  gather_facts: false\n  tasks:\n${TASKS.split("\n").map((line) => `    ${line}`).join("\n")}`;
    const run = await runOracleCase(t, lab, {
      files: { [PLAYBOOK]: playbook },
      reset: "rm -rf /tmp/rems-e2e* /var/tmp/rems-e2e*",
      ansible: ["a file=changed", "a directory=changed", "its path is registered=ok"],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, LIST);
    assert.equal(ours, theirs);
  });
});
