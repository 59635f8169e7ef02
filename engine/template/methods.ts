/**
 * The Python methods Ansible templates call on values: `d.items()`, `d.get('k')`, `s.split(',')`,
 * `s.startswith('x')`. Only the common ones; an unknown method is an undefined attribute.
 */
import { isMapping, str } from "./py.js";
import { acceptsUndefined } from "./undefined.js";

type Method = (...args: unknown[]) => unknown;

function whitespaceOr(chars: unknown): string {
  return typeof chars === "string" ? chars : " \t\n\r\v\f";
}

function stripStart(s: string, chars: string): string {
  let i = 0;
  while (i < s.length && chars.includes(s.charAt(i))) i++;
  return s.slice(i);
}

function stripEnd(s: string, chars: string): string {
  let i = s.length;
  while (i > 0 && chars.includes(s.charAt(i - 1))) i--;
  return s.slice(0, i);
}

function split(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = typeof maxsplit === "number" && maxsplit >= 0 ? maxsplit : Infinity;
  if (sep === undefined || sep === null) {
    const words = s.trim().split(/\s+/).filter((w) => w !== "");
    if (words.length <= max + 1) return words;
    const head = words.slice(0, max);
    let rest = s.trimStart();
    for (const w of head) rest = rest.slice(rest.indexOf(w) + w.length).trimStart();
    return [...head, rest];
  }
  const sepText = str(sep);
  const parts = s.split(sepText);
  if (parts.length <= max + 1) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(sepText)];
}

function format(s: string, args: unknown[]): string {
  let next = 0;
  return s.replace(/\{\{|\}\}|\{(\d*)\}/g, (m, index: string | undefined) => {
    if (m === "{{") return "{";
    if (m === "}}") return "}";
    const i = index === undefined || index === "" ? next++ : Number(index);
    return str(args[i]);
  });
}

function stringMethod(s: string, name: string): Method | undefined {
  switch (name) {
    case "split":
      return (sep, maxsplit) => split(s, sep, maxsplit);
    case "splitlines":
      return () => s.split(/\r?\n/).filter((line, i, all) => i < all.length - 1 || line !== "");
    case "strip":
      return (chars) => stripEnd(stripStart(s, whitespaceOr(chars)), whitespaceOr(chars));
    case "lstrip":
      return (chars) => stripStart(s, whitespaceOr(chars));
    case "rstrip":
      return (chars) => stripEnd(s, whitespaceOr(chars));
    case "startswith":
      return (prefix) => (Array.isArray(prefix) ? prefix : [prefix]).some((p) => s.startsWith(str(p)));
    case "endswith":
      return (suffix) => (Array.isArray(suffix) ? suffix : [suffix]).some((p) => s.endsWith(str(p)));
    case "lower":
      return () => s.toLowerCase();
    case "upper":
      return () => s.toUpperCase();
    case "replace":
      return (from, to) => s.replaceAll(str(from), str(to));
    case "join":
      return (items) => (Array.isArray(items) ? items.map((i) => str(i)).join(s) : str(items));
    case "format":
      return (...args) => format(s, args);
    default:
      return undefined;
  }
}

function mappingMethod(d: Record<string, unknown>, name: string): Method | undefined {
  switch (name) {
    case "items":
      return () => Object.keys(d).map((k) => [k, d[k]]);
    case "keys":
      return () => Object.keys(d);
    case "values":
      return () => Object.keys(d).map((k) => d[k]);
    case "get":
      // dict.get(key, default=None): the default is returned as is, when the key is missing only.
      return acceptsUndefined(
        (key: unknown, fallback: unknown = null) => (typeof key === "string" && Object.hasOwn(d, key) ? d[key] : fallback),
        { default: 1 },
      );
    default:
      return undefined;
  }
}

/** A Python method of `value` called `name`, bound to it, or undefined. */
export function pythonMethod(value: unknown, name: string): Method | undefined {
  if (typeof value === "string") return stringMethod(value, name);
  if (isMapping(value)) return mappingMethod(value, name);
  return undefined;
}
