/**
 * Issue 18: the hardening role on lab hosts. rems-play converges one host while ansible-playbook converges its
 * twin with the same role (the role is Ansible's: same statuses, task by task); then on rems-play's host: SSH
 * refuses passwords (the server offers public keys only), fail2ban's sshd jail runs, the audit rules are installed
 * and compiled, AIDE's daily check runs and finds a new file, the sysctls are in the kernel, unattended-upgrades takes
 * the security archive only; a second run (over the hardened sshd) changes nothing, and neither does an audit.
 *
 * What a container cannot do, and the lab's variables for it: Linux loads audit rules only from the initial pid
 * namespace (kernel/audit.c, audit_netlink_ok), so `hardening_audit_kernel: false` and the test checks that the
 * kernel still refuses; the lab host may set /proc/sys/net only (lab/hosts.ts), so the kernel.* and fs.* sysctls are
 * in `hardening_sysctl_skip`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ansibleAvailable } from "../../helpers/ansible-playbook.js";
import { rootShell, sharedLab } from "../../helpers/lab.js";
import { passwordLogin } from "../../helpers/password-login.js";
import { explain } from "../../helpers/module-ladder.js";
import { assertSameStatuses, runTwinPlaybook } from "../../helpers/parity.js";
import { repoRoot, runRemsPlay, total } from "../../helpers/rems-play.js";

const lab = sharedLab("hard-role", 2);

const SKIPPED_SYSCTLS = ["kernel.dmesg_restrict", "kernel.kptr_restrict", "kernel.randomize_va_space", "kernel.yama.ptrace_scope", "fs.protected_hardlinks", "fs.protected_symlinks", "fs.suid_dumpable"];
const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    hardening_audit_kernel: false
    hardening_sysctl_skip: ${JSON.stringify(SKIPPED_SYSCTLS)}
  roles: [hardening]
`;

describe("issue 18: the hardening role on a Debian 12 lab host", () => {
  test("hardens the host as ansible-playbook does, the project still connects, a second run and an audit change nothing", async (t) => {
    if (!ansibleAvailable(t)) return;
    const l = await lab.use(t);
    if (!l) return;
    const [ours, twin] = l.hosts;
    assert.ok(ours && twin, "the lab has two hosts");
    const sh = rootShell(l, ours.name);
    const env = { ANSIBLE_ROLES_PATH: join(repoRoot, "roles") };
    const dir = mkdtempSync(join(tmpdir(), "rems-hardening-"));
    const playbook = join(dir, "playbook.yml");
    writeFileSync(playbook, PLAYBOOK);

    assert.match(await passwordLogin(ours), /Permission denied \(publickey,password\)/, "before the role, sshd offers passwords");

    const converge = await runTwinPlaybook(l, { rems: [ours], ansible: [twin] }, playbook, dir, { env, ansibleTimeoutMs: 15 * 60_000 });
    assert.equal(converge.ansibleRun.exitCode, 0, converge.ansibleRun.stdout + converge.ansibleRun.stderr);
    assert.equal(converge.remsRun.exitCode, 0, explain(converge.remsRun));
    assertSameStatuses(converge.rems, converge.ansible);

    // SSH: the server now offers public keys only.
    assert.match(await passwordLogin(ours), /Permission denied \(publickey\)\./);

    assert.match(await sh("fail2ban-client status sshd"), /Status for the jail: sshd\n/);

    const rules = await sh("cat /etc/audit/audit.rules");
    assert.match(rules, /^-w \/etc\/shadow -p wa -k identity$/m, "augenrules compiled the role's rules");
    assert.match(rules, /^-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -k modules$/m);
    const listed = await l.ssh(ours.name, "auditctl -l");
    assert.notEqual(listed.code, 0, "a container's kernel refuses audit: if this host can list rules now, set hardening_audit_kernel true here");

    // AIDE: Debian's daily check, on the database the run made, then after a new file (the unit starts once in
    // 2 hours: reset-failed clears that count).
    await sh("systemctl start dailyaidecheck.service");
    assert.match(await sh("cat /var/log/aide/aide.log"), /AIDE returned with a zero exit code\. No changes detected!/, "nothing changed since the database was made");
    await sh("echo '#!/bin/sh' > /usr/local/bin/intruder && systemctl reset-failed dailyaidecheck.service && systemctl start dailyaidecheck.service");
    assert.match(await sh("cat /var/log/aide/aide.log"), /^f\+{10,}: \/usr\/local\/bin\/intruder$/m, "the check reports the new file");
    await sh("rm /usr/local/bin/intruder");

    const values = await sh("sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.all.accept_redirects net.ipv4.tcp_syncookies net.ipv4.conf.all.log_martians net.ipv6.conf.all.accept_redirects");
    assert.equal(values, "net.ipv4.conf.all.rp_filter = 1\nnet.ipv4.conf.all.accept_redirects = 0\nnet.ipv4.tcp_syncookies = 1\nnet.ipv4.conf.all.log_martians = 1\nnet.ipv6.conf.all.accept_redirects = 0\n");
    assert.doesNotMatch(await sh("cat /etc/sysctl.d/60-hardening.conf"), /^(kernel|fs)\./m, "the skipped parameters are not in the file");

    assert.match(await sh("unattended-upgrade --dry-run -d 2>&1 | grep 'Allowed origins'"), /^Allowed origins are: origin=Debian,codename=bookworm-security,label=Debian-Security\n$/);

    // Over the hardened sshd (a key, as root): nothing to do, and nothing to report.
    const again = await runRemsPlay([playbook, "-i", join(dir, "rems-inventory.yml")], { env });
    assert.equal(again.exitCode, 0, explain(again));
    assert.equal(total(again.recap, "changed"), 0, explain(again));
    const audit = await runRemsPlay([playbook, "-i", join(dir, "rems-inventory.yml"), "--check", "--diff"], { env });
    assert.equal(audit.exitCode, 0, explain(audit));
    assert.equal(total(audit.recap, "changed"), 0, explain(audit));
    // The host ansible-playbook hardened is in the same state: rems-play's audit of it finds nothing either.
    const twinAudit = await runRemsPlay([playbook, "-i", join(dir, "ansible-inventory.yml"), "--check", "--diff"], { env });
    assert.equal(total(twinAudit.recap, "changed"), 0, explain(twinAudit));
  });
});
