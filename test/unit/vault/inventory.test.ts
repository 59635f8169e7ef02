import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { InputErrors, VaultError } from "../../../engine/errors.js";
import { loadInventory } from "../../../engine/load/inventory.js";
import { MASK } from "../../../engine/mask.js";
import { secret, TEST_PASSWORD, testVault } from "../../helpers/vault.js";

const password = secret(TEST_PASSWORD);

/** An inventory file encrypted whole, in a fresh directory. */
function vaultedInventory(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "rems-vault-inventory-"));
  const { vault } = testVault(password);
  writeFileSync(join(dir, name), vault.encrypt(Buffer.from(text), password));
  return join(dir, name);
}

describe("vault-encrypted inventories", () => {
  test("a YAML inventory encrypted whole is read; its values become secrets, its host and group names do not", () => {
    const file = vaultedInventory("hosts.yml", "all:\n  children:\n    web:\n      hosts:\n        vlt1: { ansible_host: 10.9.8.7, db_pw: inventory-s3cret }\n");
    const { vault, registry } = testVault(password);
    const inventory = loadInventory([file], vault);
    assert.deepEqual(inventory.selectHosts("web"), ["vlt1"]);
    assert.equal(inventory.hostVars("vlt1").db_pw, "inventory-s3cret");
    assert.equal(registry.mask("vlt1 web 10.9.8.7 inventory-s3cret"), `vlt1 web ${MASK} ${MASK}`);
  });

  test("an INI inventory encrypted whole is read as INI", () => {
    const file = vaultedInventory("hosts", "[web]\nvlt2 ansible_connection=local api_key=ini-s3cret\n");
    const { vault } = testVault(password);
    assert.equal(loadInventory([file], vault).hostVars("vlt2").api_key, "ini-s3cret");
  });

  test("without the password: InputErrors with the file located at 1:1", () => {
    const file = vaultedInventory("hosts.yml", "all:\n  hosts:\n    vlt3:\n");
    const { vault } = testVault();
    assert.throws(
      () => loadInventory([file], vault),
      (e: unknown) => e instanceof InputErrors && e.errors.length === 1 && e.errors[0] instanceof VaultError && e.errors[0].describe().startsWith(`${file}:1:1: this file is vault-encrypted`),
    );
  });
});
