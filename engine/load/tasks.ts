/**
 * Task lists → Task/Block nodes: splits keywords from the one action, reads free-form and key=value arguments,
 * validates keywords and arguments, expands import_tasks/import_role, and unions inherited tags into each task.
 * Errors are collected in the LoadScope so a file reports all its mistakes at once.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { closest, didYouMean } from "../did-you-mean.js";
import { SchemaValidationError } from "../errors.js";
import type { SourceLocation } from "../errors.js";
import type { JsonSchema } from "../module-api.js";
import { ENGINE_ACTIONS } from "../schema/actions.js";
import type { ActionSpec } from "../schema/actions.js";
import { LOOKUPS } from "../template/lookups/index.js";
import { BLOCK_SCHEMA, HANDLER_KEYWORDS, HANDLER_SCHEMA, TASK_KEYWORDS, TASK_SCHEMA } from "../schema/keywords.js";
import { coerceArgs, show, validate, validateModuleArgs } from "../schema/validate.js";
import { copyKeyLocation, locationOf, recordContainer, valueLocationOf } from "../source/locations.js";
import { readYamlFile } from "../source/yaml.js";
import { isTemplated } from "../template/render.js";
import type { Block, RoleContext, Task, TaskKeywords, TaskNode, Vars } from "../types.js";
import { splitArgs, without } from "./key-value.js";
import { withActionForm } from "./action-form.js";
import { renameAliases } from "./arg-aliases.js";
import type { ArgSpec, LoadScope, TaskSource } from "./load-scope.js";
import { expandRole } from "./roles.js";
import { keywords, stringList } from "./task-keywords.js";
import { isMapping } from "./vars-files.js";

/** Module names as Ansible writes them → ours. */
const PREFIXES = ["ansible.builtin.", "ansible.legacy.", "community.general.", "community.crypto.", "community.postgresql.", "ansible.posix."];
const ALIASES: Record<string, string> = { systemd_service: "systemd" };

function canonicalAction(key: string): string {
  const prefix = PREFIXES.find((p) => key.startsWith(p));
  const short = prefix ? key.slice(prefix.length) : key;
  return ALIASES[short] ?? short;
}

function specOf(scope: LoadScope, action: string): ArgSpec | ActionSpec | undefined {
  return ENGINE_ACTIONS.get(action) ?? scope.registry.get(action);
}

function knownActions(scope: LoadScope): string[] {
  return [...ENGINE_ACTIONS.keys(), ...scope.registry.keys()];
}

/** Reads a task file into the scope; `from` is the location of the import that asked for it. */
export function readTaskFile(scope: LoadScope, file: string, source: TaskSource, from: SourceLocation | undefined, handlers = false): TaskNode[] {
  const absolute = resolve(file);
  if (!existsSync(absolute)) {
    scope.errors.push(new SchemaValidationError(`task file '${file}' not found`, { loc: from ?? { file, line: 1, col: 1 } }));
    return [];
  }
  if (scope.stack.includes(absolute)) {
    scope.errors.push(new SchemaValidationError(`task file '${file}' imports itself (${scope.stack.join(" → ")})`, { loc: from }));
    return [];
  }
  const { data, errors } = readYamlFile(file, scope.vault);
  scope.errors.push(...errors);
  if (data === undefined || data === null) return [];
  if (!Array.isArray(data)) {
    scope.errors.push(new SchemaValidationError(`a task file must be a list of tasks; got ${show(data)}`, { loc: { file, line: 1, col: 1 } }));
    return [];
  }
  scope.stack.push(absolute);
  const tasks = parseTaskList(scope, data, { ...source, file }, handlers);
  scope.stack.pop();
  return tasks;
}

