/**
 * Roles: roles/<name>/{tasks,handlers,defaults,vars,meta,templates,files}. Expanded at load time for play
 * `roles:` and import_role (meta/main.yml dependencies first, each role once per play unless its parameters
 * differ); include.ts's loadRole() does the same at run time for include_role.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { didYouMean } from "../did-you-mean.js";
import { SchemaValidationError } from "../errors.js";
import { packageRoot } from "../package-root.js";
import type { SourceLocation } from "../errors.js";
import { ROLE_ENTRY_KEYWORDS, ROLE_ENTRY_SCHEMA } from "../schema/keywords.js";
import { show, validate } from "../schema/validate.js";
import { copyKeyLocation, locationOf, recordContainer } from "../source/locations.js";
import { readYamlFile } from "../source/yaml.js";
import type { Block, RoleContext, Task, TaskKeywords, TaskNode, Vars } from "../types.js";
import type { LoadScope, TaskSource } from "./load-scope.js";
import { shownPath } from "./paths.js";
import { argumentSchema } from "./role-vars.js";
import { keywords, mergeKeywords } from "./task-keywords.js";
import { findMainFile, isMapping, loadVarsFile } from "./vars-files.js";

export interface RoleRequest {
  /** Role name (searched in the role directories) or path (relative to `relativeTo`). */
  name: string;
  params: Vars;
  /** Where the role is used. */
  loc: SourceLocation;
  /** Tags inherited from the play, the role entry and the blocks around the import. */
  tags: readonly string[];
  /** Keywords of the role entry (when, become, vars ...), applied to the role's tasks and its dependencies'. */
  kw?: TaskKeywords;
  /** Directory a role path is relative to (the playbook's or the importing file's). */
  relativeTo: string;
  tasksFrom?: string;
  /** Skip a role that already ran in this play with the same parameters (play roles and dependencies). */
  dedupe: boolean;
}

/**
 * Reads a task file into the scope: tasks.ts's readTaskFile, handed in rather than imported because task files
 * import roles in turn (import_role), and the two files would then import each other.
 */
export type TaskFileReader = (scope: LoadScope, file: string, source: TaskSource, from: SourceLocation | undefined, handlers?: boolean) => TaskNode[];

/**
 * The directories searched for roles by name: roles/ beside the playbook, then those of ANSIBLE_ROLES_PATH
 * (colon-separated, as ansible-playbook reads it from the environment), one level up, and rems-play's own roles.
 * Only directories: a `roles` that is a file (a symbolic link checked out as text) is passed over, as Ansible does.
 */
export function roleSearchDirs(playbookFile: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = dirname(resolve(playbookFile));
  const bundled = join(packageRoot, "roles");
  const configured = (env["ANSIBLE_ROLES_PATH"] ?? "").split(":").filter((entry) => entry !== "").map((entry) => resolve(entry));
  const dirs = [join(dir, "roles"), ...configured, resolve(dir, "..", "roles"), bundled];
  return [...new Set(dirs)].filter((d) => existsSync(d) && statSync(d).isDirectory()).map(shownPath);
}

function findRole(scope: LoadScope, request: RoleRequest): string | undefined {
  if (request.name.includes("/")) {
    const path = isAbsolute(request.name) ? request.name : join(request.relativeTo, request.name);
    if (existsSync(path)) return path;
  }
  for (const dir of scope.roleDirs) {
    const path = join(dir, request.name);
    if (existsSync(path) && statSync(path).isDirectory()) return path;
  }
  const known = scope.roleDirs.flatMap((dir) => readdirSync(dir).filter((entry) => statSync(join(dir, entry)).isDirectory()));
  scope.errors.push(
    new SchemaValidationError(
      `role '${request.name}' not found in ${scope.roleDirs.join(", ") || "any role directory"}${didYouMean(request.name, known)}`,
      { loc: request.loc },
    ),
  );
  return undefined;
}

function readRoleVars(scope: LoadScope, dir: string, base = "main"): Vars {
  const file = findMainFile(dir, base);
  if (file === undefined) {
    const empty: Vars = {};
    recordContainer(empty, { file: join(dir, base), line: 1, col: 1 });
    return empty;
  }
  return loadVarsFile(file, scope.errors, scope.vault);
}

interface RoleMeta {
  dependencies: unknown[];
  allowDuplicates: boolean;
  /** meta/main.yml's mapping, for argument_specs written there. */
  raw: Record<string, unknown>;
}

function readMeta(scope: LoadScope, path: string): RoleMeta {
  const file = findMainFile(join(path, "meta"));
  const empty = { dependencies: [], allowDuplicates: false, raw: {} };
  if (file === undefined) return empty;
  const { data, errors } = readYamlFile(file, scope.vault);
  scope.errors.push(...errors);
  if (!isMapping(data)) return empty;
  const deps = data.dependencies;
  if (deps !== undefined && deps !== null && !Array.isArray(deps)) {
    scope.errors.push(new SchemaValidationError(`dependencies must be a list of roles; got ${show(deps)}`, { loc: locationOf(data, "dependencies") }));
  }
  return { dependencies: Array.isArray(deps) ? deps : [], allowDuplicates: data.allow_duplicates === true, raw: data };
}

/**
 * Expands a role into the scope: the blocks of its dependencies, then its own block. Its handlers and context
 * are appended to scope.roleHandlers and scope.roles. Returns [] for a role that already ran (dedupe).
 */
