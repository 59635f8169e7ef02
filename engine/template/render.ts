/**
 * The templating API of rems-play: Ansible/Jinja2 semantics on nunjucks. Everything that renders a template or
 * evaluates an expression goes through these functions; any failure is a TemplateError that names the problem
 * ("'app_port' is undefined") and where it happened (the `where` given, or the template file and line).
 */
import { TemplateError, type SourceLocation } from "../errors.js";
import { readTextFile } from "../source/text-file.js";
import { CAPTURE, compile, RESULT_KEY, type ResultBox } from "./environment.js";
import { textValue, withKeptTexts } from "./concat.js";
import * as py from "./py.js";
import { SCOPE_KEY } from "./runtime.js";
import { describe, materialize, MISSING, Scope } from "./scope.js";
import { isTemplated, singleExpression } from "./templated.js";
import { withTemplateFileVars } from "./template-vars.js";
import { readHeader, withNewlines, type JinjaOptions } from "./header.js";
import { runLookup } from "./lookups/index.js";
import type { LookupCall } from "./lookups/lookup-api.js";
import { boolean } from "../truth.js";

export { isTemplated } from "./templated.js";
export { markUnsafe, unsafeVars } from "./scope.js";
export type { JinjaOptions } from "./header.js";

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

type LoopSubdir = LookupCall["subdir"];

/**
 * What a template's text is: a playbook's value (VALUE), whose string literals inside {{ }} Ansible takes as
 * written (lexer.ts), or a template file (its path), whose literals Jinja decodes; and an expression: a value's,
 * or a condition's, which Ansible evaluates inside {% if %} and so decodes.
 */
const VALUE = Symbol("value");
const CONDITION = Symbol("condition");
type TextSource = typeof VALUE | string;
type ExpressionSource = typeof VALUE | typeof CONDITION;

function newScope(vars: Vars): Scope {
  return new Scope(vars, (text, scope) => valueIn(text, scope), (text, path, extra) => textIn(text, newScope({ ...vars, ...extra }), path));
}

function trailingNewlines(text: string): number {
  return /(?:\r?\n)*$/.exec(text)?.[0].replaceAll("\r", "").length ?? 0;
}

/**
 * Ansible's newline rule: Jinja drops the template's final newline, and Ansible then adds newlines until the
 * output ends with as many as the template did (so a filter's own trailing newline counts).
 */
function withTrailingNewlines(template: string, output: string): string {
  const missing = trailingNewlines(template) - trailingNewlines(output);
  return missing > 0 ? output + "\n".repeat(missing) : output;
}

function textIn(template: string, scope: Scope, source: TextSource, options: JinjaOptions = {}): string {
  return withTrailingNewlines(template, compileText(template, source, options).render({ [SCOPE_KEY]: scope }));
}

/**
 * Text as a template (its final newline is Ansible's to restore: textIn), with the options given and those of its
 * own `#jinja2:` line over them.
 */
function compileText(template: string, source: TextSource, options: JinjaOptions = {}): ReturnType<typeof compile> {
  const { body, options: own } = readHeader(template);
  const merged = { ...options, ...own };
  const path = source === VALUE ? undefined : source;
  return compile(withNewlines(body.replace(/\r?\n$/, ""), merged), path, merged, source === VALUE);
}

/** An expression as a template that leaves its value in the result box. */
function compileExpression(expression: string, source: ExpressionSource): ReturnType<typeof compile> {
  const raw = source === VALUE;
  try {
    return compile(`{{ ${CAPTURE}(${expression}\n) }}`, undefined, {}, raw);
  } catch (e) {
    // Said as the expression written would be: "got variable-end", not the box's "got right-paren".
    compile(`{{ ${expression} }}`, undefined, {}, raw);
    throw e;
  }
}

function expressionIn(expression: string, scope: Scope, source: ExpressionSource): unknown {
  const box: ResultBox = {};
  compileExpression(expression, source).render({ [SCOPE_KEY]: scope, [RESULT_KEY]: box });
  return box.value;
}

/**
 * Templar's shortcut: a value that is only `{{ name }}` (its SINGLE_VAR, whose `$` allows a final newline) of a
 * number, boolean or None is that value, untouched.
 */
const ONE_VARIABLE = /^\{\{\s*(\w*)\s*\}\}\n?$/;

/** One `{{ expr }}` and at most the newline Jinja drops: the render is that one expression's value (one node). */
function oneNode(text: string): string | undefined {
  return text.startsWith("{{") && /\}\}(?:\r?\n)?$/.test(text) ? singleExpression(text) : undefined;
}

/**
 * A templated string's value as Ansible's Templar.template gives it (concat.ts): one expression's list, dict or
 * boolean as it is, anything else as its text read back by textValue, except a string-type filter's text.
 */
