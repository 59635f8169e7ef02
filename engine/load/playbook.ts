/**
 * Playbook files → Play[]: plays and import_playbook, play keywords validated, vars_files read, roles and
 * imports expanded. Every mistake of every file is collected and thrown together as one InputErrors.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { InputErrors, InputFileError, SchemaValidationError } from "../errors.js";
import type { RemsError, SourceLocation } from "../errors.js";
import { IMPORT_PLAYBOOK_SCHEMA, PLAY_SCHEMA } from "../schema/keywords.js";
import { show, validate } from "../schema/validate.js";
import { copyKeyLocation, locationOf, recordContainer } from "../source/locations.js";
import { readYamlFile } from "../source/yaml.js";
import { isTemplated } from "../template/render.js";
import type { Play, Task, Vars } from "../types.js";
import type { Vault } from "../vault/vault.js";
import { newScope } from "./load-scope.js";
import type { LoadScope, ModuleRegistry } from "./load-scope.js";
import { checkNotify } from "./handlers.js";
import { expandPlayRoles, roleSearchDirs } from "./roles.js";
import { checkTemplates } from "./template-check.js";
import { normalizeTags, unionTags } from "./tags.js";
import { keywords } from "./task-keywords.js";
import { parseTaskList, readTaskFile } from "./tasks.js";
import { isMapping, loadVarsFile } from "./vars-files.js";

/**
 * Loads a playbook. `path` is shown in messages as given (relative paths stay relative). Throws InputErrors
 * with every error of every file read.
 */
export function loadPlaybook(path: string, registry: ModuleRegistry, vault: Vault): Play[] {
  const errors: RemsError[] = [];
  const plays = readPlaybook(path, registry, vault, errors, [], [], undefined);
  if (errors.length > 0) throw new InputErrors(inSourceOrder(errors));
  return plays;
}

/** Errors of each file by position, files in the order their first error was found. */
export function inSourceOrder(errors: readonly RemsError[]): RemsError[] {
  const files = [...new Set(errors.map((e) => e.loc?.file ?? ""))];
  return [...errors].sort((a, b) => {
    const fa = files.indexOf(a.loc?.file ?? "");
    const fb = files.indexOf(b.loc?.file ?? "");
    return fa - fb || (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0);
  });
}

function readPlaybook(
  file: string,
  registry: ModuleRegistry,
  vault: Vault,
  errors: RemsError[],
  stack: readonly string[],
  tags: readonly string[],
  from: SourceLocation | undefined,
): Play[] {
  const absolute = resolve(file);
  if (!existsSync(absolute)) {
    errors.push(new SchemaValidationError(`playbook '${file}' not found`, { loc: from }));
    return [];
  }
  if (statSync(absolute).isDirectory()) {
    errors.push(new InputFileError(`playbook '${file}' is a directory, not a playbook file`, { loc: from }));
    return [];
  }
  if (stack.includes(absolute)) {
    errors.push(new SchemaValidationError(`playbook '${file}' imports itself`, { loc: from }));
    return [];
  }
  const { data, errors: yamlErrors } = readYamlFile(file, vault);
  errors.push(...yamlErrors);
  if (data === undefined) return [];
  if (!Array.isArray(data)) {
    errors.push(new SchemaValidationError(`a playbook must be a list of plays; got ${show(data)}`, { loc: { file, line: 1, col: 1 } }));
    return [];
  }
  const plays: Play[] = [];
  data.forEach((raw, index) => {
    const loc = locationOf(data, index) ?? { file, line: 1, col: 1 };
    if (!isMapping(raw)) {
      errors.push(new SchemaValidationError(`a play must be a mapping of play keywords; got ${show(raw)}`, { loc }));
      return;
    }
    if ("import_playbook" in raw) {
      for (const problem of validate(IMPORT_PLAYBOOK_SCHEMA, raw, { noun: "import_playbook keyword", fallback: loc })) {
        errors.push(new SchemaValidationError(`import_playbook: ${problem.message}`, { loc: problem.loc }));
      }
      const target = raw.import_playbook;
      if (typeof target !== "string") return;
      const path = isAbsolute(target) ? target : join(dirname(file), target);
      const inner = unionTags(tags, normalizeTags(raw.tags));
      plays.push(...readPlaybook(path, registry, vault, errors, [...stack, absolute], inner, locationOf(raw, "import_playbook")));
      return;
    }
    plays.push(parsePlay(raw, loc, file, { ...newScope(registry, vault, roleSearchDirs(file)), errors }, tags));
  });
  return plays;
}

