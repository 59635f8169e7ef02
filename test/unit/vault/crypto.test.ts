import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { open, seal } from "../../../engine/vault/crypto.js";
import { formatEnvelope, parseEnvelope } from "../../../engine/vault/format.js";
import { readFixture, TEST_PASSWORD } from "../../helpers/vault.js";

const password = Buffer.from(TEST_PASSWORD);

describe("vault AES256 (PBKDF2-SHA256, AES-256-CTR, HMAC-SHA256)", () => {
  test("the published test vector of ansible-core's unit tests decrypts to 'Setec Astronomy'", () => {
    const plaintext = open(parseEnvelope(readFixture("published-setec.1.1.vault")), Buffer.from("test-vault-password"));
    assert.equal(plaintext?.toString("utf8"), "Setec Astronomy");
  });

  test("with Ansible's salt, encryption gives byte for byte what Ansible 2.14's VaultLib wrote", () => {
    const expected = readFixture("fixed-salt.1.1.vault");
    const sealed = seal(Buffer.from("known answer: 17 bytes and more\n"), password, Buffer.from("rems-fixed-salt-0123456789abcdef"));
    assert.equal(formatEnvelope({ vaultId: undefined, ...sealed }), expected);
    assert.equal(formatEnvelope({ vaultId: "prod", ...sealed }), readFixture("fixed-salt.1.2-prod.vault"));
  });

  test("ansible-vault's 1.1 file and its 1.2 file (vault id prod) decrypt to the vars file they were made from", () => {
    assert.equal(open(parseEnvelope(readFixture("vars.1.1.vault.yml")), password)?.toString("utf8"), readFixture("vars.yml"));
    const prod = open(parseEnvelope(readFixture("vars.1.2-prod.vault.yml")), Buffer.from("prod test vault password"));
    assert.equal(prod?.toString("utf8"), readFixture("vars.yml"));
  });

  test("a wrong password does not open it", () => {
    assert.equal(open(parseEnvelope(readFixture("vars.1.1.vault.yml")), Buffer.from("wrong password")), undefined);
  });

  test("a changed HMAC or a changed ciphertext byte does not open it", () => {
    const envelope = parseEnvelope(readFixture("vars.1.1.vault.yml"));
    const hmac = Buffer.from(envelope.hmac);
    hmac[0] = (hmac[0] ?? 0) ^ 1;
    assert.equal(open({ ...envelope, hmac }, password), undefined);
    const ciphertext = Buffer.from(envelope.ciphertext);
    ciphertext[5] = (ciphertext[5] ?? 0) ^ 0x80;
    assert.equal(open({ ...envelope, ciphertext }, password), undefined);
    assert.equal(open({ ...envelope, hmac: envelope.hmac.subarray(0, 16) }, password), undefined);
  });

  test("seal and open round-trip every length around the block size, with a fresh salt each time", () => {
    for (const length of [0, 1, 15, 16, 17, 31, 32, 33, 1000]) {
      const plaintext = Buffer.alloc(length, 0x61 + (length % 26));
      const sealed = seal(plaintext, password);
      assert.equal(sealed.ciphertext.length, (Math.floor(length / 16) + 1) * 16);
      assert.deepEqual(open(sealed, password), plaintext);
    }
    assert.notDeepEqual(seal(Buffer.from("x"), password).salt, seal(Buffer.from("x"), password).salt);
  });
});
