/**
 * apt_repository on lab hosts, with lines of the lab's own Debian mirror (the only one the hosts reach): the ladder
 * that adds a component in its own file (with the cache update) and its reverse, a misspelt argument, and the same
 * kind of tasks under ansible-playbook on a twin (Ansible as the oracle; python3-apt installed for it): statuses,
 * then every sources file, its mode and its text afterwards.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase, preparedTwins } from "../../helpers/parity.js";

// Two hosts: the ladder runs on the first, the parity case uses both as twins (rems-play on the first).
const lab = sharedLab("aptp-repo", 2);
const MIRROR = "http://deb.debian.org/debian";
const PREPARE = "python3 -c 'import apt' 2>/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-apt; } >/dev/null 2>&1";
/** The image's sources.list, with a commented-out deb-src line and an odd spacing, and no other sources file. */
const RESET = `printf '%s\\n' 'deb ${MIRROR} bookworm main' '#deb-src  ${MIRROR} bookworm main' > /etc/apt/sources.list && chmod 0644 /etc/apt/sources.list && rm -f /etc/apt/sources.list.d/*.list`;
const PROBE = "for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [ -e \"$f\" ] && stat -c '%a %n' \"$f\" && cat \"$f\"; done; true";
const withPythonApt = preparedTwins(lab, PREPARE);

describe("apt_repository on a lab host", () => {
  test("adds a repository in its own file and updates the cache, then removes it: check, apply, check, apply", async (t) => {
    const host = await withPythonApt(t);
    if (!host) return;
    await onTwins(host, RESET);
    const { after } = await ladder(host, modulePlaybook(`
- name: contrib
  apt_repository: { repo: "deb ${MIRROR} bookworm contrib" }
`), `${PROBE}; ls /var/lib/apt/lists | grep -c contrib`);
    // Every file is written back in Ansible's normal form on a change: sources.list's comment too.
    assert.equal(after, `exit 0\n644 /etc/apt/sources.list\ndeb ${MIRROR} bookworm main\n# deb-src ${MIRROR} bookworm main\n644 /etc/apt/sources.list.d/deb_debian_org_debian.list\ndeb ${MIRROR} bookworm contrib\n2\n`);
    const removed = await ladder(host, modulePlaybook(`
- name: no contrib
  ansible.builtin.apt_repository: repo="deb ${MIRROR} bookworm contrib" state=absent update_cache=false
`), PROBE);
    assert.equal(removed.after, `exit 0\n644 /etc/apt/sources.list\ndeb ${MIRROR} bookworm main\n# deb-src ${MIRROR} bookworm main\n`);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await withPythonApt(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  apt_repository:
    repo: deb ${MIRROR} bookworm contrib
    filname: contrib
`, `playbook.yml:7:9: task "typo": apt_repository: unknown argument 'filname'; did you mean 'filename'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const host = await withPythonApt(t);
    if (!host) return;
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: add in check mode
      apt_repository: { repo: "deb ${MIRROR} bookworm contrib" }
      check_mode: true
    - name: add
      ansible.builtin.apt_repository: { repo: "deb ${MIRROR} bookworm contrib" }
    - name: again, spaced otherwise
      apt_repository: { repo: "deb   ${MIRROR}  bookworm contrib  " }
    - name: the commented-out line is enabled where it is
      apt_repository: { repo: "deb-src ${MIRROR} bookworm main", update_cache: false }
    - name: a named file with a mode
      apt_repository: { repo: "deb ${MIRROR} bookworm non-free", filename: extra, mode: "0600", update-cache: false }
    - name: main removed from sources.list
      apt_repository: { repo: "deb ${MIRROR} bookworm main", state: absent, update_cache: false }
    - name: removed again
      apt_repository: { repo: "deb ${MIRROR} bookworm main", state: absent, update_cache: false }
    - name: not a source line
      apt_repository: { repo: "http://example.org/debian stable main" }
      ignore_errors: true
    - name: a suite the mirror does not have fails the update and is taken back
      apt_repository: { repo: "deb ${MIRROR} no-such-suite main", update_cache_retries: 1 }
      ignore_errors: true
    - name: the last line of a file removed removes the file
      apt_repository: { repo: "deb ${MIRROR} bookworm non-free", state: absent, update_cache: false }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: RESET,
      ansible: [
        "add in check mode=changed", "add=changed", "again, spaced otherwise=ok", "the commented-out line is enabled where it is=changed",
        "a named file with a mode=changed", "main removed from sources.list=changed", "removed again=ok", "not a source line=failed",
        "a suite the mirror does not have fails the update and is taken back=failed", "the last line of a file removed removes the file=changed",
      ],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE);
    assert.equal(ours, theirs);
    assert.equal(ours, `644 /etc/apt/sources.list\ndeb-src ${MIRROR} bookworm main\n644 /etc/apt/sources.list.d/deb_debian_org_debian.list\ndeb ${MIRROR} bookworm contrib\n`);
  });
});