/** Play keywords that are task keywords too: the play hands them down to every task, as the outermost scope. */
const PLAY_TASK_KEYWORDS = ["become", "become_user", "check_mode", "connection", "diff", "environment", "no_log", "remote_user", "throttle"];

function pick(raw: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => raw[key] !== undefined).map((key) => [key, raw[key]]));
}

function flag(value: unknown, fallback: boolean): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(yes|true|on)$/i.test(value)) return true;
  if (typeof value === "string" && /^(no|false|off)$/i.test(value)) return false;
  return fallback;
}

/** `scope` collects the play's errors into the playbook's. */
function parsePlay(raw: Record<string, unknown>, loc: SourceLocation, file: string, scope: LoadScope, inheritedTags: readonly string[]): Play {
  const { errors } = scope;
  const hosts = Array.isArray(raw.hosts) ? raw.hosts.map(String).join(",") : typeof raw.hosts === "string" ? raw.hosts : "";
  const name = typeof raw.name === "string" ? raw.name : hosts;
  for (const problem of validate(PLAY_SCHEMA, raw, { noun: "play keyword", allowTemplates: true, fallback: loc })) {
    errors.push(new SchemaValidationError(`play "${name}": ${problem.message}`, { loc: problem.loc }));
  }
  const dir = dirname(resolve(file));
  const tags = unionTags(inheritedTags, normalizeTags(raw.tags));
  const source = { file, role: undefined, tags };
  // Handlers do not inherit the play's tags: they run when notified, whatever --tags selected.
  const tasks = (key: string, handlers = false) => {
    const value = raw[key];
    return Array.isArray(value) ? parseTaskList(scope, value, handlers ? { ...source, tags: [] } : source, handlers) : [];
  };

  const vars: Vars = isMapping(raw.vars) ? raw.vars : {};
  const roleTasks = Array.isArray(raw.roles) ? expandPlayRoles(scope, raw.roles, tags, dir, readTaskFile) : [];
  const preTasks = tasks("pre_tasks");
  const main = tasks("tasks");
  const postTasks = tasks("post_tasks");
  const playHandlers = tasks("handlers", true).filter((h): h is Task => h.kind === "task");

  const play: Play = {
    name,
    hosts,
    loc,
    vars,
    varsFiles: readVarsFiles(raw, file, scope),
    preTasks,
    roleTasks,
    tasks: main,
    postTasks,
    // Ansible's order: the roles' handlers, then the play's.
    handlers: [...scope.roleHandlers, ...playHandlers],
    roles: scope.roles,
    gather_facts: flag(raw.gather_facts, true),
    any_errors_fatal: flag(raw.any_errors_fatal, false),
    tags,
    // The keywords a task inherits from its play; the rest (hosts, roles, vars ...) are the play's own.
    kw: keywords(pick(raw, PLAY_TASK_KEYWORDS), []),
    dir,
    file,
  };
  checkNotify(play, errors);
  checkTemplates(play, scope.registry, errors);
  if (raw.serial !== undefined) play.serial = raw.serial;
  const percentage = typeof raw.max_fail_percentage === "string" ? Number(raw.max_fail_percentage) : raw.max_fail_percentage;
  if (typeof percentage === "number" && Number.isFinite(percentage)) play.max_fail_percentage = percentage;
  return play;
}

/** vars_files, merged in order (later files win); an inner list means the first of its files that exists. */
function readVarsFiles(raw: Record<string, unknown>, file: string, scope: LoadScope): Vars {
  const { errors } = scope;
  const merged: Vars = {};
  recordContainer(merged, locationOf(raw, "vars_files") ?? { file, line: 1, col: 1 });
  const entries = raw.vars_files;
  if (!Array.isArray(entries)) return merged;
  const relative = (name: string) => (isAbsolute(name) ? name : join(dirname(file), name));
  entries.forEach((entry, index) => {
    const loc = locationOf(entries, index);
    const candidates = (Array.isArray(entry) ? entry : [entry]).filter((c): c is string => typeof c === "string");
    const templated = candidates.find(isTemplated);
    if (templated !== undefined) {
      errors.push(new SchemaValidationError(`vars_files: '${templated}' is read before any variable exists; name the file without {{ }}`, { loc }));
      return;
    }
    const found = candidates.map(relative).find((c) => existsSync(c));
    if (found === undefined) {
      errors.push(new SchemaValidationError(`vars_files: ${candidates.map((c) => `'${c}'`).join(", ")} not found`, { loc }));
      return;
    }
    const vars = loadVarsFile(found, errors, scope.vault);
    for (const [key, value] of Object.entries(vars)) {
      merged[key] = value;
      copyKeyLocation(vars, key, merged);
    }
  });
  return merged;
}
