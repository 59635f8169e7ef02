import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { VaultError } from "../../../engine/errors.js";
import { MASK } from "../../../engine/mask.js";
import { locationOf, valueLocationOf } from "../../../engine/source/locations.js";
import { parseYaml, readYamlFile } from "../../../engine/source/yaml.js";
import { PROD_PASSWORD, readFixture, secret, TEST_PASSWORD, testVault, vaultFixture } from "../../helpers/vault.js";

type Map = Record<string, unknown>;

function vaultErrors(errors: readonly unknown[]): VaultError[] {
  return errors.map((e) => {
    assert.ok(e instanceof VaultError, String(e));
    return e;
  });
}

describe("inline !vault values (ansible-vault encrypt_string)", () => {
  const file = vaultFixture("inline.yml");

  test("decrypt where they stand: UTF-8, a 16-byte value, vault id prod, a multi-line value; the rest is untouched", () => {
    const { vault, registry } = testVault(secret(TEST_PASSWORD), secret(PROD_PASSWORD, "prod"));
    const { data, errors } = readYamlFile(file, vault);
    assert.deepEqual(errors, []);
    assert.deepEqual(data, {
      db_password: "S3cret-db-pässword",
      exact_block: "0123456789abcdef",
      prod_token: "prod-token-value",
      multi_line: "line one\nline two: with a colon\n",
      plain_value: "not a secret",
    });
    assert.equal(registry.mask("S3cret-db-pässword / prod-token-value / not a secret"), `${MASK} / ${MASK} / not a secret`);
    // Locations after the vaulted blocks are still right; a vaulted value's is its block (`|`).
    assert.deepEqual(locationOf(data as Map, "plain_value"), { file, line: 31, col: 1 });
    assert.deepEqual(valueLocationOf(data as Map, "prod_token"), { file, line: 16, col: 20 });
  });

  test("without a password: one located error per vaulted value, naming its variable", () => {
    const { vault } = testVault();
    const errors = vaultErrors(readYamlFile(file, vault).errors);
    assert.deepEqual(
      errors.map((e) => [e.code, e.variable, e.loc?.line, e.loc?.col]),
      [
        ["REMS_VAULT_NO_PASSWORD", "db_password", 2, 21],
        ["REMS_VAULT_NO_PASSWORD", "exact_block", 9, 21],
        ["REMS_VAULT_NO_PASSWORD", "prod_token", 16, 20],
        ["REMS_VAULT_NO_PASSWORD", "multi_line", 23, 20],
      ],
    );
    assert.equal(errors[0]?.describe(), `${file}:2:21: the vaulted value of db_password is vault-encrypted, and no vault password was given (--vault-password-file, --vault-id or -J)`);
  });

  test("a wrong password: REMS_VAULT_DECRYPT at the value; nested values are named by their path", () => {
    const { vault: right } = testVault(secret(TEST_PASSWORD));
    const block = right
      .encrypt(Buffer.from("nested s3cret"), secret(TEST_PASSWORD))
      .trimEnd()
      .split("\n")
      .map((line) => `        ${line}\n`)
      .join("");
    const text = `db:\n  users:\n    - name: a\n      pw: !vault |\n${block}`;
    assert.deepEqual(parseYaml(text, "n.yml", right).data, { db: { users: [{ name: "a", pw: "nested s3cret" }] } });
    const { vault: wrong } = testVault(secret("wrong password"));
    const [error] = vaultErrors(parseYaml(text, "n.yml", wrong).errors);
    assert.equal(error?.code, "REMS_VAULT_DECRYPT");
    assert.match(error.describe(), /^n\.yml:4:18: no vault password given opens the vaulted value of db\.users\[0\]\.pw; tried the passwords of vault ids: default\./);
  });
});

describe("files encrypted whole (ansible-vault encrypt)", () => {
  test("are decrypted before parsing; every value (not key) becomes a secret; locations point into the file", () => {
    const file = vaultFixture("vars.1.1.vault.yml");
    const { vault, registry } = testVault(secret(TEST_PASSWORD));
    const { data, errors } = readYamlFile(file, vault);
    assert.deepEqual(errors, []);
    assert.deepEqual(data, { vault_app_secret_key: "kX9#vault-app-secret-key-0f3a", vault_db: { user: "rems", password: "db pass with spaces & 'quotes'" }, vault_ports: [5432, 8443] });
    assert.equal(registry.mask("user rems, port 5432, key kX9#vault-app-secret-key-0f3a, vault_db"), `user ${MASK}, port ${MASK}, key ${MASK}, vault_db`);
    assert.deepEqual(locationOf(data as Map, "vault_db"), { file, line: 3, col: 1 });
    assert.equal(readFixture("vars.yml").split("\n")[2], "vault_db:", "the location is the plaintext's line");
  });

  test("a wrong password or none: one error at the file's first line, and no data", () => {
    const file = vaultFixture("vars.1.2-prod.vault.yml");
    for (const [secrets, code] of [[[secret(TEST_PASSWORD)], "REMS_VAULT_DECRYPT"], [[], "REMS_VAULT_NO_PASSWORD"]] as const) {
      const { vault } = testVault(...secrets);
      const result = readYamlFile(file, vault);
      assert.equal(result.data, undefined);
      const [error] = vaultErrors(result.errors);
      assert.equal(error?.code, code);
      assert.match(error.describe(), new RegExp(`^${file.replaceAll(".", "\\.")}:1:1: .*this file`));
    }
  });
});
