/** Lookups over data: the loops' old forms (items, list, indexed_items, together, nested, subelements, dict), variables, the environment, a command's output. */
import { spawnSync } from "node:child_process";
import { pyRegex } from "../regex.js";
import * as py from "../py.js";
import { boolean } from "../../truth.js";
import { actingNow, LookupError, option, type Lookup } from "./lookup-api.js";

/** One level of lists opened (Ansible's LookupBase._flatten). */
function flattenOnce(items: readonly unknown[]): unknown[] {
  return items.flatMap((item): unknown[] => (Array.isArray(item) ? (item as unknown[]) : [item]));
}

/** A term read as a list, as Ansible's listify_lookup_plugin_terms reads each of nested's and together's terms. */
function listed(term: unknown): unknown[] {
  return Array.isArray(term) ? term : [term];
}

function text(term: unknown, lookup: string): string {
  if (typeof term !== "string") throw new LookupError(`the ${lookup} lookup takes strings, not ${py.typeName(term)}`);
  return term;
}

const vars: Lookup = (terms, call) =>
  terms.map((term) => {
    const value = call.variable(text(term, "vars"));
    if (value !== undefined) return value;
    if (Object.hasOwn(call.options, "default")) return call.options.default;
    throw new LookupError(`No variable found with this name: ${String(term)}`);
  });

const varnames: Lookup = (terms, call) => {
  const names = call.variableNames();
  return terms.flatMap((term) => {
    const re = pyRegex(text(term, "varnames"), {});
    return names.filter((name) => re.test(name));
  });
};

const dict: Lookup = (terms) =>
  terms.flatMap((term) => {
    if (!py.isMapping(term)) throw new LookupError(`with_dict expects a dict, got ${py.typeName(term)}`);
    return Object.entries(term).map(([key, value]) => ({ key, value }));
  });

const together: Lookup = (terms) => {
  if (terms.length === 0) throw new LookupError("with_together requires at least one element in each list");
  const lists = terms.map(listed);
  const length = Math.max(...lists.map((l) => l.length));
  return Array.from({ length }, (_, i) => flattenOnce(lists.map((l) => (i < l.length ? l[i] : null))));
};

const nested: Lookup = (terms) => {
  if (terms.length === 0) throw new LookupError("with_nested requires at least one element in the nested list");
  const [first, ...rest] = terms.map(listed);
  let combined: unknown[][] = (first ?? []).map((x) => flattenOnce([x]));
  for (const list of rest) combined = combined.flatMap((x) => list.map((y) => flattenOnce([...x, y])));
  return combined;
};

/**
 * Each item of a list (or the values of a dict) with each element of its list under `subkey` (a dotted path). As
 * in Ansible, the item given with each element no longer holds that list.
 */
const subelements: Lookup = (terms) => {
  const [elements, subkey, flags = {}] = terms;
  if (terms.length < 2 || terms.length > 3) throw new LookupError("subelements lookup expects a list of two or three items");
  if (!(Array.isArray(elements) || py.isMapping(elements)) || typeof subkey !== "string" || !py.isMapping(flags)) {
    throw new LookupError("subelements lookup expects a list of two or three items, first a dict or a list, second a string pointing to the subkey");
  }
  if (py.isMapping(elements) && elements.skipped !== undefined && elements.skipped !== false) return [];
  const list = Array.isArray(elements) ? elements : Object.values(elements);
  const skipMissing = boolean(flags.skip_missing ?? false);
  const path = subkey.split(".");
  const out: unknown[] = [];
  for (const element of list) {
    if (!py.isMapping(element)) throw new LookupError(`subelements lookup expects a dictionary, got '${py.str(element)}'`);
    if (element.skipped !== undefined && element.skipped !== false) continue;
    // Copies along the path: the variable's own data keeps its list.
    const item = { ...element };
    let holder: Record<string, unknown> = item;
    let sublist: unknown[] = [];
    for (const [i, key] of path.entries()) {
      const value = holder[key];
      if (!Object.hasOwn(holder, key)) {
        if (skipMissing) break;
        throw new LookupError(`could not find '${key}' key in iterated item '${py.str(holder)}'`);
      }
      if (i < path.length - 1) {
        if (py.isMapping(value)) holder = holder[key] = { ...value };
        else if (skipMissing) break;
        else throw new LookupError(`the key ${key} should point to a dictionary, got '${py.str(value)}'`);
      } else {
        if (!Array.isArray(value)) throw new LookupError(`the key ${key} should point to a list, got '${py.str(value)}'`);
        sublist = value;
        // Ansible pops the list out of the item it pairs with each element.
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
        delete holder[key];
      }
    }
    for (const sub of sublist) out.push([item, sub]);
  }
  return out;
};

const env: Lookup = (terms, call) => {
  const fallback = option(call, "default", "");
  return terms.map((term) => process.env[text(term, "env")] ?? fallback);
};

/** A command's output on the controller, run by /bin/sh in the playbook's directory; a failing command fails the lookup. */
const pipe: Lookup = (terms, call) =>
  terms.map((term) => {
    actingNow(call, "pipe");
    const command = text(term, "pipe");
    const run = spawnSync("/bin/sh", ["-c", command], { cwd: call.controller.search.playbookDir, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (run.status !== 0) throw new LookupError(`lookup_plugin.pipe(${command}) returned ${String(run.status ?? run.signal)}`);
    return run.stdout.trimEnd();
  });

export const DATA_LOOKUPS: Record<string, Lookup> = {
  items: (terms) => flattenOnce(terms),
  list: (terms) => [...terms],
  indexed_items: (terms) => flattenOnce(terms).map((item, i) => [i, item]),
  together,
  nested,
  subelements,
  dict,
  vars,
  varnames,
  env,
  pipe,
};
