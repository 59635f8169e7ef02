/**
 * Validation against our JSON schemas, and the translation of ajv's errors into messages that name the
 * offending key or value, what was expected, and where it is in the source (locations.ts). Callers add who is
 * speaking (`task "x": apt: `) and wrap the result in the typed error they need.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { didYouMean } from "../did-you-mean.js";
import { SchemaValidationError } from "../errors.js";
import type { SourceLocation } from "../errors.js";
import type { JsonSchema, ModuleDefinition } from "../module-api.js";
import { locationOf, shareLocations, valueLocationOf } from "../source/locations.js";
import { isTemplated } from "../template/render.js";
import { booleanWord } from "../truth.js";
import { compileValidator } from "./validators.js";

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = compileValidator(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export interface Problem {
  /** "unknown argument 'nmae'; did you mean 'name'?" */
  message: string;
  loc: SourceLocation | undefined;
}

export interface ValidateOptions {
  /** What a property is called in messages: "argument", "play keyword", "task keyword", "key". */
  noun: string;
  /**
   * Load time: values holding `{{ }}` or `{% %}` are only known after templating, so checks of such a value
   * (type, enum, pattern ...) are left to the run-time validation. Unknown and missing keys are still reported.
   */
  allowTemplates?: boolean;
  /** Where to blame an error on the top-level object itself (e.g. missing required keys). */
  fallback?: SourceLocation | undefined;
}

