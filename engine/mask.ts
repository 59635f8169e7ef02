/**
 * The one place secrets are masked in text. The run keeps a registry of secret values (become passwords,
 * `no_log` values, variables whose names say they are secret); every event passes through `mask` before a
 * reporter sees it.
 */

export const MASK = "********";

const SECRET_NAME = /(pass(word)?|secret|token|private_key|api_key|credential)/i;

/** Whether a variable name says its value is a secret (SECRET_KEY, db_password, api_token ...). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export class SecretRegistry {
  private readonly values = new Set<string>();

  /** Registers a value to be masked wherever it appears. Very short values are ignored: masking "1" would mask every digit. */
  add(value: unknown): void {
    if (typeof value === "string" && value.length >= 4) this.values.add(value);
    else if (typeof value === "number" && String(value).length >= 4) this.values.add(String(value));
  }

  /** Registers every value whose key names a secret, anywhere in a nested object. */
  addFromVars(vars: unknown): void {
    if (vars === null || typeof vars !== "object") return;
    for (const [key, value] of Object.entries(vars as Record<string, unknown>)) {
      if (isSecretName(key) && (typeof value === "string" || typeof value === "number")) this.add(value);
      else if (typeof value === "object") this.addFromVars(value);
    }
  }

  mask(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) out = out.replaceAll(value, MASK);
    return out;
  }

  /** Masks every string inside a JSON-like value. */
  maskDeep<T>(value: T): T {
    if (typeof value === "string") return this.mask(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.maskDeep(v)) as T;
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.maskDeep(v)])) as T;
    }
    return value;
  }
}
