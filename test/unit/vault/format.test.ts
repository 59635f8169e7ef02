import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { VaultError } from "../../../engine/errors.js";
import { formatEnvelope, isVaulted, parseEnvelope } from "../../../engine/vault/format.js";
import { readFixture } from "../../helpers/vault.js";

function formatFailure(text: string, reason: RegExp): void {
  assert.throws(
    () => parseEnvelope(text, { loc: { file: "x.yml", line: 3, col: 7 } }),
    (e: unknown) => e instanceof VaultError && e.code === "REMS_VAULT_FORMAT" && reason.test(e.message) && e.describe().startsWith("x.yml:3:7: "),
  );
}

describe("vault envelopes (format 1.1 and 1.2)", () => {
  test("a 1.1 file from ansible-vault: no vault id, a 32-byte salt, a 32-byte HMAC, whole AES blocks", () => {
    const envelope = parseEnvelope(readFixture("vars.1.1.vault.yml"));
    assert.equal(envelope.vaultId, undefined);
    assert.equal(envelope.salt.length, 32);
    assert.equal(envelope.hmac.length, 32);
    assert.equal(envelope.ciphertext.length % 16, 0);
  });

  test("a 1.2 file carries its vault id", () => {
    assert.equal(parseEnvelope(readFixture("vars.1.2-prod.vault.yml")).vaultId, "prod");
  });

  test("formatting what was parsed gives ansible-vault's bytes back (header, 80-column lines, final newline)", () => {
    for (const name of ["vars.1.1.vault.yml", "vars.1.2-prod.vault.yml", "fixed-salt.1.1.vault"]) {
      const text = readFixture(name);
      assert.equal(formatEnvelope(parseEnvelope(text)), text, name);
    }
  });

  test("vault id 'default' is written as format 1.1, as ansible-vault does", () => {
    const envelope = { ...parseEnvelope(readFixture("vars.1.2-prod.vault.yml")), vaultId: "default" };
    assert.match(formatEnvelope(envelope), /^\$ANSIBLE_VAULT;1\.1;AES256\n/);
  });

  test("isVaulted looks at the start only, for text and bytes", () => {
    assert.equal(isVaulted(readFixture("vars.1.1.vault.yml")), true);
    assert.equal(isVaulted(Buffer.from("$ANSIBLE_VAULT;1.1;AES256\n00")), true);
    assert.equal(isVaulted(" $ANSIBLE_VAULT;1.1;AES256"), false);
    assert.equal(isVaulted(Buffer.from("a: $ANSIBLE_VAULT")), false);
  });

  test("a truncated file is a located format error", () => {
    const text = readFixture("vars.1.1.vault.yml");
    formatFailure(text.slice(0, 200), /truncated/);
    formatFailure(text.split("\n").slice(0, 2).join("\n"), /salt, HMAC or ciphertext/);
  });

  test("non-hex text, another cipher or version, a missing header are format errors", () => {
    const text = readFixture("vars.1.1.vault.yml");
    formatFailure(text.replace(/\n3/, "\nz"), /not hexadecimal/);
    formatFailure(text.replace("AES256", "AES"), /cipher 'AES' is not AES256/);
    formatFailure(text.replace(";1.1;", ";2.0;"), /version '2.0'/);
    formatFailure(text.replace("$ANSIBLE_VAULT", "$ANSIBLE_VOLT"), /does not start with/);
  });
});
