/**
 * sysctl on lab hosts: the ladder that sets network parameters in a drop-in and in the kernel, then removes one;
 * a misspelt argument; and the same tasks under ansible-playbook on a twin (Ansible as the oracle): statuses, then
 * the drop-in and the kernel's values afterwards. The lab's hosts may set /proc/sys/net only (each has its own
 * network namespace; the rest of /proc/sys is read-only in a container), so every parameter here is a net one.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

// Two hosts: the ladder runs on the first, the parity case uses both as twins (rems-play on the first).
const lab = sharedLab("hard-sysctl", 2);
const FILE = "/etc/sysctl.d/60-rems-e2e.conf";
const RESET = `rm -f ${FILE} && sysctl -q -w net.ipv4.conf.all.log_martians=0 net.ipv4.tcp_rmem='4096 131072 6291456' net.ipv4.conf.all.accept_redirects=1`;
const PROBE = `cat ${FILE}; sysctl net.ipv4.conf.all.log_martians net.ipv4.tcp_rmem net.ipv4.conf.all.accept_redirects`;

describe("sysctl on a lab host", () => {
  test("sets parameters in a drop-in and in the kernel, then removes one: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await onTwins(host, RESET);
    const { after } = await ladder(host, modulePlaybook(`
- name: log martians
  sysctl: { name: net.ipv4.conf.all.log_martians, value: yes, sysctl_file: ${FILE} }
- name: several words
  ansible.posix.sysctl: { key: net.ipv4.tcp_rmem, val: 4096 87380 6291456, sysctl_file: ${FILE} }
- name: set in the kernel only
  sysctl: { name: net.ipv4.conf.all.accept_redirects, value: 0, sysctl_file: ${FILE}, sysctl_set: true, reload: false }
`), PROBE);
    assert.equal(after, `exit 0
net.ipv4.conf.all.log_martians=1
net.ipv4.tcp_rmem=4096 87380 6291456
net.ipv4.conf.all.accept_redirects=0
net.ipv4.conf.all.log_martians = 1
net.ipv4.tcp_rmem = 4096\t87380\t6291456
net.ipv4.conf.all.accept_redirects = 0
`);
    const removed = await ladder(host, modulePlaybook(`
- name: remove
  sysctl: { name: net.ipv4.tcp_rmem, state: absent, sysctl_file: ${FILE} }
`), `cat ${FILE}`);
    assert.equal(removed.after, "exit 0\nnet.ipv4.conf.all.log_martians=1\nnet.ipv4.conf.all.accept_redirects=0\n");
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  sysctl:
    name: vm.swappiness
    value: 5
    sysctl_fiel: /etc/sysctl.d/x.conf
`, `playbook.yml:8:9: task "typo": sysctl: unknown argument 'sysctl_fiel'; did you mean 'sysctl_file'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: new in check mode
      ansible.posix.sysctl: { name: net.ipv4.conf.all.log_martians, value: '1', sysctl_file: ${FILE} }
      check_mode: true
    - name: new
      ansible.posix.sysctl: { name: net.ipv4.conf.all.log_martians, value: '1', sysctl_file: ${FILE} }
    - name: again
      sysctl: { name: net.ipv4.conf.all.log_martians, value: 'on', sysctl_file: ${FILE} }
    - name: kernel drifted
      # A change (not changed_when: false, which tells rems-play to keep the facts it read): the kernel moved.
      shell: sysctl -q -w net.ipv4.conf.all.log_martians=0
    - name: reload without sysctl_set
      sysctl: { name: net.ipv4.conf.all.log_martians, value: '1', sysctl_file: ${FILE}, reload: false }
    - name: reload brings the kernel back
      sysctl: { name: net.ipv4.conf.all.log_martians, value: '1', sysctl_file: ${FILE} }
    - name: words
      sysctl: { name: net.ipv4.tcp_rmem, value: '4096   131072 6291456', sysctl_file: ${FILE}, sysctl_set: true, reload: false }
    - name: kernel only
      sysctl: { name: net.ipv4.conf.all.accept_redirects, value: '0', sysctl_file: ${FILE}, sysctl_set: true, reload: false }
    - name: no value
      sysctl: { name: net.ipv4.conf.all.accept_redirects }
      ignore_errors: true
    - name: a read-only parameter
      sysctl: { name: kernel.dmesg_restrict, value: '0', sysctl_file: ${FILE}, sysctl_set: true }
      ignore_errors: true
    - name: remove
      sysctl: { name: net.ipv4.tcp_rmem, state: absent, sysctl_file: ${FILE} }
    - name: remove again
      sysctl: { name: net.ipv4.tcp_rmem, state: absent, sysctl_file: ${FILE} }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: RESET,
      ansible: [
        "new in check mode=changed", "new=changed", "again=ok", "kernel drifted=changed", "reload without sysctl_set=ok", "reload brings the kernel back=changed",
        "words=changed", "kernel only=changed", "no value=failed", "a read-only parameter=failed", "remove=changed", "remove again=ok",
      ],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE);
    assert.equal(ours, theirs);
  });
});
