/**
 * Issue 16 item 2: secrets never reach a command line on the host. sudo logs every command line it runs to the
 * journal, and every process's argv is readable by all users in /proc/PID/cmdline (`ps`), so a secret in the text
 * of a command (a vaulted value, a secret-named variable, a no_log task's value, the become password) would leak
 * through both. The run goes over SSH as a lab deploy user with become (sudo with and without a password) while a
 * sampler on the host reads every /proc/PID/cmdline again and again; then the journal (and auth.log, if any) is
 * searched. The sampler proves it sees short-lived command lines with a canary of its own.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DEPLOY_USERS } from "../../../lab/deploy-users.js";
import type { Lab } from "../../helpers/lab.js";
import { sharedLab } from "../../helpers/lab.js";
import { repoRoot, runRemsPlay, writePlaybook } from "../../helpers/rems-play.js";

const lab = sharedLab("sst-argv", 1);
const vaultDir = join(repoRoot, "test/fixtures/vault");
/** vault_app_secret_key of vars.1.1.vault.yml (see vars.yml beside it). */
const VAULTED = "kX9#vault-app-secret-key-0f3a";
const STOP = "/run/sst-sampler-stop";
const PATTERNS = "/run/sst-patterns";
/** What the playbook writes, in the order of its tasks. */
const FILES = "/root/db.txt /root/app.key /root/nolog.txt /root/app.conf /root/copied.txt";

/** A shell command that writes TEXT to FILE without TEXT in its own command line (octal escapes). */
function writeHidden(text: string, file: string): string {
  const escaped = [...Buffer.from(text, "utf8")].map((byte) => `\\${byte.toString(8).padStart(3, "0")}`).join("");
  return `printf '${escaped}' > ${file}`;
}

/**
 * Reads every process's command line until STOP appears, printing each pattern it ever saw and the number of
 * samples. Its own command line holds no pattern: grep reads them from a file.
 */
const SAMPLER = `rm -f ${STOP}; : > /run/sst-hits; n=0; while [ ! -e ${STOP} ]; do grep -a -o -h -F -f ${PATTERNS} /proc/[0-9]*/cmdline >> /run/sst-hits 2>/dev/null; n=$((n+1)); done; echo "samples $n"; sort -u /run/sst-hits`;

function playbook(dbPassword: string, nologValue: string): string {
  // Each shell text waits a second before its last command, so its /bin/sh (and sudo) live long enough to sample.
  return writePlaybook(`- hosts: all
  become: true
  gather_facts: true
  vars_files: [${join(vaultDir, "vars.1.1.vault.yml")}]
  vars:
    db_password: "${dbPassword}"
    nolog_value: "${nologValue}"
  tasks:
    - name: a secret-named variable in shell text
      shell: "echo {{ db_password }} > /root/db.txt; sleep 1; true"
    - name: a vaulted value in shell text
      shell: "printf '%s\\\\n' '{{ vault_app_secret_key }}' > /root/app.key; sleep 1; true"
    - name: a no_log task's value in shell text
      shell: "echo {{ nolog_value }} > /root/nolog.txt; sleep 1; true"
      no_log: true
    - name: a secret in a module's own command (lineinfile)
      lineinfile: { path: /root/app.conf, line: "password={{ db_password }}", create: true, mode: "0600" }
    - name: a secret in the task's environment, and the shell text reading it
      shell: "test \\"$DB_PASSWORD\\" = '{{ db_password }}'; sleep 1; true"
      environment: { DB_PASSWORD: "{{ db_password }}" }
    - name: a secret in a file's content (copy)
      copy: { content: "{{ db_password }}\\n", dest: /root/copied.txt, mode: "0600" }
    - name: as the login user, a secret in shell text (sshd's own command line)
      become: false
      shell: "echo {{ db_password }} > /dev/null; sleep 1; true"
`);
}

function inventory(l: Lab, user: string, becomePassword: string | undefined): string {
  const host = l.hosts[0];
  assert.ok(host);
  const vars = {
    ansible_host: host.address,
    ansible_user: user,
    ansible_ssh_private_key_file: l.keyPath,
    rems_known_hosts_file: l.knownHostsPath,
    ...(becomePassword === undefined ? {} : { ansible_become_password: becomePassword }),
  };
  const path = join(mkdtempSync(join(tmpdir(), "rems-argv-inv-")), "inventory.yml");
  writeFileSync(path, JSON.stringify({ all: { hosts: { [host.name]: vars } } }));
  return path;
}

describe("issue 16 item 2: secrets reach neither sudo's journal nor /proc/*/cmdline", () => {
  for (const user of DEPLOY_USERS) {
    const how = user.sudoPassword === undefined ? "without a sudo password" : "with a sudo password";
    test(`as ${user.name} with become (${how}): no secret in any command line during the run, nor in the journal after`, async (t) => {
      const l = await lab.use(t);
      if (!l) return;
      const host = l.hosts[0]?.name ?? "";
      const dbPassword = `db-${randomBytes(8).toString("hex")}`;
      const nologValue = `nolog-${randomBytes(8).toString("hex")}`;
      const canary = `canary-${randomBytes(8).toString("hex")}`;
      const secrets = [dbPassword, nologValue, VAULTED, ...(user.sudoPassword === undefined ? [] : [user.sudoPassword])];
      const reset = `rm -f ${FILES}; ${writeHidden([...secrets, canary].join("\n") + "\n", PATTERNS)}`;
      assert.equal((await l.ssh(host, reset)).code, 0);

      const sampling = l.ssh(host, SAMPLER);
      // The sampler must see a command line that lives a second: the canary's.
      assert.equal((await l.ssh(host, `sh -c 'sleep 1; true' ${canary}`)).code, 0);
      const run = await runRemsPlay([playbook(dbPassword, nologValue), "-i", inventory(l, user.name, user.sudoPassword), "--vault-password-file", join(vaultDir, "test-password.txt")]);
      assert.equal((await l.ssh(host, `touch ${STOP}`)).code, 0);
      const sampled = await sampling;

      assert.equal(run.exitCode, 0, run.stderr + run.stdout);
      const files = await l.ssh(host, `cat ${FILES}`);
      assert.equal(files.stdout, `${dbPassword}\n${VAULTED}\n${nologValue}\npassword=${dbPassword}\n${dbPassword}\n`, "the tasks used the secrets");
      const seen = sampled.stdout.split("\n").slice(1).filter(Boolean);
      assert.ok(seen.includes(canary), `the sampler saw no canary (${sampled.stdout.split("\n")[0] ?? ""}): it cannot tell`);
      const logs = await l.ssh(host, "journalctl --no-pager; cat /var/log/auth.log 2>/dev/null");
      assert.ok(logs.stdout.includes(`${user.name} : `), "sudo logged nothing: the journal cannot tell");
      const leaks = {
        cmdline: seen.filter((s) => secrets.includes(s)),
        journal: logs.stdout.split("\n").filter((line) => secrets.some((s) => line.includes(s))),
      };
      assert.deepEqual(leaks, { cmdline: [], journal: [] }, "secrets in /proc/*/cmdline during the run, or in the host's journal or auth.log after it");
    });
  }
});