/** Parses a list of tasks (or handlers) already read from YAML. */
export function parseTaskList(scope: LoadScope, list: readonly unknown[], source: TaskSource, handlers = false): TaskNode[] {
  const nodes: TaskNode[] = [];
  list.forEach((raw, index) => {
    const loc = locationOf(list, index) ?? { file: source.file, line: 1, col: 1 };
    const node = parseTaskNode(scope, raw, loc, source, handlers);
    if (node) nodes.push(node);
  });
  return nodes;
}

function error(scope: LoadScope, message: string, loc: SourceLocation | undefined): void {
  scope.errors.push(new SchemaValidationError(message, { loc }));
}

function parseTaskNode(scope: LoadScope, raw: unknown, loc: SourceLocation, source: TaskSource, handlers: boolean): TaskNode | undefined {
  if (!isMapping(raw)) {
    error(scope, `a task must be a mapping of keywords and one action; got ${show(raw)}`, loc);
    return undefined;
  }
  if ("block" in raw) {
    if (handlers) {
      error(scope, `blocks are not supported in handlers`, loc);
      return undefined;
    }
    return parseBlock(scope, raw, loc, source);
  }
  return parseTask(scope, raw, loc, source, handlers);
}

/** Copies the listed keys of `raw` into a new object that keeps their source locations. */
function pick(raw: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  const self = locationOf(raw);
  if (self) recordContainer(picked, self);
  for (const key of keys) {
    picked[key] = raw[key];
    copyKeyLocation(raw, key, picked);
  }
  return picked;
}

function label(raw: Record<string, unknown>, fallback: string): string {
  return typeof raw.name === "string" ? raw.name : fallback;
}

function parseBlock(scope: LoadScope, raw: Record<string, unknown>, loc: SourceLocation, source: TaskSource): Block {
  const who = `block "${label(raw, "block")}"`;
  for (const problem of validate(BLOCK_SCHEMA, raw, { noun: "block keyword", allowTemplates: true, fallback: loc })) {
    error(scope, `${who}: ${problem.message}`, problem.loc);
  }
  const kw = keywords(raw, source.tags);
  const inner: TaskSource = { ...source, tags: kw.tags ?? [] };
  const list = (key: string): TaskNode[] => {
    const value = raw[key];
    return Array.isArray(value) ? parseTaskList(scope, value, inner) : [];
  };
  return {
    kind: "block",
    name: typeof raw.name === "string" ? raw.name : undefined,
    block: list("block"),
    rescue: list("rescue"),
    always: list("always"),
    kw,
    loc,
    role: source.role,
    dir: dirname(resolve(source.file)),
  };
}

