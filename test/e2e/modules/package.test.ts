/**
 * package on lab hosts: apt's ladder through package both ways, a misspelt argument, and the same tasks under
 * ansible-playbook on a twin (Ansible as the oracle): statuses, a package that does not exist, the end state.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook, onHost } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

// Two hosts: the ladder runs on both, the parity case uses them as twins (rems-play on the first).
const lab = sharedLab("mod-package", 2);
const PROBE = "dpkg-query -W -f='${Status} ${Version}\\n' tree";

describe("package on a lab host", () => {
  test("installs a package, updating a stale cache first: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await ladder(host, modulePlaybook(`
- name: install tree
  package: { name: [tree], state: present, update_cache: true, cache_valid_time: 3600 }
`), PROBE);
    assert.match(await onHost(host, PROBE), /install ok installed/);
  });

  test("removes it again (key=value, the pkg alias): check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await ladder(host, modulePlaybook(`
- name: remove tree
  ansible.builtin.package: pkg=tree state=absent
`), PROBE);
    assert.doesNotMatch(await onHost(host, PROBE), /install ok installed/);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  package:
    nmae: tree
`, `playbook.yml:6:9: task "typo": package: unknown argument 'nmae'; did you mean 'name'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: install sl
      package: { name: sl, state: present, update_cache: true, cache_valid_time: 3600 }
    - name: again
      ansible.builtin.package: name=sl state=present
    - name: remove it
      package: { name: sl, state: absent }
    - name: a package that does not exist
      package: { name: mod-no-such-package, state: present }
      ignore_errors: true
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: "apt-get -y remove sl >/dev/null 2>&1; true",
      ansible: ["install sl=changed", "again=ok", "remove it=changed", "a package that does not exist=failed"],
    });
    if (!run) return;
    assert.deepEqual(await onTwins(run.lab, "dpkg-query -W -f='${Status}\\n' sl 2>/dev/null | grep -c 'install ok installed'; true"), ["0\n", "0\n"]);
  });
});
