/** Jinja tests (`x is defined`, `result is failed`, `v is version('1.2', '>=')`) with Ansible's meaning. */
import { Args } from "./args.js";
import * as py from "./py.js";
import { pyRegex } from "./regex.js";
import { acceptsUndefined, isUndefined } from "./undefined.js";
import { versionTest } from "./version.js";

export type Test = (value: unknown, ...args: unknown[]) => boolean;

/** Registered task results are dicts; Ansible refuses other values with the same message. */
function result(value: unknown, test: string): py.Mapping {
  if (!py.isMapping(value)) throw new TypeError(`The '${test}' test expects a dictionary`);
  return value;
}

function failed(value: unknown, test = "failed"): boolean {
  return py.truthy(result(value, test).failed);
}

function changed(value: unknown): boolean {
  const r = result(value, "changed");
  if (!Object.hasOwn(r, "changed") && Array.isArray(r.results)) {
    return r.results.some((item: unknown) => py.isMapping(item) && py.truthy(item.changed));
  }
  return py.truthy(r.changed);
}

function skipped(value: unknown): boolean {
  return py.truthy(result(value, "skipped").skipped);
}

/** Python's re.search, re.match (anchored at the start) and re.fullmatch (the whole text) as tests. */
function regexTest(kind: "match" | "search" | undefined): Test {
  return (value, ...rest) => {
    const args = new Args(rest);
    const matchType = kind ?? py.str(args.get(3, "match_type", "search"));
    if (matchType !== "search" && matchType !== "match" && matchType !== "fullmatch") throw new Error(`regex: match_type must be search, match or fullmatch, not '${matchType}'`);
    const pattern = String(args.get(0, "pattern", ""));
    const re = pyRegex(matchType === "fullmatch" ? `(?:${pattern})$(?![\\s\\S])` : pattern, {
      ignorecase: args.get(1, "ignorecase", false),
      multiline: args.get(2, "multiline", false),
    }, matchType === "search" ? "" : "y");
    return re.test(py.str(value));
  };
}

function version(value: unknown, ...rest: unknown[]): boolean {
  const args = new Args(rest);
  return versionTest(py.str(value), py.str(args.get(0, "version")), py.str(args.get(1, "operator", "eq")));
}

const isIterable = (v: unknown): boolean => typeof v === "string" || Array.isArray(v) || py.isMapping(v);
const eq: Test = (v, other) => py.equals(v, other);
const ne: Test = (v, other) => !py.equals(v, other);
const lt: Test = (v, other) => py.compare("<", v, other);
const le: Test = (v, other) => py.compare("<=", v, other);
const gt: Test = (v, other) => py.compare(">", v, other);
const ge: Test = (v, other) => py.compare(">=", v, other);
const isFailed: Test = (v) => failed(v);
const succeeded: Test = (v) => !failed(v, "succeeded");

export const TESTS: Record<string, Test> = {
  defined: acceptsUndefined((v: unknown) => !isUndefined(v), { value: 0 }),
  undefined: acceptsUndefined((v: unknown) => isUndefined(v), { value: 0 }),
  none: (v) => v === null,
  succeeded,
  success: succeeded,
  successful: succeeded,
  failed: isFailed,
  failure: isFailed,
  changed,
  change: changed,
  skipped,
  skip: skipped,
  regex: regexTest(undefined),
  match: regexTest("match"),
  search: regexTest("search"),
  in: (v, container) => py.contains(container, v),
  contains: (container, v) => py.contains(container, v),
  equalto: eq,
  eq,
  "==": eq,
  ne,
  "!=": ne,
  lt,
  "<": lt,
  le,
  "<=": le,
  gt,
  ">": gt,
  ge,
  ">=": ge,
  version,
  version_compare: version,
  string: (v) => typeof v === "string",
  number: (v) => py.isNumber(v),
  boolean: (v) => typeof v === "boolean",
  mapping: (v) => py.isMapping(v),
  iterable: isIterable,
  sequence: isIterable,
  sameas: (v, other) => v === other,
  truthy: (v) => py.truthy(v),
  falsy: (v) => !py.truthy(v),
  subset: (v, other) => Array.isArray(v) && Array.isArray(other) && v.every((x) => py.contains(other, x)),
  superset: (v, other) => Array.isArray(v) && Array.isArray(other) && other.every((x) => py.contains(v, x)),
};
