/**
 * The documented production inventory is one file holding every site setting (issue 15: a copy of it once lost
 * group_vars/ beside it, and the run issued a self-signed certificate instead of installing the CA's). Its secret
 * is an inline vault value, encrypted (as the example it is) with the test password that lives only under test/.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, test } from "node:test";
import { InputErrors, VaultError } from "../../../engine/errors.js";
import { loadInventory } from "../../../engine/load/inventory.js";
import { MASK } from "../../../engine/mask.js";
import { remsPlayBin, repoRoot } from "../../helpers/rems-play.js";
import { secret, TEST_PASSWORD, testVault, vaultFixture } from "../../helpers/vault.js";

/** The README's first step: the example copied alone, somewhere else. */
function copied(): string {
  const copy = join(mkdtempSync(join(tmpdir(), "rems-site-")), "my-site.yml");
  copyFileSync(join(repoRoot, "inventory/production.yml"), copy);
  return copy;
}

describe("the production inventory", () => {
  test("a copy of the file alone keeps the site settings: name, CA certificate files, code, wheelhouse", () => {
    const { vault } = testVault(secret(TEST_PASSWORD));
    const vars = loadInventory([copied()], vault).hostVars("rems01");
    assert.equal(vars.server_name, "rems.yourdomain.local");
    assert.equal(vars.tls_mode, "internal_ca");
    assert.equal(vars.tls_internal_ca_certificate_src, "/etc/rems-play/certs/rems.yourdomain.local.crt");
    assert.equal(vars.tls_internal_ca_key_src, "/etc/rems-play/certs/rems.yourdomain.local.key");
    assert.equal(vars.app_src, "/srv/releases/rems/current/");
    assert.equal(vars.app_python_deps, "wheelhouse");
    assert.equal(vars.app_wheelhouse_src, "/srv/releases/rems/wheels/");
  });

  test("app_secret_key is the inline vault value, decrypted and a secret", () => {
    const { vault, registry } = testVault(secret(TEST_PASSWORD));
    const vars = loadInventory([copied()], vault).hostVars("rems01");
    assert.equal(vars.app_secret_key, "example-only-replace-me-4f1c9a7e2b");
    assert.equal(registry.mask("SECRET_KEY=example-only-replace-me-4f1c9a7e2b"), `SECRET_KEY=${MASK}`);
  });

  test("without the password it is an input error at the vaulted value", () => {
    const { vault } = testVault();
    const copy = copied();
    assert.throws(
      () => loadInventory([copy], vault),
      (e: unknown) => e instanceof InputErrors && e.errors.some((x) => x instanceof VaultError && x.code === "REMS_VAULT_NO_PASSWORD" && x.loc?.file === copy),
    );
  });

  test("the README's route: the site playbook and the copied inventory load with a password file", () => {
    const result = spawnSync(process.execPath, [remsPlayBin, "playbooks/site.yml", "-i", copied(), "--syntax-check", "--vault-password-file", resolve(vaultFixture("test-password.txt"))], { cwd: repoRoot, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
  });
});