function parseTask(scope: LoadScope, written: Record<string, unknown>, loc: SourceLocation, source: TaskSource, handler: boolean): TaskNode | undefined {
  const raw = withActionForm(written, scope.errors);
  if (!raw) return undefined;
  const keywordSet = handler ? HANDLER_KEYWORDS : TASK_KEYWORDS;
  const keywordKeys = Object.keys(raw).filter((key) => key in keywordSet);
  const others = Object.keys(raw).filter((key) => !(key in keywordSet));
  const actionKeys = others.filter((key) => specOf(scope, canonicalAction(key)) !== undefined);
  const unknown = others.filter((key) => !actionKeys.includes(key));
  const firstAction = actionKeys[0];
  const who = `task "${label(raw, firstAction === undefined ? (unknown[0] ?? "unnamed") : canonicalAction(firstAction))}"`;
  let ok = true;

  for (const key of unknown) {
    ok = false;
    const keyword = closest(key, Object.keys(keywordSet));
    const action = closest(canonicalAction(key), knownActions(scope));
    const lookups = Object.keys(LOOKUPS);
    const message = key.startsWith("with_")
      ? `unknown lookup '${key.slice("with_".length)}' in '${key}'${didYouMean(key.slice("with_".length), lookups)}`
      : keyword !== undefined && action === undefined
        ? `unknown task keyword '${key}'; did you mean '${keyword}'?`
        : `unknown module or action '${key}'${didYouMean(canonicalAction(key), knownActions(scope))}`;
    error(scope, `${who}: ${message}`, locationOf(raw, key));
  }
  const loops = keywordKeys.filter((key) => key === "loop" || key.startsWith("with_"));
  if (loops.length > 1) error(scope, `${who}: a task has one loop; found ${loops.join(", ")}`, locationOf(raw, loops[1] ?? ""));
  if (actionKeys.length > 1) {
    error(scope, `${who}: a task has one action; found ${actionKeys.join(", ")}`, locationOf(raw, actionKeys[1] ?? ""));
    return undefined;
  }
  const actionKey = actionKeys[0];
  if (actionKey === undefined) {
    if (ok) error(scope, `${who}: no module or action; expected one of the modules or ${[...ENGINE_ACTIONS.keys()].join(", ")}`, loc);
    return undefined;
  }
  const action = canonicalAction(actionKey);
  const spec = specOf(scope, action);
  if (!spec) return undefined;

  const kwRaw = pick(raw, keywordKeys);
  for (const problem of validate(handler ? HANDLER_SCHEMA : TASK_SCHEMA, kwRaw, { noun: "task keyword", allowTemplates: true, fallback: loc })) {
    error(scope, `${who}: ${problem.message}`, problem.loc);
  }
  const args = readArgs(scope, raw, actionKey, spec, `${who}: ${action}`);
  if (!args) return undefined;
  const taskName = label(raw, action);
  scope.errors.push(...validateModuleArgs({ ...spec, name: action }, args, args, { task: taskName, loc: valueLocationOf(raw, actionKey), allowTemplates: true }));

  const kw = keywords(kwRaw, source.tags);
  checkAsync(scope, kwRaw, who);
  const dir = dirname(resolve(source.file));
  const name = typeof raw.name === "string" ? raw.name : undefined;
  if (action === "import_tasks") return importTasks(scope, { name, args, kw, loc, source, dir, who });
  if (action === "import_role") return importRole(scope, { name, args, kw, loc, source, dir, who });

  const task: Task = { kind: "task", name, action, args, kw, loc, role: source.role, dir };
  if (handler) task.listen = [...(name === undefined ? [] : [name]), ...stringList(raw.listen)];
  return task;
}

/**
 * async runs the task with a time limit when poll is above 0 (Ansible's default poll is 15); poll 0, fire and
 * forget with async_status later, is not supported: said at its place rather than run as something else.
 */
function checkAsync(scope: LoadScope, kwRaw: Record<string, unknown>, who: string): void {
  if (kwRaw.async === undefined) return;
  const poll = kwRaw.poll ?? 15;
  if (poll === 0 || poll === "0") {
    error(scope, `${who}: async with poll: 0 (fire and forget, checked later with async_status) is not supported; give poll above 0 to wait for the task`, valueLocationOf(kwRaw, "poll") ?? locationOf(kwRaw, "async"));
  }
}

