/**
 * user on lab hosts: the ladder that adds an account with a group, a shell and a password hash and its reverse,
 * a misspelt argument, and the same tasks under ansible-playbook on a twin (Ansible as the oracle): statuses and
 * the accounts afterwards (passwd, groups, shadow hash). The hash never appears in rems-play's output.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, ladder, modulePlaybook, runPlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

// Two hosts: the ladder runs on both, the parity case uses them as twins (rems-play on the first).
const lab = sharedLab("mod-user", 2);
// openssl passwd -6 -salt modsalt labpass
const HASH = "$6$modsalt$oQ7FP20maE3E2g/BspMPJJDjJhwSxwq1ZSVaX0Jif7uNGPHnKh.N/pqjvYI6AA0t5k/J/cEFYpi4Ln0.9QX51.";
const PROBE = "getent passwd modana; id -Gn modana; getent shadow modana | cut -d: -f2; test -d /home/modana && echo home";

describe("user on a lab host", () => {
  test("adds an account: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await onTwins(host, "getent group modlab >/dev/null || groupadd modlab");
    const playbook = modulePlaybook(`
- name: the account
  user: { name: modana, uid: 3200, comment: Ana Lab, shell: /bin/bash, groups: [modlab], password: "${HASH}" }
`);
    const { after } = await ladder(host, playbook, PROBE);
    assert.equal(after, `exit 0\nmodana:x:3200:3200:Ana Lab:/home/modana:/bin/bash\nmodana modlab\n${HASH}\nhome\n`);
    const run = await runPlaybook(host, playbook, "-vv");
    assert.ok(!run.stdout.includes(HASH) && !run.stderr.includes(HASH), `the hash is masked\n${explain(run)}`);
  });

  test("removes it with its home: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    const { after } = await ladder(host, modulePlaybook(`
- name: no account
  ansible.builtin.user: name=modana state=absent remove=yes
`), PROBE);
    assert.match(after, /^exit 1\n/);
    assert.doesNotMatch(after, /home\n$/);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  user:
    name: modana
    shel: /bin/bash
`, `playbook.yml:7:9: task "typo": user: unknown argument 'shel'; did you mean 'shell'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: a group
      group: { name: modstaff }
    - name: add a user
      user: { name: modu1, comment: Mod User, shell: /bin/bash, groups: [modstaff], uid: 3100 }
    - name: again
      user: { name: modu1, comment: Mod User, shell: /bin/bash, groups: [modstaff], uid: 3100 }
    - name: append a group
      user: { name: modu1, groups: users, append: true }
    - name: append it again
      user: { name: modu1, groups: users, append: true }
    - name: groups replaced
      user: { name: modu1, groups: [users] }
    - name: a password
      user: { name: modu1, password: "${HASH}" }
    - name: the password again
      user: { name: modu1, password: "${HASH}" }
    - name: locked
      user: { name: modu1, password_lock: true }
    - name: locked again
      user: { name: modu1, password_lock: true }
    - name: new comment and shell
      user: { user: modu1, comment: Renamed, shell: /bin/sh }
    - name: a system account without home
      user: { name: modsys, system: true, create_home: false, shell: /usr/sbin/nologin }
    - name: a primary group that does not exist
      user: { name: modu2, group: nosuchgroup }
      ignore_errors: true
    - name: a group of an account's name
      group: { name: modu3 }
    - name: an account whose name a group has
      user: { name: modu3 }
    - name: remove
      user: { name: modsys, state: absent }
    - name: remove again
      user: { name: modsys, state: absent }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: "userdel -r modu1 2>/dev/null; userdel -r modu3 2>/dev/null; userdel modsys 2>/dev/null; groupdel modstaff 2>/dev/null; groupdel modu3 2>/dev/null; true",
      ansible: [
        "a group=changed", "add a user=changed", "again=ok", "append a group=changed", "append it again=ok", "groups replaced=changed", "a password=changed",
        "the password again=ok", "locked=changed", "locked again=ok", "new comment and shell=changed", "a system account without home=changed",
        "a primary group that does not exist=failed", "a group of an account's name=changed", "an account whose name a group has=changed", "remove=changed", "remove again=ok",
      ],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, "getent passwd modu1 modsys modu3; id -Gn modu1; id -Gn modu3; getent shadow modu1 | cut -d: -f2; ls -a /home/modu1; true");
    assert.equal(ours, theirs);
  });
});
