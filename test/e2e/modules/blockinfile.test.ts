/**
 * blockinfile on lab hosts: the ladder that creates a file with two blocks (the second planned in check mode
 * against what the first would write) and its reverse, a misspelt argument, and Ansible's forms (default and own
 * markers, insertafter/insertbefore, a block replaced, an empty block, absent, an attribute-only change, validate,
 * a missing file) under ansible-playbook on a twin, in check mode and for real: statuses, and the same files.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

// Two hosts: the ladder runs on the first, the parity cases use them as twins (rems-play on the first).
const lab = sharedLab("em-blockinfile", 2);
const FILE = "/srv/mod-bl/hosts";
const PROBE = `cat ${FILE}; stat -c '%a %U:%G' ${FILE}`;

describe("blockinfile on a lab host", () => {
  test("creates a file with two blocks: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await onTwins(host, "rm -rf /srv/mod-bl");
    const { after } = await ladder(host, modulePlaybook(`
- name: the databases
  blockinfile: { path: ${FILE}, create: true, mode: "0640", marker: "# {mark} db", block: "10.0.0.5 db1\\n10.0.0.6 db2" }
- name: the caches first
  ansible.builtin.blockinfile: { dest: ${FILE}, marker: "# {mark} cache", insertbefore: BOF, content: "10.0.0.7 cache1" }
`), PROBE);
    assert.equal(after, "exit 0\n# BEGIN cache\n10.0.0.7 cache1\n# END cache\n# BEGIN db\n10.0.0.5 db1\n10.0.0.6 db2\n# END db\n640 root:root\n");
  });

  test("removes a block again: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    const { after } = await ladder(host, modulePlaybook(`
- name: no databases
  blockinfile: path=${FILE} marker="# {mark} db" state=absent
`), PROBE);
    assert.equal(after, "exit 0\n# BEGIN cache\n10.0.0.7 cache1\n# END cache\n640 root:root\n");
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  blockinfile:
    path: /etc/hosts
    blok: x
`, `playbook.yml:7:9: task "typo": blockinfile: unknown argument 'blok'; did you mean 'block'?`);
  });

  // Each task edits its own file: in check mode Ansible plans every task on the file as it is, where rems-play
  // plans a task on what the tasks before it would leave, so no two tasks here edit one file.
  const tasks = `
    - name: a block at EOF
      blockinfile: { path: /srv/mod-bl2/a.conf, block: "x=1\\ny=2" }
    - name: after the last port line
      blockinfile: { path: /srv/mod-bl2/b.conf, insertafter: '^port=', marker: "; {mark} rems", block: "z=3" }
    - name: before the last port line, a file without a final newline
      blockinfile: { path: /srv/mod-bl2/c.conf, insertbefore: '^port=', block: "z=3" }
    - name: the block is replaced
      blockinfile: { path: /srv/mod-bl2/d.conf, block: "new" }
    - name: the block is there
      blockinfile: { path: /srv/mod-bl2/e.conf, block: "x", mode: "0600" }
    - name: an empty block removes it
      blockinfile: { path: /srv/mod-bl2/f.conf, block: "" }
    - name: absent where there is none, without a final newline
      blockinfile: { path: /srv/mod-bl2/g.conf, state: absent }
    - name: a validation that fails
      blockinfile: { path: /srv/mod-bl2/h.conf, block: "x", validate: "grep -q nothing %s" }
      ignore_errors: true
    - name: a file that does not exist
      blockinfile: { path: /srv/mod-bl2/none.conf, block: "x" }
      ignore_errors: true
    - name: absent from a file that does not exist
      blockinfile: { path: /srv/mod-bl2/none.conf, state: absent }
      ignore_errors: true
    - name: created, with its directory
      blockinfile: { path: /srv/mod-bl2/new/i.conf, block: "x", create: true, mode: "0600" }
`;
  const files = { [PLAYBOOK]: `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}` };
  const BLOCK = "# BEGIN ANSIBLE MANAGED BLOCK\\n%s\\n# END ANSIBLE MANAGED BLOCK\\n";
  const reset = [
    "rm -rf /srv/mod-bl2 && mkdir /srv/mod-bl2 && cd /srv/mod-bl2",
    "printf 'a\\n' > a.conf",
    "printf 'port=1\\nb\\nport=2\\nc\\n' > b.conf",
    "printf 'port=1\\nport=2' > c.conf",
    `printf 'a\\n${BLOCK}b\\n' old > d.conf`,
    `printf '${BLOCK}' x > e.conf`,
    `printf 'a\\n${BLOCK}' x > f.conf`,
    "printf 'a\\nb' > g.conf",
    "printf 'a\\n' > h.conf",
  ].join(" && ");
  const ansible = [
    "a block at EOF=changed", "after the last port line=changed", "before the last port line, a file without a final newline=changed", "the block is replaced=changed",
    "the block is there=changed", "an empty block removes it=changed", "absent where there is none, without a final newline=changed", "a validation that fails=failed",
    "a file that does not exist=failed", "absent from a file that does not exist=failed", "created, with its directory=changed",
  ];
  const PROBE_TWINS = "cd /srv/mod-bl2 && for f in *.conf new/i.conf; do echo \"== $f\"; stat -c '%a %U:%G' $f; cat $f; done; stat -c '%a' new";

  test("does what ansible-playbook does, task by task, in check mode", async (t) => {
    // Ansible's check mode does not run validate: the edit it would make is a change.
    const run = await runOracleCase(t, lab, { files, reset, check: true, diff: true, ansible: ansible.map((row) => row.replace("a validation that fails=failed", "a validation that fails=changed")) });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, "cd /srv/mod-bl2 && ls -R && cat *.conf | sha256sum");
    assert.equal(ours, theirs);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const run = await runOracleCase(t, lab, { files, reset, ansible });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE_TWINS);
    assert.equal(ours, theirs);
  });
});
