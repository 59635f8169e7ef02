/**
 * Acceptance of issue 2's become path through the engine (not only the connection wrapper): a playbook run by the
 * real CLI over SSH to a loopback sshd, as a user whose sudo needs a password given as ansible_become_password in
 * the inventory. The tasks run as root, and the password appears in no output, also with -vvv --diff.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { skipUnlessLoopbackSshd, startLoopbackSshd } from "../helpers/loopback-sshd.js";
import type { LoopbackSshd } from "../helpers/loopback-sshd.js";
import { runRemsPlay, writePlaybook } from "../helpers/rems-play.js";

const run = promisify(execFile);

describe("become with a sudo password from the inventory, through the engine", skipUnlessLoopbackSshd(), () => {
  let sshd: LoopbackSshd;
  const suffix = randomBytes(3).toString("hex");
  const user = `remsqa${suffix}`;
  const password = `Qa-${randomBytes(9).toString("base64url")}'$x`;
  const sudoers = `/etc/sudoers.d/rems-play-qa-${suffix}`;
  const target = mkdtempSync(join(tmpdir(), "rems-become-"));

  before(async () => {
    sshd = await startLoopbackSshd();
    await run("useradd", ["-m", "-s", "/bin/bash", user]);
    const chpasswd = run("chpasswd");
    chpasswd.child.stdin?.end(`${user}:${password}\n`);
    await chpasswd;
    writeFileSync(sudoers, `${user} ALL=(ALL:ALL) ALL\n`, { mode: 0o440 });
    await run("visudo", ["-c", "-f", sudoers]);
  });
  after(async () => {
    await sshd.stop();
    rmSync(sudoers, { force: true });
    rmSync(target, { recursive: true, force: true });
    await run("userdel", ["-r", "-f", user]);
  });

  function inventory(becomePassword: string): string {
    const path = join(mkdtempSync(join(tmpdir(), "rems-become-inv-")), "inventory.yml");
    const vars = {
      ansible_host: sshd.address,
      ansible_port: sshd.port,
      ansible_user: user,
      ansible_ssh_private_key_file: sshd.clientKeyFile,
      rems_known_hosts_file: sshd.knownHostsFile,
      ansible_become: true,
      ansible_become_password: becomePassword,
    };
    writeFileSync(path, JSON.stringify({ all: { hosts: { loop: vars } } }));
    return path;
  }

  const playbook = (): string =>
    writePlaybook(`- hosts: all
  gather_facts: true
  tasks:
    - name: who
      command: id -un
      register: who
      changed_when: false
    - name: show who
      debug:
        msg: "{{ who.stdout }}"
    - name: root-only file
      copy:
        content: "written as root\\n"
        dest: ${target}/root-only.txt
        mode: "0600"
`);

  test("tasks run as root; the password is in no output, plain or --json, even with -vvv --diff", async () => {
    const result = await runRemsPlay([playbook(), "-i", inventory(password), "--diff", "-vvv"]);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.equal(result.results.find((r) => r.task === "show who")?.msg, "root");
    const stat = statSync(join(target, "root-only.txt"));
    assert.deepEqual([stat.uid, stat.mode & 0o777], [0, 0o600]);
    assert.equal(readFileSync(join(target, "root-only.txt"), "utf8"), "written as root\n");
    assert.ok(!result.stdout.includes(password) && !result.stderr.includes(password), "the become password leaked");
  });

  test("a wrong become password fails the host without echoing either password", async () => {
    const wrong = `Wrong-${randomBytes(6).toString("hex")}`;
    const result = await runRemsPlay([playbook(), "-i", inventory(wrong), "-vvv"]);
    assert.equal(result.exitCode, 2, result.stderr + result.stdout);
    assert.equal(result.recap["loop"]?.failed, 1);
    for (const secret of [wrong, password]) assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret));
  });
});
