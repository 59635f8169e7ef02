/** What a lookup plugin is given and returns, as in Ansible: terms and options in, a list out. */
import type { Controller } from "./controller.js";

/** A failure the lookup expected (a missing file): `errors='ignore'|'warn'` let the template go on without it. */
export class LookupError extends Error {
  override readonly name = "LookupError";
}

export interface LookupCall {
  /** The keyword arguments other than wantlist and errors (`lookup('ini', 'user', section='s1')`). */
  options: Readonly<Record<string, unknown>>;
  controller: Controller;
  /** The subdirectory where a loop's first_found looks first: "templates" for a template task, "vars" for include_vars. */
  subdir: "files" | "templates" | "vars";
  /** A variable with its templates rendered, or undefined when there is none. */
  variable(name: string): unknown;
  variableNames(): string[];
  /** Renders a template file's text with the render's variables and `extra` over them. */
  renderFile(source: string, path: string, extra: Readonly<Record<string, unknown>>): string;
}

export type Lookup = (terms: readonly unknown[], call: LookupCall) => unknown[];

/** Refuses to act on the controller while the run only looks ahead (Controller.effects). */
export function actingNow(call: LookupCall, lookup: string): void {
  if (!call.controller.effects) throw new LookupError(`the ${lookup} lookup runs when its task runs, not while the run looks ahead`);
}

/** An option by name, else the fallback. */
export function option(call: LookupCall, name: string, fallback: unknown): unknown {
  return Object.hasOwn(call.options, name) ? call.options[name] : fallback;
}
