/**
 * What include_tasks and include_role load when they run: a task file, or a role with its dependencies, each
 * into a scope of its own. Both throw InputErrors listing every mistake in the files they read.
 */
import { dirname } from "node:path";
import { InputErrors } from "../errors.js";
import type { SourceLocation } from "../errors.js";
import type { Block, RoleContext, Task, TaskNode, Vars } from "../types.js";
import type { Vault } from "../vault/vault.js";
import { newScope } from "./load-scope.js";
import type { ModuleRegistry } from "./load-scope.js";
import { expandRole, roleSearchDirs } from "./roles.js";
import { readTaskFile } from "./tasks.js";

/**
 * Loads a task file (include_tasks). import_role inside it searches `roleDirs`, by default the roles beside the
 * role or the file.
 */
export function loadTaskFile(
  path: string,
  role: RoleContext | undefined,
  registry: ModuleRegistry,
  vault: Vault,
  options: { tags?: readonly string[]; roleDirs?: readonly string[] } = {},
): TaskNode[] {
  const roleDirs = options.roleDirs ?? [...(role ? [dirname(role.path)] : []), ...roleSearchDirs(path)];
  const scope = newScope(registry, vault, [...new Set(roleDirs)]);
  const tasks = readTaskFile(scope, path, { file: path, role, tags: options.tags ?? [] }, undefined);
  if (scope.errors.length > 0) throw new InputErrors(scope.errors);
  return tasks;
}

/** What loadRole returns: everything include_role needs at run time. */
export interface LoadedRole {
  context: RoleContext;
  /** Dependencies' blocks, then the role's own block. */
  blocks: Block[];
  /** Handlers of the dependencies and the role, in order. */
  handlers: Task[];
  /** Contexts of the dependencies and the role, in run order. */
  roles: RoleContext[];
}

/** Loads a role (include_role). `searchDirs` is roleSearchDirs(playbook file). */
export function loadRole(
  name: string,
  searchDirs: readonly string[],
  params: Vars,
  registry: ModuleRegistry,
  vault: Vault,
  options: { tasksFrom?: string; loc?: SourceLocation; tags?: readonly string[]; relativeTo?: string } = {},
): LoadedRole {
  const scope = newScope(registry, vault, searchDirs);
  const loc = options.loc ?? { file: name, line: 1, col: 1 };
  const blocks = expandRole(
    scope,
    {
      name,
      params,
      loc,
      tags: options.tags ?? [],
      relativeTo: options.relativeTo ?? process.cwd(),
      ...(options.tasksFrom === undefined ? {} : { tasksFrom: options.tasksFrom }),
      dedupe: false,
    },
    readTaskFile,
  );
  const context = scope.roles.at(-1);
  if (scope.errors.length > 0 || !context) throw new InputErrors(scope.errors);
  return { context, blocks, handlers: scope.roleHandlers, roles: scope.roles };
}
