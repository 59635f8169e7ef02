/** The vault fixtures (test/fixtures/vault, made by ansible-vault 2.14: see make-fixtures.sh) and their test passwords. */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { SecretRegistry } from "../../engine/mask.js";
import type { VaultSecret } from "../../engine/vault/secrets.js";
import { Vault } from "../../engine/vault/vault.js";

/** Path of a vault fixture relative to the current directory (as messages show it). */
export function vaultFixture(name: string): string {
  return relative(process.cwd(), join(fileURLToPath(new URL("../../../test/fixtures/vault/", import.meta.url)), name));
}

/** The test password of vault id "default" (test-password.txt), and of vault id "prod" (test-password-prod.txt). */
export const TEST_PASSWORD = "rems test vault password";
export const PROD_PASSWORD = "prod test vault password";

export function secret(password: string, id = "default"): VaultSecret {
  return { id, password: Buffer.from(password, "utf8") };
}

/** A vault with these passwords, and the registry its decrypted values go to. */
export function testVault(...secrets: VaultSecret[]): { vault: Vault; registry: SecretRegistry } {
  const registry = new SecretRegistry();
  return { vault: new Vault(secrets, registry), registry };
}

export function readFixture(name: string): string {
  return readFileSync(vaultFixture(name), "utf8");
}
