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

/** Every secret of test/fixtures/vault/site (see make-fixtures.sh), and the password that opens them. */
export const SITE_SECRETS = [
  "group-vars-db-s3cret",
  "group-vars-app-key-9f2e",
  "vars-files-license-77aa",
  "role-defaults-token-5c5c",
  "inline-api-token-d00d",
  "template-literal-s3cret",
  "copy-source-key-material-0b0b",
  TEST_PASSWORD,
];

/** The files the site playbook writes under {{ base }}/<host>/, with the content they must have. */
export const SITE_FILES: Readonly<Record<string, string>> = {
  "app.conf": "# written from a vault-encrypted template\ndb_password=group-vars-db-s3cret\nsecret_key=group-vars-app-key-9f2e\nliteral=template-literal-s3cret\napi_token=inline-api-token-d00d\n",
  "site.key": "-----BEGIN TEST KEY-----\ncopy-source-key-material-0b0b\n-----END TEST KEY-----\n",
  "secrets.env": "license=vars-files-license-77aa\ntoken=inline-api-token-d00d\nrole=role-defaults-token-5c5c\n",
  "role-token": "role_token=role-defaults-token-5c5c\n",
};

/** The secrets of SITE_SECRETS found in a text (an output, a report, a journal): none, or the test fails naming them. */
export function leakedSecrets(text: string): string[] {
  return SITE_SECRETS.filter((secret) => text.includes(secret));
}
