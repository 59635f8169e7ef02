import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { UsageError, VaultError } from "../../../engine/errors.js";
import { parseVaultCli } from "../../../engine/vault/command-args.js";
import { runVaultCommand, type VaultIo } from "../../../engine/vault/commands.js";
import { parseEnvelope } from "../../../engine/vault/format.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";
import { parseYaml } from "../../../engine/source/yaml.js";
import { PROD_PASSWORD, readFixture, secret, TEST_PASSWORD, testVault, vaultFixture } from "../../helpers/vault.js";

const passwordFile = vaultFixture("test-password.txt");
const prodFile = vaultFixture("test-password-prod.txt");
const { vault: reader } = testVault(secret(TEST_PASSWORD), secret(PROD_PASSWORD, "prod"));

function workDir(): string {
  return mkdtempSync(join(tmpdir(), "rems-vault-cmd-"));
}

function io(options: { stdin?: string; editor?: string } = {}): VaultIo {
  return {
    ask: () => Promise.reject(new Error("no prompt expected")),
    readStdin: () => Promise.resolve(Buffer.from(options.stdin ?? "")),
    editor: options.editor ?? "false",
  };
}

async function vault(args: string[], options: { stdin?: string; editor?: string } = {}): Promise<{ stdout: string; stderr: string[] }> {
  const command = parseVaultCli(args);
  assert.ok(command);
  const out = await runVaultCommand(command, io(options));
  return { stdout: Buffer.concat(out.stdout).toString("utf8"), stderr: out.stderr };
}

/** Temporary edit directories left behind in the system's temporary directory. */
function editDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith("rems-vault-") && !name.startsWith("rems-vault-cmd-"));
}

describe("rems-play vault: arguments", () => {
  test("no password option means asking (ansible-vault's default); options another action takes are refused", () => {
    assert.deepEqual(parseVaultCli(["view", "a.yml"])?.sources, [{ id: "default", ask: "plain" }]);
    assert.deepEqual(parseVaultCli(["view", "a.yml"], { ANSIBLE_VAULT_PASSWORD_FILE: "pw" })?.sources, [{ id: "default", file: "pw" }]);
    assert.equal(parseVaultCli(["--help"]), undefined);
    assert.throws(() => parseVaultCli(["view", "a.yml", "--output", "x"]), /rems-play vault view does not take --output/);
    assert.throws(() => parseVaultCli(["edit"]), /needs a file/);
    assert.throws(() => parseVaultCli(["frobnicate"]), /expected an action/);
    assert.deepEqual(parseVaultCli(["rekey", "a.yml", "--new-vault-id", "prod@p.txt"])?.newSources, [{ id: "prod", file: "p.txt" }]);
  });
});

