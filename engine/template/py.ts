/**
 * Python value semantics for Jinja expressions. Ansible users write Jinja, whose values are Python values: an empty
 * list is false, `True` prints as "True", `==` compares lists by content, `"a" + 1` is an error. nunjucks uses
 * JavaScript semantics for all of these, so the compiled templates call these helpers instead (see compiler.ts).
 */

export type Mapping = Record<string, unknown>;

/**
 * A Python float whose value is a whole number (40.0, the result of `/`, `| float`, `| round`): JavaScript's
 * numbers cannot tell it from the int 40, and Python prints it "40.0". Other floats are plain numbers (1.5 is a
 * float by its value). It lives inside a render: materialize (scope.ts) makes it a number.
 */
export class PyFloat {
  constructor(readonly value: number) {}

  valueOf(): number {
    return this.value;
  }

  toString(): string {
    return floatRepr(this.value);
  }
}

/** A float result: a PyFloat when it is a whole number, else the number itself. */
export function float(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

export function isNumber(value: unknown): value is number | PyFloat {
  return typeof value === "number" || value instanceof PyFloat;
}

/** Whether a number is a Python float (a PyFloat, or a number that is not whole: 1.5, inf, nan). */
export function isFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === "number" && !Number.isInteger(value));
}

/** Python's repr of a float: the shortest digits, with an exponent below 1e-4 or from 1e16, and ".0" when whole. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  const [digits = "0", exponentText = "0"] = n.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    return `${digits}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const text = n.toFixed(Math.max(0, (digits.split(".")[1]?.length ?? 0) - exponent));
  return text.includes(".") ? text : `${text}.0`;
}

/** A binary arithmetic result: a float when either operand is one, as in Python. */
function arithmetic(a: number | PyFloat, b: number | PyFloat, result: number): number | PyFloat {
  return isFloat(a) || isFloat(b) ? float(result) : result;
}

/** A dict in Jinja terms: any non-array object but a float. */
export function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof PyFloat);
}

/** Python's type names, for error messages and the `type_debug` filter. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (isNumber(value)) return isFloat(value) ? "float" : "int";
  if (typeof value === "string") return "str";
  if (Array.isArray(value)) return "list";
  return "dict";
}

/** Python truthiness: empty strings, lists and dicts, 0 and None are false. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (isNumber(value)) return Number(value) !== 0;
  if (typeof value === "string") return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/** Python `==`: by value, lists and dicts by content, no string/number coercion. */
export function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (isNumber(a) && isNumber(b)) return Number(a) === Number(b);
  if (typeof a === "boolean" || typeof b === "boolean") return (isNumber(a) || typeof a === "boolean") && (isNumber(b) || typeof b === "boolean") && Number(a) === Number(b);
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
  const num = (v: unknown): v is number | boolean | PyFloat => isNumber(v) || typeof v === "boolean";
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
  if (isNumber(a) && isNumber(b)) return arithmetic(a, b, Number(a) + Number(b));
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
  if (isNumber(value)) return isFloat(value) ? floatRepr(Number(value)) : String(value);
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
  if (isNumber(a) && isNumber(b)) return arithmetic(a, b, ((Number(a) % Number(b)) + Number(b)) % Number(b));
  throw new TypeError(`unsupported operand type(s) for %: '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python `*`: numbers multiply, a string or list times an integer repeats. */
export function mul(a: unknown, b: unknown): unknown {
  if (isNumber(a) && isNumber(b)) return arithmetic(a, b, Number(a) * Number(b));
  const [seq, times] = typeof b === "number" ? [a, b] : [b, a];
  if (typeof times === "number" && Number.isInteger(times)) {
    if (typeof seq === "string") return seq.repeat(Math.max(times, 0));
    if (Array.isArray(seq)) return Array.from({ length: Math.max(times, 0) }, () => seq as unknown[]).flat();
  }
  throw new TypeError(`unsupported operand type(s) for *: '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python `-`. */
export function sub(a: unknown, b: unknown): unknown {
  if (isNumber(a) && isNumber(b)) return arithmetic(a, b, Number(a) - Number(b));
  throw new TypeError(`unsupported operand type(s) for -: '${typeName(a)}' and '${typeName(b)}'`);
}

function divisor(a: unknown, b: unknown, op: string): [number | PyFloat, number | PyFloat] {
  if (!isNumber(a) || !isNumber(b)) throw new TypeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
  if (Number(b) === 0) throw new RangeError(isFloat(a) || isFloat(b) || op === "/" ? "float division by zero" : "integer division or modulo by zero");
  return [a, b];
}

/** Python `/`: always a float. */
export function div(a: unknown, b: unknown): unknown {
  const [x, y] = divisor(a, b, "/");
  return float(Number(x) / Number(y));
}

/** Python `//`: floored, a float when either operand is one. */
export function floorDiv(a: unknown, b: unknown): unknown {
  const [x, y] = divisor(a, b, "//");
  return arithmetic(x, y, Math.floor(Number(x) / Number(y)));
}

/** Python `**`: an int to a negative int power is a float. */
export function pow(a: unknown, b: unknown): unknown {
  if (!isNumber(a) || !isNumber(b)) throw new TypeError(`unsupported operand type(s) for ** or pow(): '${typeName(a)}' and '${typeName(b)}'`);
  const result = Number(a) ** Number(b);
  return isFloat(a) || isFloat(b) || Number(b) < 0 ? float(result) : result;
}

/** Python's unary `-`. */
export function neg(a: unknown): unknown {
  if (isNumber(a)) return isFloat(a) ? float(-Number(a)) : -Number(a);
  if (typeof a === "boolean") return -Number(a);
  throw new TypeError(`bad operand type for unary -: '${typeName(a)}'`);
}