/** Validates `data` against `schema`; one Problem per distinct mistake, in source order. */
export function validate(schema: JsonSchema, data: unknown, options: ValidateOptions): Problem[] {
  const check = validatorFor(schema);
  if (check(data)) return [];
  const errors = check.errors ?? [];
  // An anyOf/oneOf failure is reported once, as "must be A or B", not once per branch.
  const alternatives = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => e.schemaPath + "/");
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (alternatives.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    if (error.keyword === "if") continue;
    if (options.allowTemplates && error.keyword !== "additionalProperties" && error.keyword !== "required" && typeof error.data === "string" && isTemplated(error.data)) continue;
    const problem = describe(error, data, options);
    const id = `${problem.message}@${problem.loc ? `${problem.loc.line}:${problem.loc.col}` : ""}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(problem);
  }
  return problems.sort(byLocation);
}

function byLocation(a: Problem, b: Problem): number {
  if (!a.loc || !b.loc) return 0;
  return a.loc.line - b.loc.line || a.loc.col - b.loc.col;
}

/** JSON pointer → path segments, with array indexes as numbers. */
function segments(pointer: string, data: unknown): (string | number)[] {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let current = data;
  for (const raw of pointer.slice(1).split("/")) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const key = Array.isArray(current) ? Number(part) : part;
    path.push(key);
    current = typeof current === "object" && current !== null ? (current as Record<string | number, unknown>)[key] : undefined;
  }
  return path;
}

/** The container holding the last segment of `path`, or undefined. */
function containerAt(data: unknown, path: readonly (string | number)[]): object | undefined {
  let current = data;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return typeof current === "object" && current !== null ? current : undefined;
}

/** `packages[0]`, `loop_control.label`. */
export function displayPath(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

/** A value as quoted in messages: 'text', 5, true, null, [..]. */
export function show(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (value === undefined) return "nothing";
  const json = JSON.stringify(value);
  return json.length > 60 ? json.slice(0, 57) + "..." : json;
}

const TYPE_NAMES: Record<string, string> = { array: "list", object: "dict" };

export function typeName(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

/** "string or list", "one of a, b" — what a (sub)schema accepts, in words. */
export function expected(schema: unknown): string {
  if (typeof schema !== "object" || schema === null) return "valid";
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum)) return `one of ${s.enum.map(String).join(", ")}`;
  if ("const" in s) return show(s.const);
  const branches = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (branches) return [...new Set(branches.map(expected))].join(" or ");
  if (typeof s.type === "string") return typeName(s.type);
  if (Array.isArray(s.type)) return s.type.map((t) => typeName(String(t))).join(" or ");
  return "valid";
}

function describe(error: ErrorObject, data: unknown, options: ValidateOptions): Problem {
  const path = segments(error.instancePath, data);
  const parentPath = path.slice(0, -1);
  const last = path.at(-1);
  const container = containerAt(data, parentPath);
  const valueLoc = (container && last !== undefined ? valueLocationOf(container, last) : undefined) ?? objectLoc(data, path, options);
  const name = displayPath(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const object = containerAt(data, path);
      const known = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const where = name ? ` in '${name}'` : "";
      return { message: `unknown ${options.noun} '${key}'${where}${didYouMean(key, known)}`, loc: (object && locationOf(object, key)) ?? objectLoc(data, path, options) };
    }
    case "required": {
      const where = name ? ` in '${name}'` : "";
      return { message: `missing required ${options.noun} '${String(params.missingProperty)}'${where}`, loc: objectLoc(data, path, options) };
    }
    case "enum":
    case "const":
    case "type":
    case "anyOf":
    case "oneOf":
      return { message: `'${name}' must be ${expected(error.parentSchema)}; got ${show(error.data)}`, loc: valueLoc };
    default:
      return { message: `'${name}' ${error.message ?? "is invalid"}; got ${show(error.data)}`, loc: valueLoc };
  }
}

function objectLoc(data: unknown, path: readonly (string | number)[], options: ValidateOptions): SourceLocation | undefined {
  const object = containerAt(data, path);
  return (object && locationOf(object)) ?? options.fallback;
}

function acceptedTypes(schema: unknown): Set<string> {
  const types = new Set<string>();
  if (typeof schema !== "object" || schema === null) return types;
  const s = schema as Record<string, unknown>;
  if (typeof s.type === "string") types.add(s.type);
  if (Array.isArray(s.type)) for (const t of s.type) types.add(String(t));
  const branches: unknown[] = [...(Array.isArray(s.anyOf) ? (s.anyOf as unknown[]) : []), ...(Array.isArray(s.oneOf) ? (s.oneOf as unknown[]) : [])];
  for (const branch of branches) {
    for (const t of acceptedTypes(branch)) types.add(t);
  }
  return types;
}

/**
 * Converts strings to the boolean or number the schema expects, as Ansible does for module arguments
 * (`update_cache: "{{ flag }}"` rendering to "yes", `port=8080` in key=value form). A value whose schema also
 * accepts a string is left alone. Returns a new value; `value` is not modified.
 */
export function coerceArgs(schema: JsonSchema, value: unknown): unknown {
  const types = acceptedTypes(schema);
  if (typeof value === "string" && !types.has("string")) {
    const word = types.has("boolean") ? booleanWord(value) : undefined;
    if (word !== undefined) return word;
    if (types.has("integer") && /^[+-]?\d+$/.test(value.trim())) return Number(value);
    if (types.has("number") && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    return value;
  }
  // Ansible converts a number where a string is expected (`port: "{{ ssh_port }}"` renders to 22).
  if (typeof value === "number" && types.has("string") && !types.has("integer") && !types.has("number")) return String(value);
  if (Array.isArray(value)) {
    const items = schema.items;
    if (typeof items !== "object" || items === null) return value;
    const list = value.map((item) => coerceArgs(items as JsonSchema, item));
    shareLocations(value, list);
    return list;
  }
  if (typeof value === "object" && value !== null) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const sub = properties[key];
      result[key] = sub ? coerceArgs(sub, item) : item;
    }
    shareLocations(value, result);
    return result;
  }
  return value;
}

/** Whether `data` is valid against `schema` (for callers that word their own message). */
export function matches(schema: JsonSchema, data: unknown): boolean {
  return validatorFor(schema)(data);
}

export interface ArgsPlace {
  /** Task name as shown in messages (its name, or the action for an unnamed task). */
  task: string;
  /** Where to blame a value without a recorded location (the module key of the task, or the task). */
  loc?: SourceLocation | undefined;
  /** Run time: the host the arguments were templated for. */
  host?: string | undefined;
  /** Load time: values holding {{ }} are checked only after templating. */
  allowTemplates?: boolean;
}

/**
 * Errors of a task's module arguments, one message format at load time and at run time:
 * `task "install nginx": apt: unknown argument 'nmae'; did you mean 'name'?`. Strings are read as the booleans
 * and numbers the schema expects first (coerceArgs), as Ansible does. `located` is the object holding the
 * source locations of the arguments (task.args as loaded; `args` itself at load time); at run time pass the
 * templated `args` and the loaded `task.args`.
 */
export function validateModuleArgs(
  module: Pick<ModuleDefinition, "name" | "schema">,
  args: Record<string, unknown>,
  located: object,
  place: ArgsPlace,
): SchemaValidationError[] {
  const checked = coerceArgs(module.schema, args);
  if (typeof checked === "object" && checked !== null) shareLocations(located, checked);
  const problems = validate(module.schema, checked, { noun: "argument", allowTemplates: place.allowTemplates ?? false, fallback: place.loc });
  return problems.map(
    (p) => new SchemaValidationError(`task "${place.task}": ${module.name}: ${p.message}`, { loc: p.loc ?? place.loc, host: place.host, task: place.task }),
  );
}
