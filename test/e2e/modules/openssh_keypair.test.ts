/**
 * openssh_keypair on lab hosts: the ladder that makes a key and its reverse, a misspelt argument, a passphrase that
 * appears in no process's command line, and the same tasks under ansible-playbook on a twin (Ansible as the oracle):
 * statuses, then what the keys are afterwards (their types, sizes, comments and modes: the keys themselves are random).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, ladder, modulePlaybook, onHost, runPlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

// Two hosts: the ladder runs on the first, the parity case uses both as twins (rems-play on the first).
const lab = sharedLab("sshp-keypair", 2);
const RESET = "rm -rf /root/keys && mkdir -m 700 /root/keys";
/** Each key's size, type and comment, and each file's mode. */
const KEYS = "cd /root/keys && for f in $(ls); do stat -c '%n %a' $f; done; for f in $(ls | grep -v '[.]pub$'); do ssh-keygen -l -f $f | cut -d' ' -f1,3-; done";

describe("openssh_keypair on a lab host", () => {
  test("makes a key, then removes it: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await onTwins(host, RESET);
    const { after } = await ladder(host, modulePlaybook(`
- name: the backup key
  openssh_keypair: { path: /root/keys/id_backup, type: ed25519, comment: backup@lab }
`), KEYS);
    assert.equal(after, "exit 0\nid_backup 600\nid_backup.pub 644\n256 backup@lab (ED25519)\n");
    const removed = await ladder(host, modulePlaybook(`
- name: no backup key
  community.crypto.openssh_keypair: { path: /root/keys/id_backup, state: absent }
`), KEYS);
    assert.equal(removed.after, "exit 0\n");
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  openssh_keypair:
    path: /root/keys/id
    typ: ed25519
`, `playbook.yml:7:9: task "typo": openssh_keypair: unknown argument 'typ'; did you mean 'type'?`);
  });

  test("a passphrase protects the key and is in no command line on the host", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await onTwins(host, RESET);
    // Every process's command line, sampled while the task runs, must not hold the passphrase.
    await onHost(host, "(while :; do cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '; echo; sleep 0.05; done > /root/cmdlines) >/dev/null 2>&1 & echo $! > /root/sampler.pid");
    const playbook = modulePlaybook(`
- name: a protected key
  openssh_keypair: { path: /root/keys/id_protected, type: ecdsa, size: 384, passphrase: "horse battery staple" }
- name: again
  openssh_keypair: { path: /root/keys/id_protected, type: ecdsa, size: 384, passphrase: "horse battery staple" }
`);
    const run = await runPlaybook(host, playbook, "--limit", host.hosts[0]?.name ?? "lab1");
    assert.equal(run.exitCode, 0, explain(run));
    assert.deepEqual(run.results.map((r) => r.status), ["changed", "ok"], explain(run));
    // The sampler stops before this test's own checks, which give ssh-keygen the passphrase as an argument. A cat it
    // had forked may still be reading /proc when grep starts: the pause lets it end, and the pattern does not match
    // grep's own command line.
    assert.equal(await onHost(host, "kill $(cat /root/sampler.pid); sleep 0.5; grep -c 'hors[e] battery' /root/cmdlines; wc -l < /root/cmdlines | tr -d ' ' | grep -qv '^0$'"), "exit 0\n0\n");
    assert.equal(await onHost(host, "ssh-keygen -y -P '' -f /root/keys/id_protected >/dev/null 2>&1; echo $?"), "exit 0\n255\n");
    assert.match(await onHost(host, "ssh-keygen -y -P 'horse battery staple' -f /root/keys/id_protected"), /^exit 0\necdsa-sha2-nistp384 /);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: a key in check mode
      community.crypto.openssh_keypair: { path: /root/keys/id_ed25519, type: ed25519 }
      check_mode: true
    - name: a key
      community.crypto.openssh_keypair: { path: /root/keys/id_ed25519, type: ed25519 }
      register: made
    - name: its result
      assert: { that: [made.type == 'ed25519', made.size == 256, made.fingerprint is match('SHA256:'), made.public_key is match('ssh-ed25519 '), made.filename == '/root/keys/id_ed25519'] }
    - name: again
      openssh_keypair: { path: /root/keys/id_ed25519, type: ed25519 }
    - name: a comment
      openssh_keypair: { path: /root/keys/id_ed25519, type: ed25519, comment: deploy@lab }
      register: commented
    - name: the same key
      assert: { that: [commented.fingerprint == made.fingerprint, commented.comment == 'deploy@lab'] }
    - name: a mode
      openssh_keypair: { path: /root/keys/id_ed25519, type: ed25519, mode: "0400" }
    - name: another type, regenerate fail
      openssh_keypair: { path: /root/keys/id_ed25519, type: rsa, regenerate: fail }
      ignore_errors: true
    - name: another type, regenerate never
      openssh_keypair: { path: /root/keys/id_ed25519, type: rsa, regenerate: never }
    - name: an rsa key of 2048 bits
      openssh_keypair: { path: /root/keys/id_rsa, size: 2048 }
    - name: its size changed
      openssh_keypair: { path: /root/keys/id_rsa, size: 3072 }
    - name: an ecdsa size of no curve
      openssh_keypair: { path: /root/keys/id_ecdsa, type: ecdsa, size: 1024 }
      ignore_errors: true
    - name: no directory
      openssh_keypair: { path: /root/nosuch/id, type: ed25519 }
      ignore_errors: true
    - name: remove the rsa key
      openssh_keypair: { path: /root/keys/id_rsa, state: absent }
    - name: remove it again
      openssh_keypair: { path: /root/keys/id_rsa, state: absent }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: RESET,
      ansible: [
        "a key in check mode=changed",
        "a key=changed",
        "its result=ok",
        "again=ok",
        "a comment=changed",
        "the same key=ok",
        "a mode=changed",
        "another type, regenerate fail=failed",
        "another type, regenerate never=ok",
        "an rsa key of 2048 bits=changed",
        "its size changed=changed",
        "an ecdsa size of no curve=failed",
        "no directory=failed",
        "remove the rsa key=changed",
        "remove it again=ok",
      ],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, KEYS);
    assert.equal(ours, theirs);
    assert.equal(ours, "id_ed25519 400\nid_ed25519.pub 400\n256 deploy@lab (ED25519)\n");
  });
});
