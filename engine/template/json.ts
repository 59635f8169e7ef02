/**
 * JSON as Python's json.dumps writes it (what Ansible's to_json and to_nice_json produce): ", " and ": "
 * separators on one line, "," and ": " with an indent, non-ASCII characters escaped.
 */
import { floatRepr, isFloat, isMapping, isNumber } from "./py.js";

export interface DumpOptions {
  indent?: number | undefined;
  sortKeys?: boolean | undefined;
}

function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** An int as its digits, a float as Python's repr (40.0, 1e-05), and JSON's NaN/Infinity as Python writes them. */
function number(value: unknown): string {
  const n = Number(value);
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  return isFloat(value) ? floatRepr(n) : String(n);
}

/** Any other object (a Secret, a Date) as its own toString says. */
function textOf(value: object): string {
  const printable: { toString(): string } = value;
  return printable.toString();
}

export function dumps(value: unknown, options: DumpOptions = {}, level = 0): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (isNumber(value)) return number(value);
  if (typeof value === "string") return quote(value);
  let items: string[];
  let open: string;
  let close: string;
  if (Array.isArray(value)) {
    items = value.map((v: unknown) => dumps(v, options, level + 1));
    [open, close] = ["[", "]"];
  } else if (isMapping(value)) {
    const keys = Object.keys(value);
    if (options.sortKeys === true) keys.sort();
    items = keys.map((k) => `${quote(k)}: ${dumps(value[k], options, level + 1)}`);
    [open, close] = ["{", "}"];
  } else {
    return quote(textOf(value));
  }
  if (items.length === 0) return open + close;
  if (options.indent === undefined) return open + items.join(", ") + close;
  const inner = "\n" + " ".repeat(options.indent * (level + 1));
  return open + inner + items.join("," + inner) + "\n" + " ".repeat(options.indent * level) + close;
}
