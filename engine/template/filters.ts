/**
 * All filters, and the ones that apply other filters and tests by name (`map('upper')`,
 * `selectattr('port', 'equalto', 80)`), which need the environment's registry.
 */
import { Args } from "./args.js";
import { attributeOf, DATA_FILTERS } from "./filters-data.js";
import { type Filter, TEXT_FILTERS } from "./filters-text.js";
import * as py from "./py.js";
import type { Test } from "./tests.js";
import { Undefined } from "./undefined.js";

export type { Filter } from "./filters-text.js";

export interface Registry {
  filter(name: string): Filter;
  test(name: string): Test;
}

function list(value: unknown, filter: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (py.isMapping(value)) return Object.keys(value);
  throw new TypeError(`${filter}: expected a list, got ${py.typeName(value)}`);
}

/** `select('test', args...)` and friends: the test by name, or truthiness when no test is named. */
function tester(registry: Registry, args: readonly unknown[]): (value: unknown) => boolean {
  const [name, ...testArgs] = args;
  if (name === undefined) return (v) => py.truthy(v);
  const test = registry.test(py.str(name));
  return (v) => test(v, ...testArgs);
}

/** An attribute for selectattr: a missing one is Undefined, so `selectattr('x', 'defined')` works. */
function attributeOrUndefined(item: unknown, path: string): unknown {
  const value = attributeOf(item, path);
  return value === undefined ? new Undefined(path, `'${path}' is undefined`) : value;
}

function selectBy(registry: Registry, filter: string, keep: boolean, byAttribute: boolean): Filter {
  return (value, ...rest) => {
    const [attribute, ...args] = byAttribute ? rest : [undefined, ...rest];
    const passes = tester(registry, args);
    return list(value, filter).filter((item) => {
      const subject = attribute === undefined ? item : attributeOrUndefined(item, py.str(attribute));
      return passes(subject) === keep;
    });
  };
}

export function createFilters(registry: Registry): Record<string, Filter> {
  const map: Filter = (value, ...rest) => {
    const args = new Args(rest);
    const items = list(value, "map");
    const attribute = args.keywords.attribute;
    if (typeof attribute === "string") {
      const hasDefault = Object.hasOwn(args.keywords, "default");
      return items.map((item) => {
        const v = attributeOf(item, attribute);
        if (v !== undefined) return v;
        if (hasDefault) return args.keywords.default;
        throw new TypeError(`map: an item has no attribute '${attribute}'`);
      });
    }
    const [name, ...filterArgs] = args.positional;
    if (name === undefined) throw new TypeError("map: expected a filter name or attribute=");
    const filter = registry.filter(py.str(name));
    const keywords = Object.keys(args.keywords).length > 0 ? [{ ...args.keywords, __keywords: true }] : [];
    return items.map((item) => filter(item, ...filterArgs, ...keywords));
  };
  return {
    ...DATA_FILTERS,
    ...TEXT_FILTERS,
    map,
    select: selectBy(registry, "select", true, false),
    reject: selectBy(registry, "reject", false, false),
    selectattr: selectBy(registry, "selectattr", true, true),
    rejectattr: selectBy(registry, "rejectattr", false, true),
  };
}
