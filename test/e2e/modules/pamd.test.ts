/**
 * pamd on lab hosts (Debian 12's own /etc/pam.d, restored from a copy before each case): the ladder that removes
 * nullok from common-auth and its reverse, a misspelt argument, and the same tasks under ansible-playbook on a twin
 * (Ansible as the oracle): statuses, then the files afterwards (but for the time in pamd's mark).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase, preparedTwins } from "../../helpers/parity.js";

// Two hosts: the ladder runs on the first, the parity case uses both as twins (rems-play on the first).
const lab = sharedLab("sshp-pamd", 2);
const PREPARE = "[ -d /root/pam.d.orig ] || cp -a /etc/pam.d /root/pam.d.orig";
const RESET = "rm -rf /etc/pam.d && cp -a /root/pam.d.orig /etc/pam.d";
/** The files the cases edit, without pamd's mark (its time differs from run to run). */
const FILES = "cd /etc/pam.d && for f in common-auth login su; do echo \"== $f\"; sed '/^# Updated by Ansible - /d' $f; done";
const withCopy = preparedTwins(lab, PREPARE);

describe("pamd on a lab host", () => {
  test("removes nullok from common-auth, then adds it back: check, apply, check, apply", async (t) => {
    const host = await withCopy(t);
    if (!host) return;
    await onTwins(host, RESET);
    const probe = "grep pam_unix.so /etc/pam.d/common-auth";
    const { after } = await ladder(host, modulePlaybook(`
- name: no nullok
  pamd:
    name: common-auth
    type: auth
    control: "[success=1 default=ignore]"
    module_path: pam_unix.so
    state: args_absent
    module_arguments: nullok
`), probe);
    assert.equal(after, "exit 0\nauth       [success=1 default=ignore] pam_unix.so\n");
    const back = await ladder(host, modulePlaybook(`
- name: nullok again
  community.general.pamd:
    name: common-auth
    type: auth
    control: "[success=1 default=ignore]"
    module_path: pam_unix.so
    state: args_present
    module_arguments: [nullok]
`), probe);
    assert.equal(back.after, "exit 0\nauth       [success=1 default=ignore] pam_unix.so nullok\n");
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await withCopy(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  pamd:
    name: login
    type: auth
    control: optional
    module_path: pam_faildelay.so
    stat: absent
`, `playbook.yml:10:9: task "typo": pamd: unknown argument 'stat'; did you mean 'state'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const host = await withCopy(t);
    if (!host) return;
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: no nullok in check mode
      community.general.pamd: { name: common-auth, type: auth, control: "[success=1 default=ignore]", module_path: pam_unix.so, state: args_absent, module_arguments: nullok }
      check_mode: true
    - name: no nullok
      community.general.pamd: { name: common-auth, type: auth, control: "[success=1 default=ignore]", module_path: pam_unix.so, state: args_absent, module_arguments: nullok }
      register: removed
    - name: the count of rules changed
      assert: { that: [removed.change_count == 1] }
    - name: no nullok again
      pamd: { name: common-auth, type: auth, control: "[success=1 default=ignore]", module_path: pam_unix.so, state: args_absent, module_arguments: nullok }
    - name: faildelay required
      pamd: { name: login, type: auth, control: optional, module_path: pam_faildelay.so, new_control: required }
    - name: a longer delay
      pamd: { name: login, type: auth, control: required, module_path: pam_faildelay.so, state: args_present, module_arguments: delay=4000000 }
    - name: no mail notice
      pamd: { name: su, type: session, control: optional, module_path: pam_mail.so, state: absent }
    - name: no mail notice again
      pamd: { name: su, type: session, control: optional, module_path: pam_mail.so, state: absent }
    - name: an invalid control
      pamd: { name: login, type: auth, control: required, module_path: pam_faildelay.so, new_control: maybe }
      ignore_errors: true
    - name: a file that is not there
      pamd: { name: nosuch, type: auth, control: required, module_path: pam_env.so }
      ignore_errors: true
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: RESET,
      ansible: [
        "no nullok in check mode=changed",
        "no nullok=changed",
        "the count of rules changed=ok",
        "no nullok again=ok",
        "faildelay required=changed",
        "a longer delay=changed",
        "no mail notice=changed",
        "no mail notice again=ok",
        "an invalid control=failed",
        "a file that is not there=failed",
      ],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, FILES);
    assert.equal(ours, theirs);
    assert.match(ours, /auth {7}required pam_faildelay.so delay=4000000\n/);
  });
});