describe("rems-play vault: actions", () => {
  test("encrypt in place: 0600, ansible-vault's format; an encrypted file is not encrypted twice", async () => {
    const file = join(workDir(), "vars.yml");
    writeFileSync(file, "a: 1\n", { mode: 0o644 });
    await vault(["encrypt", "--vault-password-file", passwordFile, file]);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, "utf8"), /^\$ANSIBLE_VAULT;1\.1;AES256\n([0-9a-f]{80}\n)+[0-9a-f]{1,80}\n$/);
    assert.equal(reader.decrypt(readFileSync(file, "utf8")).toString("utf8"), "a: 1\n");
    await assert.rejects(vault(["encrypt", "--vault-password-file", passwordFile, file]), /is already vault-encrypted/);
  });

  test("--vault-id label@file labels the data (format 1.2); with two passwords --encrypt-vault-id chooses", async () => {
    const file = join(workDir(), "vars.yml");
    writeFileSync(file, "b: 2\n");
    await assert.rejects(vault(["encrypt", "--vault-id", `dev@${passwordFile}`, "--vault-id", `prod@${prodFile}`, file]), (e: unknown) => e instanceof UsageError && /--encrypt-vault-id/.test(e.message));
    await vault(["encrypt", "--vault-id", `dev@${passwordFile}`, "--vault-id", `prod@${prodFile}`, "--encrypt-vault-id", "prod", file]);
    assert.equal(parseEnvelope(readFileSync(file, "utf8")).vaultId, "prod");
  });

  test("decrypt and view: standard output with --output - or view; in place otherwise", async () => {
    const file = join(workDir(), "vars.yml");
    writeFileSync(file, readFixture("vars.1.2-prod.vault.yml"));
    assert.equal((await vault(["view", "--vault-id", `prod@${prodFile}`, file])).stdout, readFixture("vars.yml"));
    assert.equal((await vault(["decrypt", "--vault-id", `prod@${prodFile}`, "--output", "-", file])).stdout, readFixture("vars.yml"));
    await vault(["decrypt", "--vault-id", `prod@${prodFile}`, file]);
    assert.equal(readFileSync(file, "utf8"), readFixture("vars.yml"));
    assert.equal((await vault(["encrypt", "--vault-password-file", passwordFile], { stdin: "from stdin\n" })).stdout.startsWith("$ANSIBLE_VAULT;1.1;AES256\n"), true);
  });

  test("a wrong password: REMS_VAULT_DECRYPT naming the file; nothing written", async () => {
    const file = join(workDir(), "vars.yml");
    writeFileSync(file, readFixture("vars.1.1.vault.yml"));
    await assert.rejects(vault(["decrypt", "--vault-id", `default@${prodFile}`, file]), (e: unknown) => e instanceof VaultError && e.code === "REMS_VAULT_DECRYPT" && e.describe().startsWith(`${file}:1:1: `));
    assert.equal(readFileSync(file, "utf8"), readFixture("vars.1.1.vault.yml"));
  });

  test("encrypt_string prints inline !vault values that the YAML reader decrypts, named by -n and --stdin-name", async () => {
    const { stdout } = await vault(["encrypt_string", "--vault-password-file", passwordFile, "--stdin-name", "from_stdin", "-n", "first", "one-s3cret", "-"], { stdin: "stdin-s3cret" });
    assert.match(stdout, /^from_stdin: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n/);
    assert.deepEqual(parseYaml(stdout, "pasted.yml", reader).data, { from_stdin: "stdin-s3cret", first: "one-s3cret" });
    assert.equal(parseYaml(stdout, "pasted.yml", NO_VAULT).errors.length, 2, "the values are encrypted");
    await assert.rejects(vault(["encrypt_string", "--vault-password-file", passwordFile, ""]), /empty string/);
  });

  test("edit: the plaintext is only in a 0600 file in a 0700 directory, removed after; written back with the same vault id and mode", async () => {
    const dir = workDir();
    const file = join(dir, "vault.yml");
    writeFileSync(file, readFixture("vars.1.2-prod.vault.yml"));
    chmodSync(file, 0o640);
    const seen = join(dir, "seen");
    const editor = `sh -c 'stat -c "%a %n" "$(dirname "$0")" "$0" > ${seen}; sed -i s/5432/6543/ "$0"'`;
    const before = editDirs();
    await vault(["edit", "--vault-id", `prod@${prodFile}`, file], { editor });
    const [dirMode, fileMode] = readFileSync(seen, "utf8").trim().split("\n").map((line) => line.split(" ")[0]);
    assert.deepEqual([dirMode, fileMode], ["700", "600"]);
    assert.deepEqual(editDirs(), before, "the temporary directory is gone");
    const text = readFileSync(file, "utf8");
    assert.equal(parseEnvelope(text).vaultId, "prod");
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.equal(reader.decrypt(text).toString("utf8"), readFixture("vars.yml").replace("5432", "6543"));
  });

  test("edit writes nothing when nothing changed or the editor fails, and still removes the plaintext", async () => {
    const file = join(workDir(), "vault.yml");
    writeFileSync(file, readFixture("vars.1.1.vault.yml"));
    const before = editDirs();
    await vault(["edit", "--vault-password-file", passwordFile, file], { editor: "true" });
    assert.equal(readFileSync(file, "utf8"), readFixture("vars.1.1.vault.yml"), "byte for byte: not re-encrypted");
    await assert.rejects(vault(["edit", "--vault-password-file", passwordFile, file], { editor: `sh -c 'echo changed > "$0"; exit 1'` }), /failed \(exit code 1\).*left as it was/);
    assert.equal(readFileSync(file, "utf8"), readFixture("vars.1.1.vault.yml"));
    assert.deepEqual(editDirs(), before);
  });

  test("create: a new encrypted file from the editor; an existing file is refused", async () => {
    const file = join(workDir(), "new", "vault.yml");
    await vault(["create", "--vault-password-file", passwordFile, file], { editor: `sh -c 'printf "created: yes\\n" > "$0"'` });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(reader.decrypt(readFileSync(file, "utf8")).toString("utf8"), "created: yes\n");
    await assert.rejects(vault(["create", "--vault-password-file", passwordFile, file], { editor: "true" }), /exists: use rems-play vault edit/);
  });

  test("rekey: the new password opens it, the old one no more; the mode stays", async () => {
    const file = join(workDir(), "vault.yml");
    writeFileSync(file, readFixture("vars.1.1.vault.yml"));
    chmodSync(file, 0o640);
    const out = await vault(["rekey", "--vault-password-file", passwordFile, "--new-vault-id", `prod@${prodFile}`, file]);
    assert.deepEqual(out.stderr, ["Rekey successful"]);
    const text = readFileSync(file, "utf8");
    assert.equal(parseEnvelope(text).vaultId, "prod");
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.equal(testVault(secret(PROD_PASSWORD)).vault.decrypt(text).toString("utf8"), readFixture("vars.yml"));
    assert.throws(() => testVault(secret(TEST_PASSWORD)).vault.decrypt(text), VaultError);
  });
});
