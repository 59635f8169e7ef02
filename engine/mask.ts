/**
 * The one place secrets are masked in text. The run keeps a registry of secret values (become passwords,
 * `no_log` values, variables whose names say they are secret, every value decrypted from a vault); every event
 * passes through `mask` before a reporter sees it.
 */

export const MASK = "********";

const SECRET_NAME = /(pass(word)?|secret|token|private_key|api_key|credential)/i;
/** A name that says where a secret is kept (ansible_ssh_private_key_file, app_secret_key_file) holds a path. */
const PLACE_NAME = /_(file|path|dir)$/i;

/** Answers by name: every task of every host asks about every variable. */
const secretNames = new Map<string, boolean>();

/** Whether a variable name says its value is a secret (SECRET_KEY, db_password, api_token ...), not where one is. */
export function isSecretName(name: string): boolean {
  let secret = secretNames.get(name);
  if (secret === undefined) {
    secret = SECRET_NAME.test(name) && !PLACE_NAME.test(name);
    secretNames.set(name, secret);
  }
  return secret;
}

export class SecretRegistry {
  /** The secret values, longest first: a secret that contains another is masked whole. */
  private longestFirst: readonly string[] = [];

  /** Registers a value to be masked wherever it appears. Very short values are ignored: masking "1" would mask every digit. */
  add(value: unknown): void {
    const text = typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
    if (text === undefined || text.length < 4 || this.longestFirst.includes(text)) return;
    this.longestFirst = [...this.longestFirst, text].sort((a, b) => b.length - a.length);
  }

  /** Registers every value whose key names a secret, anywhere in a nested object. */
  addFromVars(vars: unknown): void {
    if (vars === null || typeof vars !== "object") return;
    for (const [key, value] of Object.entries(vars as Record<string, unknown>)) {
      if (isSecretName(key) && (typeof value === "string" || typeof value === "number")) this.add(value);
      else if (typeof value === "object") this.addFromVars(value);
    }
  }

  /** Registers every value (never a key) anywhere in a nested object: for data that was encrypted whole. */
  addValues(value: unknown): void {
    if (Array.isArray(value)) for (const item of value) this.addValues(item);
    else if (value !== null && typeof value === "object") for (const item of Object.values(value)) this.addValues(item);
    else this.add(value);
  }

  mask(text: string): string {
    let out = text;
    for (const value of this.longestFirst) out = out.replaceAll(value, MASK);
    return out;
  }

  /** Masks every string inside a JSON-like value (a copy; with no secret registered, the value itself). */
  maskDeep<T>(value: T): T {
    return this.longestFirst.length === 0 ? value : this.copyMasked(value);
  }

  private copyMasked<T>(value: T): T {
    if (typeof value === "string") return this.mask(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.copyMasked(v)) as T;
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) out[key] = this.copyMasked((value as Record<string, unknown>)[key]);
      return out as T;
    }
    return value;
  }
}
