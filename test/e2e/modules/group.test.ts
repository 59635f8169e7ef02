/**
 * group on lab hosts: the ladder that adds a system group with a gid and its reverse, a misspelt argument, and
 * the same tasks under ansible-playbook on a twin (Ansible as the oracle): statuses and the groups afterwards.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

// Two hosts: the ladder runs on both, the parity case uses them as twins (rems-play on the first).
const lab = sharedLab("mod-group", 2);
const PROBE = "getent group modgrp";

describe("group on a lab host", () => {
  test("adds a system group with a gid: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    const { after } = await ladder(host, modulePlaybook(`
- name: the group
  group: { name: modgrp, gid: 2345, system: true }
`), PROBE);
    assert.equal(after, "exit 0\nmodgrp:x:2345:\n");
  });

  test("removes it: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    const { after } = await ladder(host, modulePlaybook(`
- name: no group
  ansible.builtin.group: name=modgrp state=absent
`), PROBE);
    assert.equal(after, "exit 2\n");
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  group:
    name: modgrp
    gdi: 5
`, `playbook.yml:7:9: task "typo": group: unknown argument 'gdi'; did you mean 'gid'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: add
      group: { name: modgrp2, gid: 2400 }
    - name: again
      group: { name: modgrp2 }
    - name: new gid
      group: { name: modgrp2, gid: 2401 }
    - name: a system group
      group: { name: modgrp3, system: true }
    - name: a gid taken
      group: { name: modgrp4, gid: 2401 }
      ignore_errors: true
    - name: shared gid
      group: { name: modgrp4, gid: 2401, non_unique: true }
    - name: remove
      group: { name: modgrp3, state: absent }
    - name: remove again
      group: { name: modgrp3, state: absent }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: "for g in modgrp2 modgrp3 modgrp4; do groupdel $g 2>/dev/null; done; true",
      ansible: ["add=changed", "again=ok", "new gid=changed", "a system group=changed", "a gid taken=failed", "shared gid=changed", "remove=changed", "remove again=ok"],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, "getent group modgrp2 modgrp3 modgrp4; true");
    assert.equal(ours, theirs);
    assert.equal(ours, "modgrp2:x:2401:\nmodgrp4:x:2401:\n");
  });
});
