/** Filters on values and collections: defaults, conversions, dicts and lists. */
import { toBool } from "../truth.js";
import { Args } from "./args.js";
import type { Filter } from "./filters-text.js";
import * as py from "./py.js";
import { attribute } from "./runtime.js";
import { acceptsUndefined, isUndefined, RenderError, Undefined } from "./undefined.js";

/** Reads a (dotted) attribute the way Jinja's attribute= arguments do: "a.b", "0". */
export function attributeOf(item: unknown, path: string): unknown {
  let value = item;
  for (const key of path.split(".")) {
    if (Array.isArray(value) && /^\d+$/.test(key)) value = value[Number(key)];
    else if (py.isMapping(value) && Object.hasOwn(value, key)) value = value[key];
    else return undefined;
  }
  return value;
}

function sequence(value: unknown, filter: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return Array.from(value);
  if (py.isMapping(value)) return Object.keys(value);
  throw new TypeError(`${filter}: expected a list, got ${py.typeName(value)}`);
}

function unique(items: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of items) if (!out.some((x) => py.equals(x, item))) out.push(item);
  return out;
}


/** int(value, default=0, base=10) and float(value, default=0.0): the default is returned as is, on failure only. */
const toInt = acceptsUndefined((value: unknown, ...rest: unknown[]): unknown => {
  const args = new Args(rest);
  const fallback = args.get(0, "default", 0);
  const base = Number(args.get(1, "base", 10));
  if (typeof value === "boolean") return value ? 1 : 0;
  if (py.isNumber(value)) return Number.isFinite(Number(value)) ? Math.trunc(Number(value)) : fallback;
  if (typeof value !== "string") return fallback;
  const text = value.trim().replace(/_/g, "");
  if (base === 10 && /^[+-]?\d+$/.test(text)) return Number(text);
  if (base !== 10) {
    const parsed = Number.parseInt(text.replace(/^0[xob]/i, ""), base);
    return Number.isNaN(parsed) ? fallback : parsed;
  }
  const float = Number(text);
  return text !== "" && Number.isFinite(float) ? Math.trunc(float) : fallback;
}, { default: 1 });

const toFloat = acceptsUndefined((value: unknown, ...rest: unknown[]): unknown => {
  const fallback = new Args(rest).get(0, "default", py.float(0));
  if (typeof value === "boolean" || py.isNumber(value)) return py.float(Number(value));
  if (typeof value !== "string" || value.trim() === "") return fallback;
  // float()'s text: decimal digits with an exponent, or inf/infinity/nan with a sign.
  const text = value.trim().replace(/_/g, "");
  const word = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (word) return word[2]?.toLowerCase() === "nan" ? NaN : word[1] === "-" ? -Infinity : Infinity;
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text) ? py.float(Number(text)) : fallback;
}, { default: 1 });

/** Python's round(): half to even, an int stays an int; Jinja's ceil and floor methods give floats. */
function round(value: unknown, ...rest: unknown[]): unknown {
  const args = new Args(rest);
  const precision = Number(args.get(0, "precision", 0));
  const method = py.str(args.get(1, "method", "common"));
  if (!py.isNumber(value) && typeof value !== "boolean") throw new TypeError(`type ${py.typeName(value)} doesn't define __round__ method`);
  const factor = 10 ** precision;
  const scaled = Number(value) * factor;
  if (method === "ceil" || method === "floor") return py.float((method === "ceil" ? Math.ceil(scaled) : Math.floor(scaled)) / factor);
  if (method !== "common") throw new Error("method must be common, ceil or floor");
  if (!py.isFloat(value) && precision >= 0) return Number(value);
  if (precision < 0 || !Number.isFinite(scaled)) return py.float(Math.round(scaled) / factor);
  // toFixed rounds the exact binary value (2.675 is below 2.675, so 2.67, as Python); an exact tie goes to even.
  const rounded = Number(Number(value).toFixed(precision));
  const tail = Math.abs(Number(value)).toFixed(Math.min(100, precision + 60)).split(".")[1]?.slice(precision) ?? "";
  const tie = /^50*$/.test(tail);
  const odd = Math.abs(Math.round(rounded * factor)) % 2 === 1;
  return py.float(tie && odd ? rounded - Math.sign(rounded) / factor : rounded);
}

