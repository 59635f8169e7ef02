/**
 * What lookups need from the run that the variables do not hold: where the task's controller files are (its role,
 * its task file's directory, its playbook's), the vault that opens vaulted files, and the registry that masks the
 * secrets a lookup makes (password). The run puts it in each task's variables under a symbol, so it travels with
 * them into every render of that task (lazy variables and template files included) and no template can read it.
 */
import { readTextFile } from "../../source/text-file.js";
import type { FileSearch } from "../../load/paths.js";

export const CONTROLLER = Symbol.for("rems-play.controller");

export interface Controller {
  search: FileSearch;
  /** A controller file's text, decrypted when vaulted. */
  readText(path: string): string;
  /** Masks a value a lookup made (a generated password) in all output. */
  secret(value: string): void;
  /**
   * Whether lookups that act on the controller (pipe runs a command, password may write a file) may run: not while
   * the prefetch pass only looks ahead at a task's arguments, so that they run once, when the task does.
   */
  effects: boolean;
}

/** The task's variables with lookups that act on the controller held back (lookAhead's renders fail on them). */
export function lookingAhead(vars: Readonly<Record<string, unknown>>): Readonly<Record<string | symbol, unknown>> {
  const controller = (vars as Readonly<Record<symbol, unknown>>)[CONTROLLER] as Controller | undefined;
  return controller === undefined ? vars : { ...vars, [CONTROLLER]: { ...controller, effects: false } };
}

/** Outside a run (a render with plain variables): files relative to the playbook directory or the current one. */
export function plainController(playbookDir: string): Controller {
  return {
    search: { role: undefined, taskDir: playbookDir, playbookDir },
    readText: readTextFile,
    secret: () => undefined,
    effects: true,
  };
}
