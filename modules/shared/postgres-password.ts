/**
 * Whether a role's password must be set, decided on the controller as community.postgresql's postgresql_user decides
 * it: the wanted password against the stored verifier (pg_authid.rolpassword), so the password itself never goes
 * to the host to be compared. A stored SCRAM-SHA-256 verifier is checked by deriving its server key from the wanted
 * password with the verifier's salt and iterations (RFC 5802); an md5 one by md5(password + role name).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";

const SCRAM = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;
const MD5 = /^md5[0-9a-f]{32}$/;

/** Whether a password argument is already a hash PostgreSQL stores as given. */
export function isPasswordHash(password: string): boolean {
  return SCRAM.test(password) || MD5.test(password);
}

/**
 * SASLprep (RFC 4013) as far as passwords need it: non-ASCII spaces become spaces, characters mapped to nothing go,
 * then NFKC. PostgreSQL itself falls back to the raw password when SASLprep refuses one.
 */
function saslprep(password: string): string {
  return password
    .replace(/[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g, " ")
    .replace(/\u00ad|\u034f|\u1806|[\u180b-\u180d]|\u200c|\u200d|\u2060|[\ufe00-\ufe0f]|\ufeff/g, "")
    .normalize("NFKC");
}

function scramMatches(stored: RegExpExecArray, password: string): boolean {
  const [, iterations = "", salt = "", , serverKey = ""] = stored;
  const salted = pbkdf2Sync(Buffer.from(saslprep(password), "utf8"), Buffer.from(salt, "base64"), Number(iterations), 32, "sha256");
  return createHmac("sha256", salted).update("Server Key").digest().equals(Buffer.from(serverKey, "base64"));
}

/**
 * Whether setting `password` on role `user` would change what is stored (`stored`: null for no password). The order
 * of the checks is Ansible's: an empty password clears; a SCRAM verifier given is compared as text; a stored SCRAM
 * verifier is checked against the password; an md5 hash given (or encrypted: false) is compared as text; otherwise
 * the md5 of the password.
 */
export function passwordDiffers(stored: string | null, user: string, password: string, encrypted: boolean): boolean {
  if (password === "") return stored !== null;
  if (SCRAM.test(password)) return password !== stored;
  const scram = stored === null ? null : SCRAM.exec(stored);
  if (scram) return !scramMatches(scram, password);
  if (MD5.test(password) || !encrypted) return password !== stored;
  return `md5${createHash("md5").update(password + user).digest("hex")}` !== stored;
}

/** A SCRAM-SHA-256 verifier of `password` as PostgreSQL makes one (4096 iterations, a random salt). */
export function scramVerifier(password: string): string {
  const salt = randomBytes(16);
  const iterations = 4096;
  const salted = pbkdf2Sync(Buffer.from(saslprep(password), "utf8"), salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}