/** Jinja's sum(iterable, attribute=None, start=0), with Python's + (a float when any item is one). */
function sum(value: unknown, ...rest: unknown[]): unknown {
  const args = new Args(rest);
  const attribute = args.get(0, "attribute", null);
  const items = Array.isArray(value) ? (value as unknown[]) : [];
  return items.reduce((total, item) => py.add(total, attribute === null ? item : attributeOf(item, py.str(attribute))), args.get(1, "start", 0));
}

type ListMerge = "replace" | "keep" | "append" | "prepend";

function merge(a: py.Mapping, b: py.Mapping, recursive: boolean, lists: ListMerge): py.Mapping {
  const out: py.Mapping = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const old: unknown = out[key];
    if (recursive && py.isMapping(old) && py.isMapping(value)) out[key] = merge(old, value, recursive, lists);
    else if (Array.isArray(old) && Array.isArray(value) && lists !== "replace") {
      const [before, after] = [old as unknown[], value as unknown[]];
      out[key] = lists === "keep" ? before : lists === "append" ? [...before, ...after] : [...after, ...before];
    } else out[key] = value;
  }
  return out;
}

const combine: Filter = (value, ...rest) => {
  const args = new Args(rest);
  const recursive = args.keywords.recursive === true;
  const lists = (args.keywords.list_merge ?? "replace") as ListMerge;
  if (!["replace", "keep", "append", "prepend"].includes(lists)) throw new Error(`combine: unsupported list_merge ${lists}`);
  const dicts: unknown[] = [value, ...args.positional.flatMap((d: unknown) => (Array.isArray(d) ? (d as unknown[]) : [d]))];
  return dicts.reduce<py.Mapping>((acc, d) => {
    if (!py.isMapping(d)) throw new TypeError(`combine: expected dicts, got ${py.typeName(d)}`);
    return merge(acc, d, recursive, lists);
  }, {});
};

function flatten(items: readonly unknown[], levels: number | undefined, skipNulls: boolean): unknown[] {
  return items.flatMap((item) => {
    if (item === null && skipNulls) return [];
    if (Array.isArray(item) && (levels === undefined || levels > 0)) {
      return flatten(item, levels === undefined ? undefined : levels - 1, skipNulls);
    }
    return [item];
  });
}

function sortKey(item: unknown, attribute: unknown, caseSensitive: boolean): unknown {
  const value = typeof attribute === "string" ? attributeOf(item, attribute) : item;
  return typeof value === "string" && !caseSensitive ? value.toLowerCase() : value;
}

function extreme(pick: "min" | "max"): Filter {
  return (value, ...rest) => {
    const args = new Args(rest);
    const items = sequence(value, pick);
    const caseSensitive = args.keywords.case_sensitive === true;
    let best: unknown = undefined;
    for (const item of items) {
      if (best === undefined) best = item;
      else {
        const less = py.lessThan(sortKey(item, args.keywords.attribute, caseSensitive), sortKey(best, args.keywords.attribute, caseSensitive), "<");
        if (pick === "min" ? less : !less && !py.equals(item, best)) best = item;
      }
    }
    return items.length > 0 ? best : new Undefined(pick, "No aggregated item, sequence was empty.");
  };
}

/**
 * Jinja's default(value, default_value='', boolean=False): None is a value, not a missing one. The fallback may be
 * Undefined: it is returned untouched, so it fails only where it is used.
 */
const defaultFilter: Filter = acceptsUndefined(
  (value: unknown, fallback: unknown = "", boolean: unknown = false) =>
    isUndefined(value) || (boolean === true && !py.truthy(value)) ? fallback : value,
  { value: 0, default_value: 1 },
);

/** Ansible's mandatory(a, msg=None): the message is read only when the value is missing. */
const mandatory: Filter = acceptsUndefined((value: unknown, msg: unknown = null) => {
  if (!isUndefined(value)) return value;
  if (msg instanceof Undefined) throw new RenderError(msg.message);
  const name = value instanceof Undefined ? value.name : "value";
  throw new RenderError(typeof msg === "string" ? msg : `Mandatory variable '${name}' not defined.`);
}, { a: 0, msg: 1 });

/** Ansible's ternary(value, true_val, false_val, none_val=None): only the value chosen is used. */
const ternary: Filter = acceptsUndefined(
  (value: unknown, whenTrue: unknown, whenFalse: unknown, whenNone: unknown = null) =>
    value === null && whenNone !== null ? whenNone : py.truthy(value) ? whenTrue : whenFalse,
  { true_val: 1, false_val: 2, none_val: 3 },
);