export function expandRole(scope: LoadScope, request: RoleRequest, readTasks: TaskFileReader): Block[] {
  const path = findRole(scope, request);
  if (path === undefined) return [];
  const absolute = resolve(path);
  const meta = readMeta(scope, path);
  // Before the de-duplication: a role on the way to itself has been seen already, and would just be skipped.
  if (scope.stack.includes(absolute)) {
    const chain = [...scope.stack.slice(scope.stack.indexOf(absolute)), absolute].map((entry) => (statSync(entry).isDirectory() ? basename(entry) : shownPath(entry)));
    scope.errors.push(new SchemaValidationError(`role '${request.name}' depends on itself: ${chain.join(" → ")}`, { loc: request.loc }));
    return [];
  }
  const key = `${absolute}\0${JSON.stringify(request.params)}`;
  if (request.dedupe && !meta.allowDuplicates && scope.seenRoles.has(key)) return [];
  scope.seenRoles.add(key);
  scope.stack.push(absolute);
  const entry = request.tasksFrom ?? "main";
  const context: RoleContext = {
    name: basename(absolute),
    path: absolute,
    defaults: readRoleVars(scope, join(path, "defaults")),
    vars: readRoleVars(scope, join(path, "vars")),
    params: request.params,
    loc: request.loc,
  };
  const schema = argumentSchema(scope, path, meta.raw, entry.replace(/\.ya?ml$/, ""));
  if (schema) context.argumentSchema = schema;

  const outer = request.kw ?? {};
  const blocks: Block[] = [];
  meta.dependencies.forEach((dep, index) => {
    const depLoc = locationOf(meta.dependencies, index) ?? request.loc;
    const depRequest = roleEntry(scope, dep, depLoc, request.tags, absolute);
    if (!depRequest) return;
    for (const block of expandRole(scope, depRequest, readTasks)) blocks.push({ ...block, kw: mergeKeywords(outer, block.kw) });
  });

  const tasksFile = findMainFile(join(path, "tasks"), entry);
  const kw = mergeKeywords(outer, { ...(request.tags.length > 0 ? { tags: [...request.tags] } : {}) });
  const source = { file: tasksFile ?? join(path, "tasks", entry), role: context, tags: kw.tags ?? [] };
  if (request.tasksFrom !== undefined && tasksFile === undefined) {
    scope.errors.push(new SchemaValidationError(`role '${context.name}' has no task file '${request.tasksFrom}'`, { loc: request.loc }));
  }
  const tasks = tasksFile === undefined ? [] : readTasks(scope, tasksFile, source, request.loc);
  blocks.push({ kind: "block", name: undefined, block: tasks, rescue: [], always: [], kw, loc: request.loc, role: context, dir: join(absolute, "tasks") });

  const handlersFile = findMainFile(join(path, "handlers"));
  // A role used twice (other parameters, import_role) has its handlers once: they are notified by name.
  if (handlersFile !== undefined && !scope.roleHandlers.some((h) => h.loc.file === handlersFile)) {
    const handlers = readTasks(scope, handlersFile, { file: handlersFile, role: context, tags: [] }, request.loc, true);
    scope.roleHandlers.push(...handlers.filter((h): h is Task => h.kind === "task"));
  }
  scope.roles.push(context);
  scope.stack.pop();
  return blocks;
}

/**
 * An entry of `roles:` or `dependencies:`: a name, or a mapping with `role` (or `name`), keywords, and role
 * parameters (every other key).
 */
export function roleEntry(scope: LoadScope, raw: unknown, loc: SourceLocation, tags: readonly string[], relativeTo: string): RoleRequest | undefined {
  if (typeof raw === "string") return { name: raw, params: {}, loc, tags, relativeTo, dedupe: true };
  if (!isMapping(raw)) {
    scope.errors.push(new SchemaValidationError(`a role entry must be a role name or a mapping with 'role'; got ${show(raw)}`, { loc }));
    return undefined;
  }
  const name = raw.role ?? raw.name;
  if (typeof name !== "string") {
    scope.errors.push(new SchemaValidationError(`role entry has no 'role' name`, { loc }));
    return undefined;
  }
  const keywordRaw: Record<string, unknown> = {};
  const params: Vars = {};
  recordContainer(keywordRaw, loc);
  recordContainer(params, loc);
  for (const [key, value] of Object.entries(raw)) {
    if (key === "role" || (key === "name" && raw.role === undefined)) continue;
    const target = key in ROLE_ENTRY_KEYWORDS ? keywordRaw : params;
    target[key] = value;
    copyKeyLocation(raw, key, target);
  }
  for (const problem of validate(ROLE_ENTRY_SCHEMA, keywordRaw, { noun: "role keyword", allowTemplates: true, fallback: loc })) {
    scope.errors.push(new SchemaValidationError(`role "${name}": ${problem.message}`, { loc: problem.loc }));
  }
  const kw = keywords(keywordRaw, tags);
  return { name, params, loc, tags: kw.tags ?? [], kw, relativeTo, dedupe: true };
}

/** Parses a play's `roles:` list into blocks (one per role, dependencies first). */
export function expandPlayRoles(scope: LoadScope, list: readonly unknown[], playTags: readonly string[], playDir: string, readTasks: TaskFileReader): Block[] {
  const blocks: Block[] = [];
  list.forEach((raw, index) => {
    const loc = locationOf(list, index) ?? { file: playDir, line: 1, col: 1 };
    const request = roleEntry(scope, raw, loc, playTags, playDir);
    if (request) blocks.push(...expandRole(scope, request, readTasks));
  });
  return blocks;
}
