/**
 * Python value semantics for Jinja expressions. Ansible users write Jinja, whose values are Python values: an empty
 * list is false, `True` prints as "True", `==` compares lists by content, `"a" + 1` is an error. nunjucks uses
 * JavaScript semantics for all of these, so the compiled templates call these helpers instead (see compiler.ts).
 */

export type Mapping = Record<string, unknown>;

/** A dict in Jinja terms: any non-array object. */
export function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Python's type names, for error messages and the `type_debug` filter. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "string") return "str";
  if (Array.isArray(value)) return "list";
  return "dict";
}

/** Python truthiness: empty strings, lists and dicts, 0 and None are false. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/** Python `==`: by value, lists and dicts by content, no string/number coercion. */
export function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === "boolean" || typeof b === "boolean") return typeof a !== "string" && typeof b !== "string" && Number(a) === Number(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equals(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equals(a[k], b[k]));
  }
  return false;
}

/** Python `<`: numbers with numbers, strings with strings, lists element-wise; anything else is a TypeError. */
export function lessThan(a: unknown, b: unknown, op: string): boolean {
  const num = (v: unknown): v is number | boolean => typeof v === "number" || typeof v === "boolean";
  if (num(a) && num(b)) return Number(a) < Number(b);
  if (typeof a === "string" && typeof b === "string") return a < b;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!equals(a[i], b[i])) return lessThan(a[i], b[i], op);
    }
    return a.length < b.length;
  }
  throw new TypeError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function compare(op: string, a: unknown, b: unknown): boolean {
  if (op !== "==" && op !== "===" && op !== "!=" && op !== "!==") lessThan(a, b, op); // raises for unorderable types, operands in written order
  switch (op) {
    case "==":
    case "===":
      return equals(a, b);
    case "!=":
    case "!==":
      return !equals(a, b);
    case "<":
      return lessThan(a, b, op);
    case ">":
      return lessThan(b, a, op);
    case "<=":
      return !lessThan(b, a, op);
    case ">=":
      return !lessThan(a, b, op);
    default:
      throw new TypeError(`unknown comparison operator ${op}`);
  }
}

/** Python `+`: numbers add, strings and lists concatenate, mixing types is an error. */
export function add(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...(a as unknown[]), ...(b as unknown[])];
  throw new TypeError(`unsupported operand type(s) for +: '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python `in`: substring for strings, key for dicts, element (by value) for lists. */
export function contains(container: unknown, item: unknown): boolean {
  if (typeof container === "string") {
    if (typeof item !== "string") throw new TypeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => equals(x, item));
  if (isMapping(container)) return typeof item === "string" && Object.hasOwn(container, item);
  throw new TypeError(`argument of type '${typeName(container)}' is not iterable`);
}

/** Python `str()`: what `~`, `string` and `join` produce. */
export function str(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return numberStr(value);
  // Class instances (a Secret, a Buffer) print as their own toString says.
  if (typeof value === "object" && !Array.isArray(value) && !isPlain(value)) {
    const printable: { toString(): string } = value;
    return printable.toString();
  }
  return repr(value);
}

/** Python `repr()`: strings quoted, lists and dicts in Python syntax (how Jinja prints a list). */
export function repr(value: unknown): string {
  if (typeof value === "string") return reprString(value);
  if (Array.isArray(value)) return "[" + value.map((v) => repr(v)).join(", ") + "]";
  if (isMapping(value) && isPlain(value)) {
    return "{" + Object.entries(value).map(([k, v]) => `${reprString(k)}: ${repr(v)}`).join(", ") + "}";
  }
  return str(value);
}

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function numberStr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  return String(n);
}

const REPR_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function reprString(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    const esc = REPR_ESCAPES[ch];
    if (esc !== undefined) out += esc;
    else if (ch === q) out += "\\" + ch;
    else if (ch < " " || ch === "\x7f") out += "\\x" + ch.charCodeAt(0).toString(16).padStart(2, "0");
    else out += ch;
  }
  return q + out + q;
}

/** What `{{ value }}` writes into the output: like str(), except None writes nothing (Ansible's finalize). */
export function output(value: unknown): string {
  if (value === null || value === undefined) return "";
  return str(value);
}

function sliceBound(value: unknown, length: number, lower: number, upper: number, fallback: number): number {
  if (value === null || value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`slice indices must be integers or None, not ${typeName(value)}`);
  }
  return value < 0 ? Math.max(value + length, lower) : Math.min(value, upper);
}

/** Python's `seq[start:stop:step]` for lists and strings. */
export function slice(seq: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (typeof seq !== "string" && !Array.isArray(seq)) throw new TypeError(`'${typeName(seq)}' object is not subscriptable`);
  const items: unknown[] = typeof seq === "string" ? Array.from(seq) : seq;
  const by = step === null || step === undefined ? 1 : step;
  if (typeof by !== "number" || !Number.isInteger(by) || by === 0) throw new TypeError("slice step must be a non-zero integer");
  const n = items.length;
  const [lower, upper] = by > 0 ? [0, n] : [-1, n - 1];
  const from = sliceBound(start, n, lower, upper, by > 0 ? lower : upper);
  const to = sliceBound(stop, n, lower, upper, by > 0 ? upper : lower);
  const out: unknown[] = [];
  for (let i = from; by > 0 ? i < to : i > to; i += by) out.push(items[i]);
  return typeof seq === "string" ? out.join("") : out;
}

/** Python's `%` formatting, as Jinja's `format` filter: %s %r %d %i %f %x %o %e and %%, with flags and precision. */
export function percentFormat(template: string, args: readonly unknown[]): string {
  let next = 0;
  return template.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([srdifxXoe%])/g, (_m, flags: string, width: string, precision: string | undefined, kind: string) => {
    if (kind === "%") return "%";
    const arg = args[next++];
    let text: string;
    if (kind === "s") text = str(arg);
    else if (kind === "r") text = repr(arg);
    else if (kind === "d" || kind === "i") text = String(Math.trunc(Number(arg)));
    else if (kind === "f") text = Number(arg).toFixed(precision === undefined ? 6 : Number(precision));
    else if (kind === "e") text = Number(arg).toExponential(precision === undefined ? 6 : Number(precision));
    else text = Math.trunc(Number(arg)).toString(kind === "o" ? 8 : 16);
    if (kind === "X") text = text.toUpperCase();
    if (flags.includes("+") && /^\d/.test(text)) text = "+" + text;
    const w = Number(width || 0);
    if (flags.includes("-")) return text.padEnd(w);
    return flags.includes("0") && kind !== "s" ? text.padStart(w, "0") : text.padStart(w);
  });
}

/** Python `%`: string formatting for a string on the left, else the number remainder (sign of the divisor). */
export function mod(a: unknown, b: unknown): unknown {
  if (typeof a === "string") return percentFormat(a, Array.isArray(b) ? b : [b]);
  if (typeof a === "number" && typeof b === "number") return ((a % b) + b) % b;
  throw new TypeError(`unsupported operand type(s) for %: '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python `*`: numbers multiply, a string or list times an integer repeats. */
export function mul(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return a * b;
  const [seq, times] = typeof b === "number" ? [a, b] : [b, a];
  if (typeof times === "number" && Number.isInteger(times)) {
    if (typeof seq === "string") return seq.repeat(Math.max(times, 0));
    if (Array.isArray(seq)) return Array.from({ length: Math.max(times, 0) }, () => seq as unknown[]).flat();
  }
  throw new TypeError(`unsupported operand type(s) for *: '${typeName(a)}' and '${typeName(b)}'`);
}
