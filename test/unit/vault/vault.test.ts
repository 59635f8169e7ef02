import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { VaultError, type VaultErrorCode } from "../../../engine/errors.js";
import { MASK } from "../../../engine/mask.js";
import { PROD_PASSWORD, readFixture, secret, TEST_PASSWORD, testVault, vaultFixture } from "../../helpers/vault.js";

const loc = { file: "group_vars/all/vault.yml", line: 4, col: 14 };

function fails(run: () => unknown, code: VaultErrorCode, message: RegExp): void {
  assert.throws(run, (e: unknown) => e instanceof VaultError && e.code === code && message.test(e.describe()));
}

describe("the run's vault: which password opens what", () => {
  test("ansible-vault's 1.1 and 1.2 files open with their passwords, and the plaintext becomes a secret", () => {
    const { vault, registry } = testVault(secret(TEST_PASSWORD), secret(PROD_PASSWORD, "prod"));
    const plaintext = vault.decrypt(readFixture("vars.1.1.vault.yml")).toString("utf8");
    assert.equal(plaintext, readFixture("vars.yml"));
    assert.equal(vault.decrypt(readFixture("vars.1.2-prod.vault.yml")).toString("utf8"), plaintext);
    assert.equal(registry.mask(`before ${plaintext} after`), `before ${MASK} after`);
  });

  test("the passwords themselves are secrets of the run", () => {
    const { registry } = testVault(secret(TEST_PASSWORD));
    assert.equal(registry.mask(`pw=${TEST_PASSWORD}`), `pw=${MASK}`);
  });

  test("vaulted data and no password: REMS_VAULT_NO_PASSWORD at the value, naming the variable", () => {
    const { vault } = testVault();
    fails(() => vault.decrypt(readFixture("vars.1.1.vault.yml"), { loc, variable: "vault_db_password" }), "REMS_VAULT_NO_PASSWORD", /^group_vars\/all\/vault\.yml:4:14: the vaulted value of vault_db_password is vault-encrypted, and no vault password was given/);
  });

  test("a wrong password: REMS_VAULT_DECRYPT, located, naming the file or variable and the vault ids tried", () => {
    const { vault } = testVault(secret("not the password"));
    fails(() => vault.decrypt(readFixture("vars.1.1.vault.yml"), { loc }), "REMS_VAULT_DECRYPT", /^group_vars\/all\/vault\.yml:4:14: no vault password given opens this file; tried the passwords of vault ids: default/);
    fails(() => vault.decrypt(readFixture("vars.1.1.vault.yml"), { loc, variable: "db_password" }), "REMS_VAULT_DECRYPT", /opens the vaulted value of db_password/);
  });

  test("wrong vault id: data for 'prod' with only another id's password fails and says which id it was for", () => {
    const { vault } = testVault(secret(TEST_PASSWORD, "dev"));
    fails(() => vault.decrypt(readFixture("vars.1.2-prod.vault.yml"), { loc }), "REMS_VAULT_DECRYPT", /\(encrypted for vault id 'prod'\); tried the passwords of vault ids: dev\./);
  });

  test("as in Ansible, the id is a hint: the right password under another label opens it", () => {
    const { vault } = testVault(secret(PROD_PASSWORD, "dev"));
    assert.equal(vault.open(readFixture("vars.1.2-prod.vault.yml")).secret.id, "dev");
  });

  test("the passwords of the data's vault id are tried first, then the others in order", () => {
    const { vault } = testVault(secret(PROD_PASSWORD, "other"), secret(PROD_PASSWORD, "prod"));
    assert.equal(vault.open(readFixture("vars.1.2-prod.vault.yml")).secret.id, "prod");
    const { vault: plain } = testVault(secret(TEST_PASSWORD, "other"), secret(TEST_PASSWORD));
    assert.equal(plain.open(readFixture("vars.1.1.vault.yml")).secret.id, "default", "format 1.1 is vault id default");
  });

  test("a tampered HMAC in the file is refused like a wrong password", () => {
    const { vault } = testVault(secret(TEST_PASSWORD));
    const text = readFixture("fixed-salt.1.1.vault");
    // The HMAC is the second hex line of the inner text; flip one of its hex digits in the outer hex.
    const inner = Buffer.from(text.split("\n").slice(1).join(""), "hex").toString("latin1");
    const [salt, hmac = "", ciphertext] = inner.split("\n");
    const tampered = `${salt ?? ""}\n${hmac.startsWith("0") ? "1" : "0"}${hmac.slice(1)}\n${ciphertext ?? ""}`;
    const outer = Buffer.from(tampered, "latin1").toString("hex").replace(/(.{80})/g, "$1\n");
    fails(() => vault.decrypt(`$ANSIBLE_VAULT;1.1;AES256\n${outer}`, { loc }), "REMS_VAULT_DECRYPT", /no vault password given opens this file/);
  });

  test("a truncated file is a format error even with the right password", () => {
    const { vault } = testVault(secret(TEST_PASSWORD));
    fails(() => vault.decrypt(readFixture("vars.1.1.vault.yml").slice(0, 300), { loc }), "REMS_VAULT_FORMAT", /^group_vars\/all\/vault\.yml:4:14: not valid vault data/);
  });

  test("encrypt writes what decrypt reads, labelled with the password's vault id", () => {
    const { vault } = testVault(secret(TEST_PASSWORD), secret(PROD_PASSWORD, "prod"));
    const prod = secret(PROD_PASSWORD, "prod");
    const text = vault.encrypt(Buffer.from("s3cret value"), prod);
    assert.match(text, /^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    assert.equal(vault.decrypt(text).toString("utf8"), "s3cret value");
    assert.match(vault.encrypt(Buffer.from("x"), secret(TEST_PASSWORD)), /^\$ANSIBLE_VAULT;1\.1;AES256\n/);
  });

  test("readFile decrypts a vault file and leaves any other file as it is", () => {
    const { vault } = testVault(secret(TEST_PASSWORD));
    assert.deepEqual(vault.readFile(vaultFixture("vars.1.1.vault.yml")), { content: Buffer.from(readFixture("vars.yml")), vaulted: true });
    const plain = join(mkdtempSync(join(tmpdir(), "rems-vault-")), "plain.txt");
    writeFileSync(plain, "plain text\n");
    assert.deepEqual(vault.readFile(plain), { content: Buffer.from("plain text\n"), vaulted: false });
  });
});
