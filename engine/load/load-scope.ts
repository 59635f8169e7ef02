/**
 * The state of one load (a play, or one run-time include): the modules that tasks are checked against, every
 * mistake found so far (a file reports all of its mistakes at once), and the roles and task files already read.
 */
import type { RemsError } from "../errors.js";
import type { ModuleDefinition } from "../module-api.js";
import type { RoleContext, Task } from "../types.js";
import type { Vault } from "../vault/vault.js";

/** What the loader needs of a module: its name, argument schema, free-form argument, argument aliases and controller file. */
export type ArgSpec = Pick<ModuleDefinition, "name" | "schema" | "freeForm" | "aliases" | "controllerFile">;
export type ModuleRegistry = ReadonlyMap<string, ArgSpec>;

/** State shared while loading one play (or one run-time include). */
export interface LoadScope {
  registry: ModuleRegistry;
  /** Opens vault-encrypted files and `!vault` values. */
  vault: Vault;
  errors: RemsError[];
  /** Directories searched for roles by name, in order. */
  roleDirs: readonly string[];
  /** Roles already expanded in this play: `name + params` (Ansible runs each once unless params differ). */
  seenRoles: Set<string>;
  /** Handlers of the roles expanded so far, in order. */
  roleHandlers: Task[];
  /** Contexts of the roles expanded so far, in order. */
  roles: RoleContext[];
  /** Absolute paths of the task files being loaded (import loops). */
  stack: string[];
}

/** Where the tasks being read come from. */
export interface TaskSource {
  /** Path as shown in messages. */
  file: string;
  role: RoleContext | undefined;
  /** Tags of the play, role, block and import around these tasks. */
  tags: readonly string[];
}

export function newScope(registry: ModuleRegistry, vault: Vault, roleDirs: readonly string[]): LoadScope {
  return { registry, vault, errors: [], roleDirs, seenRoles: new Set(), roleHandlers: [], roles: [], stack: [] };
}
