/**
 * Vault interoperability with the real ansible-vault (Debian's ansible, ansible-core 2.14): what ansible-vault
 * writes, rems-play reads; what rems-play writes, ansible-vault (and Ansible's YAML loader, for inline values)
 * reads. Both tools run here as child processes on files in a fresh directory, with the test passwords of
 * test/fixtures/vault. Skipped where ansible is not installed, a failure under CI=true (test/helpers/ansible-playbook.ts).
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { readYamlFile } from "../../engine/source/yaml.js";
import { parseEnvelope } from "../../engine/vault/format.js";
import { ansibleAvailable } from "../helpers/ansible-playbook.js";
import { remsPlayBin, repoRoot } from "../helpers/rems-play.js";
import { PROD_PASSWORD, secret, TEST_PASSWORD, testVault, vaultFixture } from "../helpers/vault.js";

const passwordFile = join(repoRoot, vaultFixture("test-password.txt"));
const prodFile = join(repoRoot, vaultFixture("test-password-prod.txt"));
const PLAIN = "site: lab\nsecret: \"ünïcode & 'quotes' s3cret\"\nnumbers: [1, 2, 3]\n";

/** Ansible's tools without colour or the warnings of a run without an inventory. */
const ANSIBLE_ENV = { ...process.env, ANSIBLE_NOCOLOR: "1", ANSIBLE_LOCALHOST_WARNING: "False", ANSIBLE_INVENTORY_UNPARSED_WARNING: "False" };

function ansibleVault(args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync("ansible-vault", args, { encoding: "utf8", input: options.input ?? "", env: { ...ANSIBLE_ENV, ...options.env } });
}