/**
 * `extract(container, morekeys)`: container[item], then each of morekeys (one key or a list) into that, read as a
 * template's subscript reads them (runtime's attribute); used as `groups.web | map('extract', hostvars, 'ansible_host')`.
 */
const extract: Filter = (item, container, morekeys = null) => {
  const keys: unknown[] = [item, ...(morekeys === null ? [] : Array.isArray(morekeys) ? (morekeys as unknown[]) : [morekeys])];
  return keys.reduce<unknown>((value, key) => attribute(value, key, `${py.typeName(value)} object`), container);
};

/** The first or last item; Jinja's Undefined (its message) for an empty sequence, so a use of it fails. */
function end(which: "first" | "last"): Filter {
  return (value) => {
    const items = sequence(value, which);
    return items.length > 0 ? items.at(which === "first" ? 0 : -1) : new Undefined(which, `No ${which} item, sequence was empty.`);
  };
}

export const DATA_FILTERS: Record<string, Filter> = {
  default: defaultFilter,
  d: defaultFilter,
  mandatory,
  bool: toBool,
  int: toInt,
  float: toFloat,
  round,
  sum,
  type_debug: (v) => py.typeName(v),
  combine,
  dict2items: (value, ...rest) => {
    const args = new Args(rest);
    if (!py.isMapping(value)) throw new TypeError(`dict2items requires a dictionary, got ${py.typeName(value)} instead.`);
    const [k, v] = [String(args.get(0, "key_name", "key")), String(args.get(1, "value_name", "value"))];
    return Object.keys(value).map((key) => ({ [k]: key, [v]: value[key] }));
  },
  items2dict: (value, ...rest) => {
    const args = new Args(rest);
    const [k, v] = [String(args.get(0, "key_name", "key")), String(args.get(1, "value_name", "value"))];
    return Object.fromEntries(sequence(value, "items2dict").map((item) => {
      if (!py.isMapping(item)) throw new TypeError(`items2dict requires a list of dictionaries, got ${py.typeName(item)}`);
      return [py.str(item[k]), item[v]];
    }));
  },
  join: (value, ...rest) => {
    const args = new Args(rest);
    const attribute = args.get(1, "attribute", null);
    const items = sequence(value, "join").map((item) => (typeof attribute === "string" ? attributeOf(item, attribute) : item));
    return items.map((i) => py.str(i)).join(py.str(args.get(0, "d", "")));
  },
  unique: (value) => unique(sequence(value, "unique")),
  ternary,
  extract,
  length: (value) => sequence(value, "length").length,
  count: (value) => sequence(value, "count").length,
  first: end("first"),
  last: end("last"),
  min: extreme("min"),
  max: extreme("max"),
  sort: (value, ...rest) => {
    const args = new Args(rest);
    const reverse = args.get(0, "reverse", false) === true;
    const caseSensitive = args.get(1, "case_sensitive", false) === true;
    const attribute = args.get(2, "attribute", null);
    const sorted = [...sequence(value, "sort")].sort((a, b) => {
      const [ka, kb] = [sortKey(a, attribute, caseSensitive), sortKey(b, attribute, caseSensitive)];
      return py.equals(ka, kb) ? 0 : py.lessThan(ka, kb, "<") ? -1 : 1;
    });
    return reverse ? sorted.reverse() : sorted;
  },
  list: (value) => [...sequence(value, "list")],
  flatten: (value, ...rest) => {
    const args = new Args(rest);
    const levels = args.get(0, "levels", null);
    return flatten(sequence(value, "flatten"), typeof levels === "number" ? levels : undefined, args.get(1, "skip_nulls", true) !== false);
  },
  difference: (a, b) => unique(sequence(a, "difference").filter((x) => !py.contains(sequence(b, "difference"), x))),
  intersect: (a, b) => unique(sequence(a, "intersect").filter((x) => py.contains(sequence(b, "intersect"), x))),
  union: (a, b) => unique([...sequence(a, "union"), ...sequence(b, "union")]),
  symmetric_difference: (a, b) => {
    const [la, lb] = [sequence(a, "symmetric_difference"), sequence(b, "symmetric_difference")];
    return unique([...la.filter((x) => !py.contains(lb, x)), ...lb.filter((x) => !py.contains(la, x))]);
  },
};
