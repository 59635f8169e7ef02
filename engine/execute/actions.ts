/**
 * Engine actions: tasks that act on the run rather than on the host (debug, assert, fail, set_fact).
 * They never touch the host, so check mode runs them as in a normal run.
 */
import { TaskFailedError } from "../errors.js";
import type { Vars } from "../types.js";

export interface ActionResult {
  changed: boolean;
  failed: boolean;
  msg?: unknown;
  /** debug var=: the variable's name and value, which are the result's fields in place of msg (as Ansible's). */
  debugVar?: Vars;
  /** set_fact: the facts to store for the host. */
  facts?: Vars;
}

export interface ActionHelpers {
  /** Evaluates a condition in the task's variables. */
  condition(expression: unknown): boolean;
  /** Evaluates an expression (debug's var) in the task's variables. */
  value(expression: string): unknown;
  place: { host: string; task: string };
}

/** A variable, or an attribute path into one: result.stdout, hostvars['web1'].ansible_host. */
const VARIABLE_PATH = /^[A-Za-z_]\w*(?:\.\w+|\[[^\]]+\])*$/;

/** The texts Ansible's set_fact turns into booleans. */
const BOOLEAN_TEXT = new Set(["true", "false", "yes", "no"]);

/** Runs debug, assert, fail or set_fact with already templated arguments (assert's `that` is left raw and evaluated here). */
export function runAction(action: string, args: Vars, rawArgs: Vars, helpers: ActionHelpers): ActionResult {
  switch (action) {
    case "debug":
      if ("var" in args) {
        // var names a variable (or an expression) to show, not a text: Ansible prints its value, and a message in
        // place of a variable that is not defined.
        const name = text(rawArgs.var);
        const missing = VARIABLE_PATH.test(name) && !helpers.condition(`${name} is defined`);
        const value = missing ? "VARIABLE IS NOT DEFINED!" : helpers.value(name);
        return { changed: false, failed: false, debugVar: { [name]: value } };
      }
      return { changed: false, failed: false, msg: args.msg ?? "Hello world!" };
    case "fail":
      throw new TaskFailedError(text(args.msg ?? "Failed as requested from task"), helpers.place);
    case "set_fact": {
      const { cacheable: _cacheable, ...facts } = args;
      // As Ansible (without jinja2_native): a value that is the text of a boolean becomes that boolean.
      for (const [name, value] of Object.entries(facts)) if (typeof value === "string" && BOOLEAN_TEXT.has(value.toLowerCase())) facts[name] = ["true", "yes"].includes(value.toLowerCase());
      return { changed: false, failed: false, facts };
    }
    case "assert": {
      const that = Array.isArray(rawArgs.that) ? rawArgs.that : [rawArgs.that];
      for (const condition of that) {
        if (!helpers.condition(condition)) {
          const msg = args.fail_msg ?? args.msg ?? `Assertion failed: ${String(condition)}`;
          throw new TaskFailedError(text(msg), helpers.place);
        }
      }
      return { changed: false, failed: false, msg: args.success_msg ?? "All assertions passed" };
    }
    default:
      throw new TaskFailedError(`unsupported engine action '${action}'`, helpers.place);
  }
}

/** A message value as text: strings as they are, anything else as JSON. */
export function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
