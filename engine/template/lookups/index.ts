/**
 * The lookups and how templates call them, as Ansible 2.14 does: `lookup(name, terms..., options)` gives the
 * lookup's list joined with commas when it holds only strings, its one item when it holds one, else the list;
 * `query(name, ...)` (also `q`) and `lookup(..., wantlist=True)` always give the list. `errors='ignore'` (or
 * 'warn') turns a failure of the lookup into None (or []). The with_<name> loops call the same lookups (loopLookup).
 */
import { Args } from "../args.js";
import * as py from "../py.js";
import { SCOPE_KEY } from "../runtime.js";
import { MISSING, type Scope } from "../scope.js";
import { RenderError } from "../undefined.js";
import { CONTROLLER, plainController, type Controller } from "./controller.js";
import { DATA_LOOKUPS } from "./data.js";
import { FILE_LOOKUPS } from "./files.js";
import { ini } from "./ini.js";
import type { Lookup, LookupCall } from "./lookup-api.js";
import { password } from "./password.js";
import { sequence } from "./sequence.js";

export const LOOKUPS: Readonly<Record<string, Lookup>> = { ...DATA_LOOKUPS, ...FILE_LOOKUPS, ini, password, sequence };

/** A lookup's name without Ansible's collection prefix (`ansible.builtin.file` is `file`). */
export function lookupName(name: string): string {
  return name.replace(/^ansible\.(builtin|legacy)\./, "");
}

export function isLookup(name: string): boolean {
  return Object.hasOwn(LOOKUPS, lookupName(name));
}

function callOf(scope: Scope, options: Readonly<Record<string, unknown>>, subdir: LookupCall["subdir"]): LookupCall {
  const playbookDir = scope.get("playbook_dir");
  const controller = (scope.hidden(CONTROLLER) as Controller | undefined) ?? plainController(typeof playbookDir === "string" ? playbookDir : process.cwd());
  return {
    options,
    controller,
    subdir,
    variable: (name) => {
      const value = scope.get(name);
      return value === MISSING ? undefined : value;
    },
    variableNames: () => scope.names(),
    renderFile: (source, path, extra) => scope.renderFile(source, path, extra),
  };
}

/** A lookup that failed (not a variable it read): what errors='ignore' lets pass. */
class LookupFailure extends RenderError {}

/** Runs a lookup by name; a failure is a RenderError that names the lookup. */
export function runLookup(name: string, terms: readonly unknown[], scope: Scope, options: Readonly<Record<string, unknown>>, subdir: LookupCall["subdir"]): unknown[] {
  const lookup = LOOKUPS[lookupName(name)];
  if (lookup === undefined) throw new RenderError(`lookup plugin (${name}) not found`);
  try {
    return lookup(terms, callOf(scope, options, subdir));
  } catch (e) {
    if (e instanceof RenderError) throw e;
    throw new LookupFailure(`lookup('${name}') failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The `lookup` (list: false) and `query`/`q` (list: true) functions of templates. */
export function lookupFunction(list: boolean): (this: { ctx: Record<string, unknown> }, ...args: unknown[]) => unknown {
  return function (this: { ctx: Record<string, unknown> }, ...args: unknown[]): unknown {
    const { positional, keywords } = new Args(args);
    const [name, ...terms] = positional;
    if (typeof name !== "string") throw new RenderError(`${list ? "query" : "lookup"}: the first argument is the lookup's name, not ${py.typeName(name)}`);
    const { wantlist = list, errors = "strict", ...options } = keywords;
    const scope = this.ctx[SCOPE_KEY] as Scope;
    let ran: unknown[];
    try {
      ran = runLookup(name, terms, scope, options, "files");
    } catch (e) {
      if (errors === "strict" || !(e instanceof LookupFailure)) throw e;
      return py.truthy(wantlist) ? [] : null;
    }
    if (py.truthy(wantlist) || ran.length === 0) return ran;
    if (ran.every((item) => typeof item === "string")) return ran.join(",");
    return ran.length === 1 ? ran[0] : ran;
  };
}
