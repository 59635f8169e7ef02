/**
 * The load's look at the templates of a play, for --syntax-check and before a run contacts any host: every Jinja
 * expression of task and block keywords and of task arguments is compiled (not rendered: no variable is needed),
 * and the controller file that copy or template names is found, and compiled when it is a template; each mistake
 * at its file:line:col. Without it they failed mid-run, after earlier tasks had changed the host.
 *
 * What include_tasks and include_role load is read only when the include runs, and checked then (checkIncluded).
 * Left to the run: `vars` (rendered when used; Ansible does not mind a broken one that nothing uses), task names
 * (one that does not render is shown as written), and paths with {{ }}.
 */
import { formatLocation, InputErrors, InputFileError, SchemaValidationError, TemplateError } from "../errors.js";
import type { RemsError, SourceLocation } from "../errors.js";
import { locationOf, valueLocationOf } from "../source/locations.js";
import { checkTemplateFile, conditionProblem, isTemplated, templateProblem } from "../template/render.js";
import type { Play, Task, TaskNode } from "../types.js";
import type { ModuleRegistry } from "./load-scope.js";
import { findControllerFile, notFound, shownPath } from "./paths.js";
import { allNodes, nodeLabel, playNodes } from "./task-tree.js";

/** Keywords that are expressions (bare, without {{ }}), one or a list. */
const CONDITIONS = new Set(["when", "changed_when", "failed_when", "until"]);
/** Keywords whose values are names, or are rendered only when used (see above). */
const NOT_RENDERED = new Set(["vars", "notify", "register", "tags"]);

/** Appends an error for each template of the play that does not parse and each controller file not found. */
export function checkTemplates(play: Play, registry: ModuleRegistry, errors: RemsError[]): void {
  errors.push(...templateProblems(playNodes(play), play.dir, registry));
}

/**
 * The same check of what an include_tasks or include_role loaded, when it runs: throws InputErrors, so the include
 * fails before the first of its tasks runs rather than at the one that does not parse.
 */
export function checkIncluded(nodes: readonly TaskNode[], playbookDir: string, registry: ModuleRegistry): void {
  const problems = templateProblems(allNodes(nodes), playbookDir, registry);
  if (problems.length > 0) throw new InputErrors(problems);
}

function templateProblems(nodes: readonly TaskNode[], playbookDir: string, registry: ModuleRegistry): RemsError[] {
  const found: RemsError[] = [];
  for (const node of nodes) {
    found.push(...keywordProblems(node));
    if (node.kind === "task") found.push(...argumentProblems(node), ...controllerFileProblems(node, playbookDir, registry));
  }
  // A role entry's keywords are on each block of the role and of its dependencies: said once.
  return [...new Map(found.map((e) => [e.describe(), e])).values()];
}

function keywordProblems(node: TaskNode): RemsError[] {
  const who = nodeLabel(node);
  const kw = node.kw as Readonly<Record<string, unknown>>;
  return Object.entries(kw).flatMap(([key, value]) => {
    if (NOT_RENDERED.has(key)) return [];
    const loc = valueLocationOf(kw, key) ?? node.loc;
    if (CONDITIONS.has(key)) return conditionProblems(`${who}: ${key}`, value, loc);
    return valueProblems(`${who}: ${key}`, value, loc);
  });
}

function argumentProblems(task: Task): RemsError[] {
  const who = nodeLabel(task);
  const loc = locationOf(task.args) ?? task.loc;
  return Object.entries(task.args).flatMap(([key, value]) => {
    const at = valueLocationOf(task.args, key) ?? loc;
    if (task.action === "assert" && key === "that") return conditionProblems(`${who}: that`, value, at);
    // debug's var is an expression, rendered as {{ var }}.
    if (task.action === "debug" && key === "var" && typeof value === "string") return valueProblems(`${who}: var`, `{{ ${value} }}`, at);
    return valueProblems(`${who}: ${key}`, value, at);
  });
}

/** A condition, or each of a list of them, at its own place when it has one. */
function conditionProblems(what: string, value: unknown, loc: SourceLocation): RemsError[] {
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item, index) => {
    const problem = conditionProblem(item);
    const at = (Array.isArray(value) ? valueLocationOf(value, index) : undefined) ?? loc;
    return problem === undefined ? [] : [new TemplateError(`${what}: ${problem}`, { loc: at })];
  });
}

/** Each string inside a value (mapping keys too, as renderValue renders them), at the place of the innermost value. */
function valueProblems(what: string, value: unknown, loc: SourceLocation): RemsError[] {
  if (typeof value === "string") {
    const problem = templateProblem(value);
    return problem === undefined ? [] : [new TemplateError(`${what}: ${problem}`, { loc })];
  }
  if (typeof value !== "object" || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, item]) => {
    const at = valueLocationOf(value, key) ?? loc;
    const path = `${what}${typeof key === "number" ? `[${key}]` : `.${key}`}`;
    return [...(typeof key === "string" ? valueProblems(`${what} key`, key, at) : []), ...valueProblems(path, item, at)];
  });
}

/** The file copy or template names: found where the run will look for it; a template compiled. */
function controllerFileProblems(task: Task, playbookDir: string, registry: ModuleRegistry): RemsError[] {
  const file = registry.get(task.action)?.controllerFile?.(task.args);
  const path = file === undefined ? undefined : task.args[file.arg];
  if (file === undefined || typeof path !== "string" || isTemplated(path)) return [];
  const who = nodeLabel(task);
  const at = valueLocationOf(task.args, file.arg) ?? task.loc;
  const { found, lookedIn } = findControllerFile(path, file.kind, { role: task.role, taskDir: task.dir, playbookDir });
  if (found === undefined) return [new SchemaValidationError(`${who}: ${task.action}: ${notFound(path, lookedIn)}`, { loc: at })];
  if (file.kind === "files") return [];
  try {
    checkTemplateFile(found, shownPath(found));
    return [];
  } catch (error) {
    const context = ` (template of ${who} at ${formatLocation(at)})`;
    if (error instanceof TemplateError) return [new TemplateError(error.message + context, { loc: error.loc })];
    if (error instanceof InputFileError) return [new InputFileError(error.message + context, { loc: error.loc })];
    throw error;
  }
}
