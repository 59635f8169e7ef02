/**
 * lineinfile on lab hosts: the ladder that creates a config file line by line (two tasks on one file, the second
 * planned in check mode against what the first would write) and its reverse, a misspelt argument, and a run of
 * Ansible's forms (regexp, search_string, insertafter/insertbefore, BOF, backrefs, absent, validate, create with
 * mode) under ansible-playbook on a twin (Ansible as the oracle): statuses, and the same files afterwards.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

// Two hosts: the ladder runs on both, the parity case uses them as twins (rems-play on the first).
const lab = sharedLab("mod-lineinfile", 2);
const FILE = "/srv/mod-li/app.conf";
const PROBE = `cat ${FILE}; stat -c '%a %U:%G' ${FILE}`;

describe("lineinfile on a lab host", () => {
  test("creates a file line by line: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await onTwins(host, "rm -rf /srv/mod-li");
    const { after } = await ladder(host, modulePlaybook(`
- name: the port
  lineinfile: { path: ${FILE}, regexp: '^#?Port ', line: Port 2222, create: true, mode: "0640" }
- name: the address after it
  ansible.builtin.lineinfile: { dest: ${FILE}, line: ListenAddress 127.0.0.1, insertafter: '^Port ' }
- name: a header first
  lineinfile: { path: ${FILE}, line: "# managed", insertbefore: BOF }
`), PROBE);
    assert.equal(after, "exit 0\n# managed\nPort 2222\nListenAddress 127.0.0.1\n640 root:root\n");
  });

  test("removes the lines again: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    const { after } = await ladder(host, modulePlaybook(`
- name: no port
  lineinfile: path=${FILE} regexp=^Port state=absent
- name: no address
  lineinfile: { path: ${FILE}, search_string: ListenAddress, state: absent }
`), PROBE);
    assert.equal(after, "exit 0\n# managed\n640 root:root\n");
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  lineinfile:
    path: /etc/hosts
    lien: x
`, `playbook.yml:7:9: task "typo": lineinfile: unknown argument 'lien'; did you mean 'line'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: a directory
      file: { path: /srv/mod-li2, state: directory }
    - name: a config file
      copy: { dest: /srv/mod-li2/sshd.conf, content: "Port 22\\n#PermitRootLogin yes\\nUsePAM yes\\nWORKERS=2\\nx=1\\nx=2\\n" }
    - name: replace by regexp
      lineinfile: { path: /srv/mod-li2/sshd.conf, regexp: '^#?PermitRootLogin', line: PermitRootLogin no }
    - name: again
      lineinfile: { path: /srv/mod-li2/sshd.conf, regexp: '^#?PermitRootLogin', line: PermitRootLogin no }
    - name: by search string
      lineinfile: { path: /srv/mod-li2/sshd.conf, search_string: UsePAM, line: UsePAM no }
    - name: backrefs
      lineinfile: { path: /srv/mod-li2/sshd.conf, regexp: '^(WORKERS)=\\d+$', line: '\\1=4', backrefs: true }
    - name: backrefs without a match
      lineinfile: { path: /srv/mod-li2/sshd.conf, regexp: '^(NOSUCH)=', line: '\\1=4', backrefs: true }
    - name: after the port
      lineinfile: { path: /srv/mod-li2/sshd.conf, line: ListenAddress 0.0.0.0, insertafter: '^Port' }
    - name: first line
      lineinfile: { path: /srv/mod-li2/sshd.conf, line: "# managed", insertbefore: BOF }
    - name: remove matches
      lineinfile: { path: /srv/mod-li2/sshd.conf, regexp: '^x=', state: absent }
    - name: a validation that fails
      lineinfile: { path: /srv/mod-li2/sshd.conf, line: bad, validate: "grep -q nothing %s" }
      ignore_errors: true
    - name: a file that does not exist
      lineinfile: { path: /srv/mod-li2/none.conf, line: x }
      ignore_errors: true
    - name: create it with its directory and mode
      lineinfile: { path: /srv/mod-li2/new/none.conf, line: x, create: true, mode: "0600" }
    - name: absent from a missing file
      lineinfile: { path: /srv/mod-li2/gone.conf, line: x, state: absent }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: "rm -rf /srv/mod-li2",
      ansible: [
        "a directory=changed", "a config file=changed", "replace by regexp=changed", "again=ok", "by search string=changed", "backrefs=changed", "backrefs without a match=ok",
        "after the port=changed", "first line=changed", "remove matches=changed", "a validation that fails=failed", "a file that does not exist=failed",
        "create it with its directory and mode=changed", "absent from a missing file=ok",
      ],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, "cd /srv/mod-li2 && for f in sshd.conf new/none.conf; do echo \"== $f\"; stat -c '%a %U:%G' $f; cat $f; done; stat -c '%a' new");
    assert.equal(ours, theirs);
  });
});
