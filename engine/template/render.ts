/**
 * The templating API of rems-play: Ansible/Jinja2 semantics on nunjucks. Everything that renders a template or
 * evaluates an expression goes through these functions; any failure is a TemplateError that names the problem
 * ("'app_port' is undefined") and where it happened (the `where` given, or the template file and line).
 */
import { TemplateError, type SourceLocation } from "../errors.js";
import { readTextFile } from "../source/text-file.js";
import { CAPTURE, compile, RESULT_KEY, type ResultBox } from "./environment.js";
import * as py from "./py.js";
import { SCOPE_KEY } from "./runtime.js";
import { describe, materialize, Scope } from "./scope.js";
import { isTemplated, singleExpression } from "./templated.js";
import { boolean } from "../truth.js";

export { isTemplated } from "./templated.js";
export { markUnsafe, unsafeVars } from "./scope.js";

/** Where a template comes from, for error messages. */
export interface TemplateWhere {
  task?: string;
  file?: string;
  /** 1-based */
  line?: number;
  /** 1-based */
  col?: number;
  host?: string;
}

type Vars = Readonly<Record<string, unknown>>;

function newScope(vars: Vars): Scope {
  return new Scope(vars, (text, scope) => valueIn(text, scope));
}

function trailingNewlines(text: string): number {
  return /(?:\r?\n)*$/.exec(text)?.[0].replaceAll("\r", "").length ?? 0;
}

/**
 * Renders text with Ansible's newline rule: Jinja drops the template's final newline, and Ansible then adds
 * newlines until the output ends with as many as the template did (so a filter's own trailing newline counts).
 */
function textIn(template: string, scope: Scope, path?: string): string {
  const output = compile(template.replace(/\r?\n$/, ""), path).render({ [SCOPE_KEY]: scope });
  const missing = trailingNewlines(template) - trailingNewlines(output);
  return missing > 0 ? output + "\n".repeat(missing) : output;
}

function expressionIn(expression: string, scope: Scope): unknown {
  const box: ResultBox = {};
  compile(`{{ ${CAPTURE}(${expression}\n) }}`).render({ [SCOPE_KEY]: scope, [RESULT_KEY]: box });
  return box.value;
}

function valueIn(value: unknown, scope: Scope): unknown {
  if (typeof value === "string") {
    if (!isTemplated(value)) return value;
    const expression = singleExpression(value);
    return expression === undefined ? textIn(value, scope) : expressionIn(expression, scope);
  }
  if (Array.isArray(value)) return value.map((v: unknown) => valueIn(v, scope));
  if (py.isMapping(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [py.str(valueIn(k, scope)), valueIn(v, scope)]));
  }
  return value;
}

function lineOf(e: unknown): { line?: number; col?: number } {
  const own = e as { lineno?: unknown; colno?: unknown; cause?: unknown };
  const cause = own.cause as { lineno?: unknown; colno?: unknown } | undefined;
  const line = typeof cause?.lineno === "number" ? cause.lineno : own.lineno;
  const col = typeof cause?.lineno === "number" ? cause.colno : own.colno;
  return {
    ...(typeof line === "number" && line > 0 ? { line } : {}),
    ...(typeof col === "number" && col > 0 ? { col } : {}),
  };
}

/** A TemplateError for anything thrown while rendering. A template file's own line wins over the task's. */
function failure(e: unknown, where: TemplateWhere, templateFile?: string): TemplateError {
  if (e instanceof TemplateError) return e;
  const { line, col } = lineOf(e);
  let loc: SourceLocation | undefined;
  if (templateFile !== undefined) loc = { file: templateFile, line: line ?? 1, col: col ?? 1 };
  else if (where.file !== undefined) {
    loc = where.line === undefined
      ? { file: where.file, line: line ?? 1, col: col ?? 1 }
      : { file: where.file, line: where.line, col: where.col ?? 1 };
  }
  return new TemplateError(describe(e), { loc, host: where.host, task: where.task }, { cause: e });
}

function guarded<T>(where: TemplateWhere, run: () => T, templateFile?: string): T {
  try {
    return run();
  } catch (e) {
    throw failure(e, where, templateFile);
  }
}

/** Renders text (a template file's contents, a `content:` argument). Text without `{{`, `{%`, `{#` is returned as is. */
export function renderString(template: string, vars: Vars, where: TemplateWhere): string {
  if (!isTemplated(template) && !template.includes("{#")) return template;
  return guarded(where, () => textIn(template, newScope(vars)));
}

/**
 * Renders every string inside a YAML value (module arguments, `loop`, `vars`). A string that is exactly one
 * `{{ expr }}` yields the expression's native value (number, boolean, list, dict, null); other templated strings
 * yield strings; untemplated values are returned untouched. The result is plain data.
 */
export function renderValue(value: unknown, vars: Vars, where: TemplateWhere): unknown {
  if (!isTemplated(value)) return value;
  return guarded(where, () => materialize(valueIn(value, newScope(vars))));
}

/** Evaluates a bare Jinja expression (`result.rc != 0 and x is defined`) to its native value. */
export function evaluate(expression: string, vars: Vars, where: TemplateWhere): unknown {
  const single = singleExpression(expression);
  if (single === undefined && isTemplated(expression)) {
    throw failure(new Error(`a condition is a bare expression, without {{ }} or {% %}: ${expression}`), where);
  }
  const bare = (single ?? expression).trim();
  if (bare === "") throw failure(new Error("empty expression"), where);
  return guarded(where, () => materialize(expressionIn(bare, newScope(vars))));
}

/** A YAML 1.1 boolean written in quotes (`when: "yes"`): read as the boolean it spells. */
const YAML_BOOLEAN = /^\s*(true|false|yes|no|on|off)\s*$/i;

/**
 * Evaluates `when:`, `changed_when:`, `failed_when:`, `until:` with Ansible's rules: a boolean is itself; a list
 * holds when every item holds; an empty condition (null, "") holds; a string is an expression whose value counts
 * by Python truthiness (Jinja's `{% if %}`, as Ansible evaluates it), except a quoted YAML boolean word.
 */
export function evaluateCondition(condition: unknown, vars: Vars, where: TemplateWhere): boolean {
  if (condition === null || condition === undefined) return true;
  if (typeof condition === "boolean") return condition;
  if (typeof condition === "number") return condition !== 0;
  if (Array.isArray(condition)) return condition.every((c: unknown) => evaluateCondition(c, vars, where));
  if (typeof condition !== "string") {
    throw failure(new Error(`a condition must be a string, a boolean or a list, not ${py.typeName(condition)}`), where);
  }
  if (condition.trim() === "") return true;
  if (YAML_BOOLEAN.test(condition)) return boolean(condition);
  return py.truthy(evaluate(condition, vars, where));
}

/** Renders a template file (the template module). Errors name the template file and line; InputFileError when it cannot be read. */
export function renderFile(absolutePath: string, vars: Vars, where: TemplateWhere): string {
  const source = readTextFile(absolutePath);
  return guarded(where, () => textIn(source, newScope(vars), absolutePath), absolutePath);
}
