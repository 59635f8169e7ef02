/**
 * Issue 16 item 10: `validate` of copy, template and lineinfile on lab hosts: the ladder with validators that pass,
 * and ansible-playbook as the oracle (rems-play on the first twin, Ansible on the second) for validators that
 * pass and fail, `%%`, no shell, a missing %s, a copied tree (each file validated), and check mode, where neither
 * tool runs the validator.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

const lab = sharedLab("fil-validate", 2);
const DIR = "/srv/e2e-validate";
const reset = `rm -rf ${DIR} && mkdir ${DIR} && printf 'old\\n' > ${DIR}/copy-bad.conf && printf 'a=1\\n' > ${DIR}/same.conf && printf 'old\\n' > ${DIR}/tpl-bad.conf && printf 'k=1\\n' > ${DIR}/li.conf`;
const PROBE = `cd ${DIR} && for f in $(find . -type f | sort); do echo "== $f $(stat -c %a $f)"; cat $f; done`;

const tasks = `
    - name: copy, a validator that passes
      copy: { content: "a=1\\n", dest: ${DIR}/copy-ok.conf, validate: "grep -q a=1 %s" }
    - name: copy, a validator that fails
      copy: { content: "b=1\\n", dest: ${DIR}/copy-bad.conf, validate: "grep -q a=1 %s" }
      register: copy_bad
      ignore_errors: true
    - name: copy, the validator's result
      assert:
        that: [copy_bad.msg == 'failed to validate', copy_bad.exit_status == 1, copy_bad.stdout == '', copy_bad.stderr == '']
      when: copy_bad is failed
    - name: copy, the mode is set before the validator runs, and %% is a %
      copy: { content: "m\\n", dest: ${DIR}/mode.conf, mode: "0600", validate: "sh -c 'test $(stat -c %%a \\"$1\\") = 600' sh %s" }
    - name: copy, no shell runs the validator (|| is a word for test)
      copy: { content: "s\\n", dest: ${DIR}/shell.conf, validate: "test -s %s || true" }
      ignore_errors: true
    - name: copy, content already right, the validator is not run
      copy: { content: "a=1\\n", dest: ${DIR}/same.conf, validate: "false %s" }
    - name: copy, a validate without %s
      copy: { content: "x\\n", dest: ${DIR}/nopath.conf, validate: "true" }
      ignore_errors: true
    - name: template, a validator that passes
      template: { src: t.j2, dest: ${DIR}/tpl-ok.conf, validate: "grep -q x=2 %s" }
    - name: template, a validator that fails
      template: { src: t.j2, dest: ${DIR}/tpl-bad.conf, validate: "grep -q x=3 %s" }
      ignore_errors: true
    - name: copy, a tree whose files pass, each validated
      copy: { src: tree-ok/, dest: ${DIR}/tree-ok, validate: "grep -q ok %s" }
    - name: copy, a tree with a file that fails
      copy: { src: tree-bad/, dest: ${DIR}/tree-bad, validate: "grep -q ok %s" }
      ignore_errors: true
    - name: lineinfile, a validator that passes
      lineinfile: { path: ${DIR}/li.conf, line: "k=2", validate: "grep -q k=2 %s" }
    - name: lineinfile, a validator that fails
      lineinfile: { path: ${DIR}/li.conf, line: "k=3", validate: "sh -c 'echo no k=4 >&2; exit 5' sh %s" }
      register: li_bad
      ignore_errors: true
    - name: lineinfile, the validator's result
      assert:
        that:
          - "li_bad.msg == 'failed to validate: rc:5 error:no k=4\\\\n'"
      when: li_bad is failed
`;
const playbook = `- hosts: all\n  gather_facts: false\n  tasks:${tasks}`;
const files = {
  [PLAYBOOK]: playbook,
  "templates/t.j2": "x={{ 1 + 1 }}\n",
  "files/tree-ok/a.conf": "ok a\n",
  "files/tree-ok/sub/b.conf": "ok b\n",
  "files/tree-bad/c.conf": "bad\n",
};

describe("issue 16 item 10: validate on lab hosts", () => {
  test("copy, template and lineinfile with validators that pass: check, apply, check, apply", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await onTwins(l, `rm -rf ${DIR} && mkdir ${DIR} && printf 'k=1\\n' > ${DIR}/li.conf`);
    const { after } = await ladder(l, modulePlaybook(`
- name: copy
  copy: { content: "a=1\\n", dest: ${DIR}/copy.conf, mode: "0640", validate: "grep -q a=1 %s" }
- name: template
  template: { src: t.j2, dest: ${DIR}/tpl.conf, validate: "grep -qx x=2 %s" }
- name: lineinfile
  lineinfile: { path: ${DIR}/li.conf, line: "k=2", validate: "grep -q k=2 %s" }
`, { "templates/t.j2": "x={{ 1 + 1 }}\n" }), PROBE);
    assert.equal(after, "exit 0\n== ./copy.conf 640\na=1\n== ./li.conf 644\nk=1\nk=2\n== ./tpl.conf 644\nx=2\n");
  });

  const ansible = [
    "copy, a validator that passes=changed",
    "copy, a validator that fails=failed",
    "copy, the validator's result=ok",
    "copy, the mode is set before the validator runs, and %% is a %=changed",
    "copy, no shell runs the validator (|| is a word for test)=failed",
    "copy, content already right, the validator is not run=ok",
    "copy, a validate without %s=failed",
    "template, a validator that passes=changed",
    "template, a validator that fails=failed",
    "copy, a tree whose files pass, each validated=changed",
    "copy, a tree with a file that fails=failed",
    "lineinfile, a validator that passes=changed",
    "lineinfile, a validator that fails=failed",
    "lineinfile, the validator's result=ok",
  ];

  test("does what ansible-playbook does, task by task, and leaves the same files", async (t) => {
    const run = await runOracleCase(t, lab, { files, reset, ansible });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE);
    assert.equal(ours, theirs);
    // The failed validations left the live files as they were.
    assert.match(ours, /== \.\/copy-bad\.conf 644\nold\n/);
    assert.match(ours, /== \.\/tpl-bad\.conf 644\nold\n/);
    assert.match(ours, /== \.\/li\.conf 644\nk=1\nk=2\n/);
    assert.match(ours, /== \.\/tree-ok\/a\.conf 644\nok a\n== \.\/tree-ok\/sub\/b\.conf 644\nok b\n/);
    assert.doesNotMatch(ours, /shell\.conf|nopath\.conf|c\.conf/);
  });

  test("in check mode neither tool runs the validator: every write is a change, nothing is written", async (t) => {
    const changedInCheck = ansible.map((row) =>
      row.endsWith("=failed") ? row.replace("=failed", "=changed") : row.includes("the validator's result") ? row.replace("=ok", "=skipped") : row,
    );
    const run = await runOracleCase(t, lab, { files, reset, check: true, ansible: changedInCheck });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE);
    assert.equal(ours, theirs);
    assert.equal(ours, "== ./copy-bad.conf 644\nold\n== ./li.conf 644\nk=1\n== ./same.conf 644\na=1\n== ./tpl-bad.conf 644\nold\n");
  });
});
