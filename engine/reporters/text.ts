/** Text helpers shared by the reporters: Ansible-style banners, escape-free text, flushing a stream. */

/** Headers are padded to a fixed width (80, as CI logs have) rather than to the terminal's. */
export const BANNER_WIDTH = 80;

/** "TASK [name] *****…" as Ansible prints section headers. */
export function banner(title: string): string {
  return `${title} ${"*".repeat(Math.max(3, BANNER_WIDTH - title.length - 1))}`;
}

// CSI (colors, cursor moves) and OSC (titles, links) sequences, then any other C0 control or DEL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Text safe for a log: escape sequences that arrive inside events (a command's colored stderr) are dropped, other
 * control characters are shown as \xHH, so plain output never carries an escape code.
 */
export function sanitize(text: string): string {
  return text
    .replace(ESCAPE_SEQUENCE, "")
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** A copy of an event's value with every string in it sanitized (text from hosts, before a terminal shows it). */
export function sanitizeDeep<T>(value: T): T {
  if (typeof value === "string") return sanitize(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => sanitizeDeep(v)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]: [string, unknown]) => [k, sanitizeDeep(v)])) as T;
  }
  return value;
}

/** Resolves once everything written before has been handed to the stream's destination. */
export function flush(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => { resolve(); }));
}

/** JSON.stringify of an object, taking what events may carry from registered results: bigints become strings. */
export function toJson(value: object, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), indent);
}
