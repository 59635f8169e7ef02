/**
 * Vault's AES256 cipher as Ansible's VaultAES256 does it, with Node's own crypto: PBKDF2-SHA256 (10,000
 * iterations) of the password and a 32-byte salt gives 80 bytes: the AES-256 key, the HMAC-SHA256 key and the
 * 16-byte CTR counter block. The plaintext is PKCS#7-padded (needless in CTR mode, but part of the format), and
 * the HMAC covers the ciphertext.
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

const ITERATIONS = 10_000;
const KEY_BYTES = 32;
const BLOCK_BYTES = 16;
const SALT_BYTES = 32;

export interface Sealed {
  salt: Buffer;
  hmac: Buffer;
  ciphertext: Buffer;
}

interface Keys {
  cipherKey: Buffer;
  hmacKey: Buffer;
  iv: Buffer;
}

function deriveKeys(password: Buffer, salt: Buffer): Keys {
  const derived = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY_BYTES + BLOCK_BYTES, "sha256");
  return {
    cipherKey: derived.subarray(0, KEY_BYTES),
    hmacKey: derived.subarray(KEY_BYTES, 2 * KEY_BYTES),
    iv: derived.subarray(2 * KEY_BYTES),
  };
}

function hmacOf(key: Buffer, ciphertext: Buffer): Buffer {
  return createHmac("sha256", key).update(ciphertext).digest();
}

function aesCtr(keys: Keys, data: Buffer, direction: "encrypt" | "decrypt"): Buffer {
  const cipher = direction === "encrypt" ? createCipheriv("aes-256-ctr", keys.cipherKey, keys.iv) : createDecipheriv("aes-256-ctr", keys.cipherKey, keys.iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** Encrypts with a fresh random salt (or the given one, for tests that compare with fixed output). */
export function seal(plaintext: Buffer, password: Buffer, salt: Buffer = randomBytes(SALT_BYTES)): Sealed {
  const keys = deriveKeys(password, salt);
  const padding = BLOCK_BYTES - (plaintext.length % BLOCK_BYTES);
  const ciphertext = aesCtr(keys, Buffer.concat([plaintext, Buffer.alloc(padding, padding)]), "encrypt");
  return { salt, hmac: hmacOf(keys.hmacKey, ciphertext), ciphertext };
}

/**
 * Decrypts, or returns undefined when the HMAC does not match: the password is not this data's (or the data was
 * changed). The HMAC is compared in constant time. Also undefined for padding that no vault writer makes.
 */
export function open(sealed: Sealed, password: Buffer): Buffer | undefined {
  const keys = deriveKeys(password, sealed.salt);
  const expected = hmacOf(keys.hmacKey, sealed.ciphertext);
  if (sealed.hmac.length !== expected.length || !timingSafeEqual(sealed.hmac, expected)) return undefined;
  const padded = aesCtr(keys, sealed.ciphertext, "decrypt");
  const padding = padded.at(-1) ?? 0;
  if (padding < 1 || padding > BLOCK_BYTES || padding > padded.length) return undefined;
  if (!padded.subarray(padded.length - padding).every((byte) => byte === padding)) return undefined;
  return padded.subarray(0, padded.length - padding);
}
