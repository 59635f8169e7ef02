/**
 * apt_key on lab hosts (gnupg installed first: apt-key needs gpg), with a signing key the test makes with gpg on the
 * controller and a url served by a python3 http.server each host runs on 127.0.0.1: the ladder that adds the key to
 * a keyring and its reverse, a misspelt argument, and the same kind of tasks under ansible-playbook on a twin
 * (Ansible as the oracle): statuses, then the keys apt trusts afterwards.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase, preparedTwins } from "../../helpers/parity.js";

// Two hosts: the ladder runs on the first, the parity case uses both as twins (rems-play on the first).
const lab = sharedLab("aptp-key", 2);

/** A fresh ed25519 signing key, armored, and its long id. */
function makeKey(): { armored: string; id: string } {
  const home = mkdtempSync(join(tmpdir(), "aptp-gpg-"));
  try {
    const gpg = (...args: string[]): string => execFileSync("gpg", ["--homedir", home, "--batch", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    gpg("--passphrase", "", "--quick-gen-key", "rems-play test repository <repo@example.org>", "ed25519", "sign", "never");
    const id = /^pub:[^:]*:[^:]*:[^:]*:([0-9A-F]{16}):/m.exec(gpg("--with-colons", "--list-keys"))?.[1];
    assert.ok(id, "gpg made a key");
    return { armored: gpg("--armor", "--export"), id };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const KEY = makeKey();
const UP = "(exec 3<>/dev/tcp/127.0.0.1/8089) 2>/dev/null";
// The key file on each host, served on 127.0.0.1:8089 by a unit of its own name (the shell's pid).
const PREPARE = `command -v gpg >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnupg; } >/dev/null 2>&1; mkdir -p /srv/aptp-key && printf '%s' '${KEY.armored}' > /srv/aptp-key/repo.asc && { ${UP} || systemd-run -q -G --unit=aptp-key-http-$$ --working-directory=/srv/aptp-key python3 -m http.server 8089 --bind 127.0.0.1; } && for i in $(seq 50); do ${UP} && break; sleep 0.1; done`;
const RESET = "rm -f /etc/apt/trusted.gpg /etc/apt/trusted.gpg~ /etc/apt/trusted.gpg.d/aptp*.gpg*";
const PROBE = "ls /etc/apt/trusted.gpg /etc/apt/trusted.gpg.d/ 2>&1; LC_ALL=C apt-key adv --list-public-keys --keyid-format=long 2>/dev/null | grep -E '^(pub|uid)'";
const withKey = preparedTwins(lab, PREPARE);

describe("apt_key on a lab host", () => {
  test("adds a key to a keyring, then removes it: check, apply, check, apply", async (t) => {
    const host = await withKey(t);
    if (!host) return;
    await onTwins(host, RESET);
    const { after } = await ladder(host, modulePlaybook(`
- name: the key
  apt_key: { file: /srv/aptp-key/repo.asc, keyring: /etc/apt/trusted.gpg.d/aptp.gpg }
`), PROBE);
    assert.match(after, new RegExp(`aptp\\.gpg[\\s\\S]*/${KEY.id} `));
    const removed = await ladder(host, modulePlaybook(`
- name: no key
  ansible.builtin.apt_key: id=${KEY.id} keyring=/etc/apt/trusted.gpg.d/aptp.gpg state=absent
`), PROBE);
    assert.doesNotMatch(removed.after, new RegExp(KEY.id));
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await withKey(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  apt_key:
    id: ${KEY.id}
    sate: absent
`, `playbook.yml:7:9: task "typo": apt_key: unknown argument 'sate'; did you mean 'state'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const host = await withKey(t);
    if (!host) return;
    const short = KEY.id.slice(-8);
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  vars:
    key: |
${KEY.armored.trimEnd().split("\n").map((line) => `      ${line}`).join("\n")}
  tasks:
    - name: add in check mode
      apt_key: { data: "{{ key }}" }
      check_mode: true
    - name: add from data to trusted.gpg
      apt_key: { data: "{{ key }}" }
    - name: again from the file
      ansible.builtin.apt_key: { file: /srv/aptp-key/repo.asc }
    - name: the short id is there
      apt_key: { id: "0x${short}" }
    - name: into a keyring from a url
      apt_key: { url: "http://127.0.0.1:8089/repo.asc", keyring: /etc/apt/trusted.gpg.d/aptp-url.gpg }
    - name: the url again
      apt_key: { url: "http://127.0.0.1:8089/repo.asc", keyring: /etc/apt/trusted.gpg.d/aptp-url.gpg }
    - name: an id of the wrong length
      apt_key: { id: "ABCDEF", state: absent }
      ignore_errors: true
    - name: not a key
      apt_key: { data: "no key here" }
      ignore_errors: true
    - name: removed by its long id
      apt_key: { id: "${KEY.id}", state: absent }
    - name: removed again
      apt_key: { id: "${KEY.id}", state: absent }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: RESET,
      ansible: [
        "add in check mode=changed", "add from data to trusted.gpg=changed", "again from the file=ok", "the short id is there=ok", "into a keyring from a url=changed",
        "the url again=ok", "an id of the wrong length=failed", "not a key=failed", "removed by its long id=changed", "removed again=ok",
      ],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE);
    assert.equal(ours, theirs);
    // apt-key del takes the key out of every keyring it is in (keeping a `~` copy), as under Ansible.
    assert.doesNotMatch(ours, new RegExp(KEY.id));
  });
});