/** The module arguments: inline (mapping, free-form or key=value) merged over `args:`, aliases renamed. */
function readArgs(scope: LoadScope, raw: Record<string, unknown>, actionKey: string, spec: ArgSpec | ActionSpec, who: string): Vars | undefined {
  const value = raw[actionKey];
  const where = valueLocationOf(raw, actionKey);
  const args: Vars = {};
  recordContainer(args, where ?? { file: "", line: 1, col: 1 });
  const canonical = (container: Vars): void => {
    for (const { name, alias } of renameAliases(container, spec.aliases)) {
      error(scope, `${who}: '${alias}' is another name of '${name}': give one of them`, locationOf(container, alias) ?? where);
    }
  };
  const extra = raw.args;
  if (isMapping(extra)) {
    for (const [key, item] of Object.entries(extra)) {
      args[key] = item;
      copyKeyLocation(extra, key, args);
    }
  }
  if (isMapping(value)) {
    for (const [key, item] of Object.entries(value)) {
      args[key] = item;
      copyKeyLocation(value, key, args);
    }
  }
  canonical(args);
  if (isMapping(value) || value === null || value === undefined) return args;
  if (typeof value !== "string" && !(spec.freeForm && (typeof value === "number" || typeof value === "boolean"))) {
    error(scope, `${who}: arguments must be a mapping or key=value text; got ${show(value)}`, where);
    return undefined;
  }
  const text = String(value);
  const tokens = splitArgs(text);
  const properties = (spec.schema.properties ?? {}) as Record<string, JsonSchema>;
  // With a free-form argument, only known argument names are read as key=value (`chdir=/srv ls -l`).
  const named = tokens.filter((t) => t.key !== undefined && (spec.freeForm === undefined || t.key in properties || t.key in (spec.aliases ?? {})));
  const inline: Vars = {};
  for (const t of named) inline[t.key ?? ""] = t.value;
  if (spec.freeForm !== undefined) {
    const rest = without(text, named);
    if (rest !== "") inline[spec.freeForm] = rest;
  } else {
    const stray = tokens.filter((t) => t.key === undefined);
    if (stray.length > 0) {
      error(scope, `${who}: cannot read ${stray.map((t) => `'${t.raw}'`).join(", ")} as key=value; write the arguments as a mapping`, where);
      return undefined;
    }
  }
  canonical(inline);
  // key=value values are text; turn "yes" into true and "8080" into 8080 where the schema says so, like Ansible.
  const coerced = coerceArgs(spec.schema, inline) as Vars;
  for (const [key, item] of Object.entries(coerced)) {
    args[key] = item;
    if (where) recordKeyAt(args, key, where);
  }
  return args;
}

function recordKeyAt(container: object, key: string, loc: SourceLocation): void {
  const holder = { [key]: null };
  recordContainer(holder, loc);
  copyKeyLocation(holder, key, container);
}

interface ImportRequest {
  name: string | undefined;
  args: Vars;
  kw: TaskKeywords;
  loc: SourceLocation;
  source: TaskSource;
  dir: string;
  who: string;
}

/** import_tasks: read now, as a block carrying the import's keywords (when, tags, vars ... apply to each task). */
function importTasks(scope: LoadScope, request: ImportRequest): Block | undefined {
  const file = request.args.file;
  if (typeof file !== "string") return undefined;
  if (isTemplated(file)) {
    error(scope, `${request.who}: import_tasks: the file name is read before any variable exists; use include_tasks for '${file}'`, request.loc);
    return undefined;
  }
  const path = isAbsolute(file) ? file : join(dirname(request.source.file), file);
  const tasks = readTaskFile(scope, path, { ...request.source, tags: request.kw.tags ?? [] }, request.loc);
  return staticBlock(request, tasks, request.source.role);
}

/** import_role: the role's tasks now, as a block; its handlers join the play's. */
function importRole(scope: LoadScope, request: ImportRequest): Block | undefined {
  const name = request.args.name;
  if (typeof name !== "string") return undefined;
  if (isTemplated(name)) {
    error(scope, `${request.who}: import_role: the role name is read before any variable exists; use include_role for '${name}'`, request.loc);
    return undefined;
  }
  const tasksFrom = request.args.tasks_from;
  const blocks = expandRole(
    scope,
    {
      name,
      params: {},
      loc: request.loc,
      tags: request.kw.tags ?? [],
      relativeTo: dirname(request.source.file),
      ...(typeof tasksFrom === "string" ? { tasksFrom } : {}),
      dedupe: false,
    },
    readTaskFile,
  );
  return staticBlock(request, blocks, request.source.role);
}

function staticBlock(request: ImportRequest, tasks: TaskNode[], role: RoleContext | undefined): Block {
  return { kind: "block", name: request.name, block: tasks, rescue: [], always: [], kw: request.kw, loc: request.loc, role, dir: request.dir };
}
