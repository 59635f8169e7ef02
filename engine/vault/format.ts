/**
 * Ansible Vault's text format, 1.1 and 1.2 (ansible/parsing/vault): a header line
 * `$ANSIBLE_VAULT;1.1;AES256` (1.2 adds `;<vault id>`), then the hex of "hex(salt)\nhex(hmac)\nhex(ciphertext)"
 * in lines of 80 characters. The hex is hexlified twice: Ansible keeps that for compatibility, and so do we.
 */
import { VaultError, type ErrorPlace } from "../errors.js";

export const VAULT_HEADER = "$ANSIBLE_VAULT";
/** The only cipher Ansible still reads and writes. */
export const VAULT_CIPHER = "AES256";
/** The vault id of data without one (format 1.1), and of passwords given without a label. */
export const DEFAULT_VAULT_ID = "default";

export interface VaultEnvelope {
  /** The id in a 1.2 header; undefined for 1.1. Not authenticated: it only says which password to try first. */
  vaultId: string | undefined;
  salt: Buffer;
  /** HMAC-SHA256 of the ciphertext. */
  hmac: Buffer;
  ciphertext: Buffer;
}

/** Whether text (a file, a YAML value) is vault data: it starts with the header, as Ansible's is_encrypted. */
export function isVaulted(text: string | Buffer): boolean {
  return typeof text === "string" ? text.startsWith(VAULT_HEADER) : text.subarray(0, VAULT_HEADER.length).toString("latin1") === VAULT_HEADER;
}

function formatError(reason: string, place: ErrorPlace): VaultError {
  return new VaultError("REMS_VAULT_FORMAT", `not valid vault data: ${reason}`, place);
}

/** Python's unhexlify: even length, hex digits only (Buffer.from would stop silently at the first bad one). */
function unhex(text: string, what: string, place: ErrorPlace): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw formatError(`${what} is not hexadecimal (truncated or edited?)`, place);
  return Buffer.from(text, "hex");
}

/** Reads a vault envelope. Throws a REMS_VAULT_FORMAT VaultError at `place` when it is not one. */
export function parseEnvelope(text: string, place: ErrorPlace = {}): VaultEnvelope {
  const [headerLine = "", ...body] = text.split(/\r?\n/);
  const header = headerLine.trim().split(";").map((part) => part.trim());
  if (header[0] !== VAULT_HEADER) throw formatError(`it does not start with ${VAULT_HEADER}`, place);
  const [, version, cipher, vaultId] = header;
  if (version !== "1.1" && version !== "1.2") throw formatError(`format version '${version ?? ""}' is not 1.1 or 1.2`, place);
  if (cipher !== VAULT_CIPHER) throw formatError(`cipher '${cipher ?? ""}' is not ${VAULT_CIPHER}`, place);
  const inner = unhex(body.map((line) => line.trim()).join(""), "the body", place).toString("latin1");
  const parts = inner.split("\n");
  if (parts.length < 3) throw formatError("the body lacks the salt, HMAC or ciphertext (truncated?)", place);
  const [salt = "", hmac = "", ...rest] = parts;
  return {
    vaultId: vaultId === undefined || vaultId === "" ? undefined : vaultId,
    salt: unhex(salt, "the salt", place),
    hmac: unhex(hmac, "the HMAC", place),
    ciphertext: unhex(rest.join("\n"), "the ciphertext", place),
  };
}

/** Writes an envelope as ansible-vault does: 1.2 with the id unless there is none or it is "default"; ends in "\n". */
export function formatEnvelope(envelope: VaultEnvelope): string {
  const { vaultId } = envelope;
  const labelled = vaultId !== undefined && vaultId !== DEFAULT_VAULT_ID;
  const header = labelled ? `${VAULT_HEADER};1.2;${VAULT_CIPHER};${vaultId}` : `${VAULT_HEADER};1.1;${VAULT_CIPHER}`;
  const inner = [envelope.salt, envelope.hmac, envelope.ciphertext].map((part) => part.toString("hex")).join("\n");
  const hex = Buffer.from(inner, "latin1").toString("hex");
  const lines = [header];
  for (let i = 0; i < hex.length; i += 80) lines.push(hex.slice(i, i + 80));
  return lines.join("\n") + "\n";
}
