/**
 * SHA-256 and SHA-512 crypt ("$5$salt$hash", "$6$salt$hash"), Ulrich Drepper's algorithm as glibc crypt(3)
 * implements it (https://www.akkadia.org/drepper/SHA-crypt.txt), for `password_hash` and the password lookup.
 */
import { createHash, randomInt } from "node:crypto";

const ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DEFAULT_ROUNDS = 5000;

type Triple = readonly [number, number, number];

/** The byte triples of the final SHA-512 digest, in the order the algorithm encodes them; then byte 63 alone. */
const ORDER_512: readonly Triple[] = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
  [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
  [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];

/** The same for SHA-256; then bytes 31 and 30. */
const ORDER_256: readonly Triple[] = [
  [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29],
];

export type ShaAlgorithm = "sha256" | "sha512";

function digest(algorithm: ShaAlgorithm, ...parts: Buffer[]): Buffer {
  const h = createHash(algorithm);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** `source` repeated to exactly `length` bytes. */
function stretch(source: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += source.length) source.copy(out, i, 0, Math.min(source.length, length - i));
  return out;
}

function encode(b2: number, b1: number, b0: number, chars: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = "";
  for (let i = 0; i < chars; i++) {
    out += ITOA64.charAt(w & 0x3f);
    w >>= 6;
  }
  return out;
}

export function randomSalt(length = 16): string {
  let salt = "";
  for (let i = 0; i < length; i++) salt += ITOA64.charAt(randomInt(ITOA64.length));
  return salt;
}

export function shaCrypt(algorithm: ShaAlgorithm, password: string, saltText: string, rounds?: number): string {
  const size = algorithm === "sha512" ? 64 : 32;
  const r = rounds === undefined ? DEFAULT_ROUNDS : Math.min(Math.max(Math.trunc(rounds), 1000), 999_999_999);
  const p = Buffer.from(password, "utf8");
  const s = Buffer.from(saltText, "utf8").subarray(0, 16);

  const b = digest(algorithm, p, s, p);
  const a = createHash(algorithm).update(p).update(s);
  let len = p.length;
  for (; len > size; len -= size) a.update(b);
  a.update(b.subarray(0, len));
  for (let i = p.length; i > 0; i >>= 1) a.update(i & 1 ? b : p);
  let c = a.digest();

  const pBytes = stretch(digest(algorithm, ...Array<Buffer>(p.length).fill(p)), p.length);
  const sBytes = stretch(digest(algorithm, ...Array<Buffer>(16 + (c[0] ?? 0)).fill(s)), s.length);

  for (let i = 0; i < r; i++) {
    const h = createHash(algorithm);
    h.update(i & 1 ? pBytes : c);
    if (i % 3) h.update(sBytes);
    if (i % 7) h.update(pBytes);
    h.update(i & 1 ? c : pBytes);
    c = h.digest();
  }

  const byte = (i: number): number => c[i] ?? 0;
  const hash = algorithm === "sha512"
    ? ORDER_512.map(([x, y, z]) => encode(byte(x), byte(y), byte(z), 4)).join("") + encode(0, 0, byte(63), 2)
    : ORDER_256.map(([x, y, z]) => encode(byte(x), byte(y), byte(z), 4)).join("") + encode(0, byte(31), byte(30), 3);
  const roundsPart = rounds === undefined ? "" : `rounds=${r}$`;
  return `$${algorithm === "sha512" ? "6" : "5"}$${roundsPart}${s.toString("utf8")}$${hash}`;
}