function templatedValue(template: string, scope: Scope): unknown {
  const name = ONE_VARIABLE.exec(template)?.[1];
  const { result, kept } = withKeptTexts((): { value: unknown; untouched?: true } => {
    const own = name === undefined ? MISSING : scope.get(name);
    if (own === null || typeof own === "number" || typeof own === "boolean") return { value: own, untouched: true };
    const expression = oneNode(template);
    if (expression === undefined) return { value: compileText(template, VALUE).render({ [SCOPE_KEY]: scope }) };
    return { value: expressionIn(expression, scope, VALUE) };
  });
  const { value } = result;
  if (result.untouched === true) return value;
  if (typeof value === "string" && kept.has(value)) return withTrailingNewlines(template, value);
  // A list's or dict's Python text reads back as itself; other objects (a vaulted value) pass on as they are.
  if (typeof value === "boolean" || (typeof value === "object" && value !== null && !py.isNumber(value))) return value;
  const read = textValue(py.output(value));
  return typeof read === "string" ? withTrailingNewlines(template, read) : read;
}

function valueIn(value: unknown, scope: Scope): unknown {
  if (typeof value === "string") return isTemplated(value) ? templatedValue(value, scope) : value;
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
  return guarded(where, () => textIn(template, newScope(vars), VALUE));
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

/**
 * The items of a `with_<lookup>` loop: the lookup run over the loop's rendered value, a list as its terms and
 * anything else as the one term (Ansible's listify_lookup_plugin_terms); `subdir` is where first_found looks first.
 */
export function lookupItems(name: string, terms: unknown, vars: Vars, where: TemplateWhere, subdir: LoopSubdir): unknown[] {
  return guarded(where, () => materialize(runLookup(name, Array.isArray(terms) ? terms : [terms], newScope(vars), {}, subdir)) as unknown[]);
}

/**
 * A condition's expression: `{{ x }}` reads as x; other text with {{ }} or {% %} is rendered first and its text
 * read as the expression, as Ansible does (with a warning, conditionWarnings); nothing is refused.
 */
function bareExpression(expression: string, scope?: Scope): string {
  const single = singleExpression(expression);
  const bare = (single === undefined && isTemplated(expression) && scope !== undefined ? textIn(expression, scope, VALUE) : (single ?? expression)).trim();
  if (bare === "") throw new Error("empty expression");
  return bare;
}

/** Evaluates a bare Jinja expression (`result.rc != 0 and x is defined`) to its native value. */
export function evaluate(expression: string, vars: Vars, where: TemplateWhere): unknown {
  return guarded(where, () => {
    const scope = newScope(vars);
    return materialize(expressionIn(bareExpression(expression, scope), scope, CONDITION));
  });
}

/** Ansible's warning for each condition written with {{ }} or {% %} (it renders them, and warns). */
export function conditionWarnings(condition: unknown): string[] {
  if (Array.isArray(condition)) return condition.flatMap(conditionWarnings);
  if (typeof condition !== "string" || !isTemplated(condition)) return [];
  return [`conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${condition}`];
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

/**
 * Renders the text of a template file (the template module reads it), with the module's Jinja options and the
 * variables Ansible adds for one (ansible_managed, template_*). Errors name the template file and line.
 */
export function renderFile(source: string, absolutePath: string, vars: Vars, where: TemplateWhere, options: JinjaOptions = {}): string {
  return guarded(where, () => textIn(source, newScope(withTemplateFileVars(vars, absolutePath)), absolutePath, options), absolutePath);
}

/*
 * Checks without variables, for the load (--syntax-check and the check before a run): each compiles what the
 * function above it would render, as it would, so a template that does not parse is found before any host is
 * contacted; the compiled template is cached for the run.
 */

/** Why a string does not parse as renderValue would read it (text, or one `{{ expression }}`); undefined when it does. */
export function templateProblem(text: string): string | undefined {
  if (!isTemplated(text)) return undefined;
  const expression = singleExpression(text);
  try {
    if (expression === undefined) compileText(text, VALUE);
    else compileExpression(expression, VALUE);
    return undefined;
  } catch (e) {
    return describe(e);
  }
}

/** Why a condition (when, changed_when, failed_when, until, assert's that) does not parse; undefined when it does. */
export function conditionProblem(condition: unknown): string | undefined {
  if (Array.isArray(condition)) return condition.map(conditionProblem).find((problem) => problem !== undefined);
  if (typeof condition !== "string" || condition.trim() === "" || YAML_BOOLEAN.test(condition)) return undefined;
  // Text with {{ }} or {% %} inside is known as an expression only when rendered: it is compiled as text here.
  if (singleExpression(condition) === undefined && isTemplated(condition)) return templateProblem(condition);
  let bare: string;
  try {
    bare = bareExpression(condition);
  } catch (e) {
    return describe(e);
  }
  try {
    compileExpression(bare, CONDITION);
    return undefined;
  } catch (e) {
    return `'${bare}' does not parse: ${describe(e)}`;
  }
}

/**
 * Compiles a template file as renderFile would. Throws a TemplateError at the file's line:col (the file named
 * `shown` in messages), or InputFileError when it cannot be read.
 */
export function checkTemplateFile(absolutePath: string, shown: string): void {
  const source = readTextFile(shown);
  guarded({}, () => compileText(source, absolutePath), shown);
}
