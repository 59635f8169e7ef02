/**
 * Vault through the real CLI on a local host (ansible_connection=local): a playbook with vault data in every place
 * Ansible reads it (test/fixtures/vault/site) runs with the password and writes the decrypted values, while no
 * secret reaches the output, the --json events or the report; without the password, or with a wrong one, the
 * run stops before any host is touched with located errors.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { remsPlayBin, repoRoot, runRemsPlay } from "../../helpers/rems-play.js";
import { leakedSecrets, SITE_FILES, vaultFixture } from "../../helpers/vault.js";

const site = join(repoRoot, "test/fixtures/vault/site");
const playbook = join(site, "playbook.yml");
const passwordFile = join(repoRoot, vaultFixture("test-password.txt"));

function localHost(): { dir: string; inventory: string } {
  const dir = mkdtempSync(join(tmpdir(), "rems-vault-run-"));
  const inventory = join(dir, "inventory.ini");
  writeFileSync(inventory, "vlt-local ansible_connection=local\n");
  return { dir, inventory };
}

/** The CLI without --json (the plain reporter), as a person sees it. */
function plain(args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [remsPlayBin, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe("vault through the command line", () => {
  test("vars_files, group_vars, an inline !vault, role defaults, template and copy sources: decrypted, and masked everywhere", async () => {
    const { dir, inventory } = localHost();
    const report = join(dir, "report.html");
    const args = [playbook, "-i", inventory, "--vault-password-file", passwordFile, "-e", `base=${dir}`];
    const run = await runRemsPlay([...args, "--diff", "-vvv", "--report", report]);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    for (const [name, content] of Object.entries(SITE_FILES)) assert.equal(readFileSync(join(dir, "vlt-local", name), "utf8"), content, name);
    assert.deepEqual(leakedSecrets(run.stdout + run.stderr), [], "--json -vvv --diff output");
    assert.deepEqual(leakedSecrets(readFileSync(report, "utf8")), [], "the report");
    const debug = run.results.find((r) => r.task === "a secret shown by debug");
    assert.deepEqual(debug?.debugVar, { db_password: "********" });
    const template = run.results.find((r) => r.task === "config from a vaulted template");
    assert.equal(template?.diffs?.[0]?.after, "(content from a vault-encrypted source: not shown)\n");

    // The audit afterwards, as a person reads it: nothing to change, nothing shown.
    const audit = plain([...args, "--check", "--diff", "-vvv"]);
    assert.equal(audit.status, 0, audit.output);
    assert.match(audit.output, /vlt-local : ok=6 changed=0/);
    assert.deepEqual(leakedSecrets(audit.output), [], "plain -vvv --diff output");
  });

  test("without a password: exit 4 before any host is touched, each vaulted file and value located and named", async () => {
    const { dir, inventory } = localHost();
    const run = await runRemsPlay([playbook, "-i", inventory, "-e", `base=${dir}`]);
    assert.equal(run.exitCode, 4);
    assert.equal(run.events.length, 0, "no event: nothing ran");
    assert.equal(existsSync(join(dir, "vlt-local")), false, "the host was not touched");
    const lines = run.stderr.trim().split("\n");
    const missing = "is vault-encrypted, and no vault password was given (--vault-password-file, --vault-id or -J)";
    for (const expected of [
      `${playbook}:9:23: the vaulted value of [0].vars.api_token ${missing}`,
      `${site}/secrets.yml:1:1: this file ${missing}`,
      `roles/vaulted/defaults/main.yml:1:1: this file ${missing}`,
      `site/group_vars/all/vault.yml:1:1: this file ${missing}`,
    ]) {
      assert.ok(lines.some((line) => line.startsWith("ERROR: ") && line.endsWith(expected)), `stderr lacks: ${expected}\n${run.stderr}`);
    }
    assert.equal(lines.length, 4, run.stderr);
  });

  test("a wrong password: exit 4 before any host is touched, REMS_VAULT_DECRYPT at each vaulted place", async () => {
    const { dir, inventory } = localHost();
    const wrong = join(dir, "wrong-password.txt");
    writeFileSync(wrong, "not the site's password\n");
    const run = await runRemsPlay([playbook, "-i", inventory, "--vault-id", `default@${wrong}`, "-e", `base=${dir}`]);
    assert.equal(run.exitCode, 4);
    assert.equal(run.events.length, 0);
    assert.ok(run.stderr.includes(`ERROR: ${playbook}:9:23: no vault password given opens the vaulted value of [0].vars.api_token; tried the passwords of vault ids: default.`), run.stderr);
    assert.match(run.stderr, /^ERROR: \S*site\/group_vars\/all\/vault\.yml:1:1: no vault password given opens this file;/m);
    assert.equal(run.stderr.trim().split("\n").length, 4, run.stderr);
    assert.deepEqual(leakedSecrets(run.stderr), []);
  });

  test("a vaulted template or copy source named in a task is opened before the run: a wrong password is exit 4 at its src", async () => {
    const { dir, inventory } = localHost();
    mkdirSync(join(dir, "templates"));
    mkdirSync(join(dir, "files"));
    copyFileSync(join(site, "templates/app.conf.j2"), join(dir, "templates/app.conf.j2"));
    copyFileSync(join(site, "files/site.key"), join(dir, "files/site.key"));
    const playbook = join(dir, "sources.yml");
    writeFileSync(playbook, `- hosts: all\n  gather_facts: false\n  tasks:\n    - template: { src: app.conf.j2, dest: ${dir}/out }\n    - copy: { src: site.key, dest: ${dir}/key }\n`);
    const wrong = join(dir, "wrong-password.txt");
    writeFileSync(wrong, "not the site's password\n");
    const run = await runRemsPlay([playbook, "-i", inventory, "--vault-password-file", wrong]);
    assert.equal(run.exitCode, 4);
    assert.equal(run.events.length, 0, "nothing ran");
    const opens = "no vault password given opens this file; tried the passwords of vault ids: default. A wrong password, or the data was changed";
    assert.deepEqual(run.stderr.trim().split("\n"), [
      `ERROR: ${playbook}:4:24: template src ${join(dir, "templates/app.conf.j2")}: ${opens}`,
      `ERROR: ${playbook}:5:20: copy src ${join(dir, "files/site.key")}: ${opens}`,
    ]);
  });

  test("-e @file vault-encrypted (as Ansible allows): its values are used and masked in every output", async () => {
    const { dir, inventory } = localHost();
    const playbook = join(dir, "extra.yml");
    writeFileSync(playbook, `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { content: "{{ vault_app_secret_key }}", dest: ${dir}/key }\n    - debug: { msg: "key {{ vault_app_secret_key }}" }\n`);
    const args = [playbook, "-i", inventory, "-e", `@${join(repoRoot, vaultFixture("vars.1.1.vault.yml"))}`];
    const run = await runRemsPlay([...args, "--vault-pass-file", passwordFile, "--diff", "-vvv"]);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    assert.equal(readFileSync(join(dir, "key"), "utf8"), "kX9#vault-app-secret-key-0f3a");
    const output = run.stdout + run.stderr;
    assert.ok(!output.includes("kX9#vault-app-secret-key-0f3a") && output.includes("key ********"), output);
    const without = plain(args);
    assert.equal(without.status, 4, without.output);
    assert.match(without.output, /vars\.1\.1\.vault\.yml:1:1: this file is vault-encrypted, and no vault password was given/);
  });

  test("ANSIBLE_VAULT_PASSWORD_FILE gives the password too; a missing password file is exit 4 with REMS_VAULT_PASSWORD", () => {
    const { inventory } = localHost();
    assert.equal(plain([playbook, "-i", inventory, "--syntax-check"], { ANSIBLE_VAULT_PASSWORD_FILE: passwordFile }).status, 0);
    const missing = plain([playbook, "-i", inventory, "--syntax-check", "--vault-password-file", "/nonexistent/pw"]);
    assert.equal(missing.status, 4);
    assert.match(missing.output, /ERROR \[REMS_VAULT_PASSWORD\]: the vault password file \/nonexistent\/pw was not found/);
  });
});