function remsVault(args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync(process.execPath, [remsPlayBin, "vault", ...args], { encoding: "utf8", input: options.input ?? "", env: { ...process.env, ...options.env } });
  assert.equal(result.status, 0, `rems-play vault ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

function file(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The value Ansible's own loader finds for VARIABLE in a YAML file (inline !vault values included), via `ansible -m debug`. */
function ansibleReads(varsFile: string, variable: string, vaultArgs: readonly string[]): unknown {
  const out = execFileSync("ansible", ["localhost", "-m", "debug", "-a", `var=${variable}`, "-e", `@${varsFile}`, ...vaultArgs], {
    encoding: "utf8",
    env: { ...ANSIBLE_ENV, ANSIBLE_LOAD_CALLBACK_PLUGINS: "1", ANSIBLE_STDOUT_CALLBACK: "json" },
  });
  const doc = JSON.parse(out.slice(out.indexOf("{"))) as { plays: { tasks: { hosts: Record<string, Record<string, unknown>> }[] }[] };
  return doc.plays[0]?.tasks[0]?.hosts["localhost"]?.[variable];
}

describe("ansible-vault → rems-play", () => {
  test("files from ansible-vault encrypt (1.1, and 1.2 with --vault-id) are read by rems-play vault view and by the YAML loader", (t) => {
    if (!ansibleAvailable(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "rems-vault-interop-"));
    const v11 = file(dir, "v11.yml", PLAIN);
    const v12 = file(dir, "v12.yml", PLAIN);
    ansibleVault(["encrypt", "--vault-password-file", passwordFile, v11]);
    ansibleVault(["encrypt", "--vault-id", `prod@${prodFile}`, v12]);
    assert.equal(parseEnvelope(readFileSync(v12, "utf8")).vaultId, "prod");
    assert.equal(remsVault(["view", "--vault-password-file", passwordFile, v11]), PLAIN);
    assert.equal(remsVault(["view", "--vault-id", `prod@${prodFile}`, v12]), PLAIN);
    const { vault } = testVault(secret(TEST_PASSWORD), secret(PROD_PASSWORD, "prod"));
    for (const path of [v11, v12]) assert.deepEqual(readYamlFile(path, vault).data, { site: "lab", secret: "ünïcode & 'quotes' s3cret", numbers: [1, 2, 3] });
  });

  test("encrypt_string values (named, from stdin, vault id prod) are read where they stand", (t) => {
    if (!ansibleAvailable(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "rems-vault-interop-"));
    const named = ansibleVault(["encrypt_string", "--vault-password-file", passwordFile, "--name", "db_password", "named-s3cret-ä"]);
    const stdin = ansibleVault(["encrypt_string", "--vault-id", `prod@${prodFile}`, "--stdin-name", "multi"], { input: "two\nlines\n" });
    const vars = file(dir, "vars.yml", `${named}\n${stdin}\nplain: text\n`);
    const { vault } = testVault(secret(TEST_PASSWORD), secret(PROD_PASSWORD, "prod"));
    assert.deepEqual(readYamlFile(vars, vault), { data: { db_password: "named-s3cret-ä", multi: "two\nlines\n", plain: "text" }, errors: [] });
  });

  test("a file ansible-vault rekeyed and edited is read with the new password", (t) => {
    if (!ansibleAvailable(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "rems-vault-interop-"));
    const path = file(dir, "vault.yml", PLAIN);
    ansibleVault(["encrypt", "--vault-password-file", passwordFile, path]);
    ansibleVault(["rekey", "--vault-password-file", passwordFile, "--new-vault-password-file", prodFile, path]);
    ansibleVault(["edit", "--vault-password-file", prodFile, path], { env: { EDITOR: "sed -i s/lab/edited/" } });
    assert.equal(remsVault(["view", "--vault-password-file", prodFile, path]), PLAIN.replace("lab", "edited"));
  });
});

describe("rems-play → ansible-vault", () => {
  test("rems-play vault encrypt (1.1, and 1.2 with --vault-id) is decrypted by ansible-vault", (t) => {
    if (!ansibleAvailable(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "rems-vault-interop-"));
    const v11 = file(dir, "v11.yml", PLAIN);
    const v12 = file(dir, "v12.yml", PLAIN);
    remsVault(["encrypt", "--vault-password-file", passwordFile, v11]);
    remsVault(["encrypt", "--vault-id", `prod@${prodFile}`, v12]);
    assert.match(readFileSync(v12, "utf8"), /^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    assert.equal(ansibleVault(["decrypt", "--vault-password-file", passwordFile, "--output", "-", v11]), PLAIN);
    assert.equal(ansibleVault(["decrypt", "--vault-id", `prod@${prodFile}`, "--output", "-", v12]), PLAIN);
    // Standard input to standard output, and a binary file.
    const binary = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]);
    const piped = spawnSync(process.execPath, [remsPlayBin, "vault", "encrypt", "--vault-password-file", passwordFile], { input: binary });
    assert.equal(piped.status, 0, piped.stderr.toString());
    const decrypted = spawnSync("ansible-vault", ["decrypt", "--vault-password-file", passwordFile, "--output", "-"], { input: piped.stdout, env: ANSIBLE_ENV });
    assert.deepEqual(decrypted.stdout, binary);
  });

  test("rems-play vault encrypt_string output is pasted into YAML that Ansible reads", (t) => {
    if (!ansibleAvailable(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "rems-vault-interop-"));
    const block = remsVault(["encrypt_string", "--vault-id", `prod@${prodFile}`, "-n", "api_token", "rems-made-tökén"]);
    const vars = file(dir, "vars.yml", block);
    assert.equal(ansibleReads(vars, "api_token", ["--vault-id", `prod@${prodFile}`]), "rems-made-tökén");
  });

  test("rems-play vault rekey, edit and create give files ansible-vault opens", (t) => {
    if (!ansibleAvailable(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "rems-vault-interop-"));
    const path = file(dir, "vault.yml", PLAIN);
    ansibleVault(["encrypt", "--vault-password-file", passwordFile, path]);
    remsVault(["rekey", "--vault-password-file", passwordFile, "--new-vault-id", `prod@${prodFile}`, path]);
    remsVault(["edit", "--vault-id", `prod@${prodFile}`, path], { env: { EDITOR: "sed -i s/lab/edited/" } });
    assert.equal(ansibleVault(["decrypt", "--vault-id", `prod@${prodFile}`, "--output", "-", path]), PLAIN.replace("lab", "edited"));
    const created = join(dir, "created.yml");
    remsVault(["create", "--vault-password-file", passwordFile, created], { env: { EDITOR: `sh -c 'printf "made: here\\n" > "$0"'` } });
    assert.equal(ansibleVault(["decrypt", "--vault-password-file", passwordFile, "--output", "-", created]), "made: here\n");
  });

  test("an executable password file is run by both tools, with the same result", (t) => {
    if (!ansibleAvailable(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "rems-vault-interop-"));
    const script = file(dir, "vault-pass.sh", `#!/bin/sh\ncat ${prodFile}\n`);
    chmodSync(script, 0o700);
    const path = file(dir, "vault.yml", PLAIN);
    remsVault(["encrypt", "--vault-password-file", script, path]);
    assert.equal(ansibleVault(["decrypt", "--vault-password-file", prodFile, "--output", "-", path]), PLAIN);
    ansibleVault(["rekey", "--vault-password-file", script, "--new-vault-password-file", passwordFile, path]);
    assert.equal(remsVault(["view", "--vault-password-file", passwordFile, path]), PLAIN);
  });
});
