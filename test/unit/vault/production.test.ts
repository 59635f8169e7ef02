/**
 * The documented production inventory takes its secrets from its vault: inventory/group_vars/rems_servers/vault.yml,
 * encrypted (as the example it is) with the test password that lives only under test/.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, test } from "node:test";
import { InputErrors, VaultError } from "../../../engine/errors.js";
import { loadInventory } from "../../../engine/load/inventory.js";
import { MASK } from "../../../engine/mask.js";
import { repoRoot } from "../../helpers/rems-play.js";
import { secret, TEST_PASSWORD, testVault, vaultFixture } from "../../helpers/vault.js";

const inventory = join(repoRoot, "inventory/production.yml");

describe("the production inventory's vault", () => {
  test("app_secret_key comes from vault_app_secret_key of the encrypted group_vars file, which is a secret", () => {
    const { vault, registry } = testVault(secret(TEST_PASSWORD));
    const vars = loadInventory([inventory], vault).hostVars("rems01");
    assert.equal(vars.app_secret_key, "{{ vault_app_secret_key }}");
    assert.equal(vars.vault_app_secret_key, "example-only-replace-me-4f1c9a7e2b");
    assert.equal(registry.mask("SECRET_KEY=example-only-replace-me-4f1c9a7e2b"), `SECRET_KEY=${MASK}`);
  });

  test("without the password it is an input error naming the vault file", () => {
    const { vault } = testVault();
    assert.throws(
      () => loadInventory([inventory], vault),
      (e: unknown) => e instanceof InputErrors && e.errors.some((x) => x instanceof VaultError && x.code === "REMS_VAULT_NO_PASSWORD" && x.loc?.file.endsWith("inventory/group_vars/rems_servers/vault.yml") === true),
    );
  });

  test("the README's route: the site playbook and the production inventory load with a password file", () => {
    const result = spawnSync(process.execPath, [join(repoRoot, "dist/engine/cli.js"), "playbooks/site.yml", "-i", "inventory/production.yml", "--syntax-check", "--vault-password-file", resolve(vaultFixture("test-password.txt"))], { cwd: repoRoot, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
  });
});
