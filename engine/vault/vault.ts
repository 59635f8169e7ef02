/**
 * The vault of a run: the passwords it was given, and every decryption. Each decrypted value is registered with
 * the run's SecretRegistry here, in the one place that decrypts, so no path can forget it.
 */
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { decodeText, readInputBytes } from "../source/text-file.js";
import { VaultError, type ErrorPlace } from "../errors.js";
import { SecretRegistry } from "../mask.js";
import { open, seal } from "./crypto.js";
import { DEFAULT_VAULT_ID, formatEnvelope, isVaulted, parseEnvelope } from "./format.js";
import type { VaultSecret } from "./secrets.js";

/** Where vaulted data was found: its location, and the variable it is the value of (an inline `!vault`). */
export type VaultPlace = ErrorPlace & { variable?: string | undefined };

export interface Opened {
  plaintext: Buffer;
  /** The password that opened it (edit writes back with it). */
  secret: VaultSecret;
  /** The vault id of the data's header (undefined for format 1.1). */
  vaultId: string | undefined;
}

export class Vault {
  /** Decrypted data by its vault text: a role read once per host is not decrypted once per host. */
  private readonly opened = new Map<string, Opened>();

  constructor(
    readonly secrets: readonly VaultSecret[],
    /** Where every decrypted value is registered as a secret: the run's registry. */
    readonly registry: SecretRegistry,
  ) {
    for (const secret of secrets) registry.add(secret.password.toString("utf8"));
  }

  /** Decrypts vault text; the plaintext becomes a secret of the run. Throws a located VaultError. */
  decrypt(text: string, place: VaultPlace = {}): Buffer {
    return this.open(text, place).plaintext;
  }

  /**
   * Decrypts as Ansible does (vault_id_match off): the passwords of the data's vault id first ("default" for
   * format 1.1), then every other one, because the id in a header is a hint, not part of what is authenticated.
   */
  open(text: string, place: VaultPlace = {}): Opened {
    const known = this.opened.get(text);
    if (known) return known;
    const what = place.variable === undefined ? "this file" : `the vaulted value of ${place.variable}`;
    const envelope = parseEnvelope(text, place);
    if (this.secrets.length === 0) {
      throw new VaultError("REMS_VAULT_NO_PASSWORD", `${what} is vault-encrypted, and no vault password was given (--vault-password-file, --vault-id or -J)`, place);
    }
    const wanted = envelope.vaultId ?? DEFAULT_VAULT_ID;
    const ordered = [...this.secrets.filter((s) => s.id === wanted), ...this.secrets.filter((s) => s.id !== wanted)];
    for (const secret of ordered) {
      const plaintext = open(envelope, secret.password);
      if (plaintext === undefined) continue;
      const opened = { plaintext, secret, vaultId: envelope.vaultId };
      this.registry.add(plaintext.toString("utf8"));
      this.opened.set(text, opened);
      return opened;
    }
    const ids = [...new Set(this.secrets.map((s) => s.id))].join(", ");
    const label = envelope.vaultId === undefined ? "" : ` (encrypted for vault id '${envelope.vaultId}')`;
    throw new VaultError("REMS_VAULT_DECRYPT", `no vault password given opens ${what}${label}; tried the passwords of vault ids: ${ids}. A wrong password, or the data was changed`, place);
  }

  /** Registers every value of data read from a vault-encrypted file as a secret: all of it was encrypted. */
  registerValues(data: unknown): void {
    this.registry.addValues(data);
  }

  /**
   * Encrypts with a given password, labelled with its vault id or `vaultId` (format 1.2 unless the label is
   * "default").
   */
  encrypt(plaintext: Buffer, secret: VaultSecret, vaultId = secret.id): string {
    return formatEnvelope({ vaultId, ...seal(plaintext, secret.password) });
  }

  /**
   * A file on the controller, decrypted when it is vault-encrypted (as Ansible reads every file it loads). `read`
   * reads its bytes: input files (YAML, inventories) go through text-file.ts's limits.
   */
  /** An input text file (YAML, inventory) read with text-file.ts's limits, decrypted, and decoded as UTF-8. */
  readText(path: string): { text: string; vaulted: boolean } {
    const { content, vaulted } = this.readFile(path, readInputBytes);
    return { text: decodeText(path, content), vaulted };
  }

  readFile(path: string, read: (path: string) => Buffer = readFileSync): { content: Buffer; vaulted: boolean } {
    const content = read(path);
    if (!isVaulted(content)) return { content, vaulted: false };
    return { content: this.decrypt(content.toString("utf8"), { loc: { file: path, line: 1, col: 1 } }), vaulted: true };
  }
}

/** Whether the file at `path` is vault-encrypted, told from its first bytes: a big plain file is never read whole. */
export function isVaultedFile(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(64);
    return isVaulted(head.subarray(0, readSync(fd, head, 0, head.length, 0)));
  } finally {
    closeSync(fd);
  }
}

/** A vault without passwords, for text that is not the run's input (the from_yaml filter): vaulted data in it is an error. */
export const NO_VAULT = new Vault([], new SecretRegistry());
