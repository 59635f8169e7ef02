/**
 * Role variable specs (Ansible's meta/argument_specs.yml) → a JSON schema on RoleContext.argumentSchema, and the
 * check of a host's variables against it, blaming the file and line where the winning value was set.
 */
import { join } from "node:path";
import { SchemaValidationError } from "../errors.js";
import type { RemsError, SourceLocation } from "../errors.js";
import type { JsonSchema } from "../module-api.js";
import { coerceArgs, matches, show } from "../schema/validate.js";
import { locationOf, valueLocationOf } from "../source/locations.js";
import { readYamlFile } from "../source/yaml.js";
import { isTemplated } from "../template/render.js";
import type { RoleContext, Vars } from "../types.js";
import type { LoadScope } from "./load-scope.js";
import { findMainFile, isMapping } from "./vars-files.js";

/** Any scalar: Ansible converts a number or a boolean given for a str (its default type) to text. */
const TEXT: JsonSchema = { anyOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }] };

const TYPES: Record<string, JsonSchema> = {
  str: TEXT,
  path: TEXT,
  int: { type: "integer" },
  float: { type: "number" },
  bool: { type: "boolean" },
  list: { type: "array" },
  dict: { type: "object" },
  raw: {},
};

/**
 * The schema of one option. `title` holds Ansible's type name ("int", "list of str") for messages.
 * Problems in the spec itself are reported at their location.
 */
function optionSchema(scope: LoadScope, spec: unknown, where: SourceLocation | undefined): JsonSchema {
  if (!isMapping(spec)) return {};
  const typeName = typeof spec.type === "string" ? spec.type : "str";
  const base = TYPES[typeName];
  if (!base) {
    scope.errors.push(new SchemaValidationError(`argument spec type '${typeName}' is not one of ${Object.keys(TYPES).join(", ")}`, { loc: valueLocationOf(spec, "type") ?? where }));
    return {};
  }
  const schema: JsonSchema = { ...base, title: typeName };
  const description = Array.isArray(spec.description) ? spec.description.map(String).join(" ") : spec.description;
  if (typeof description === "string") schema.description = description;
  const choices = Array.isArray(spec.choices) ? spec.choices : undefined;
  if (typeName === "list") {
    const elements = typeof spec.elements === "string" ? spec.elements : undefined;
    const items: JsonSchema = elements ? optionSchema(scope, { type: elements, options: spec.options }, where) : {};
    if (choices) items.enum = choices;
    schema.items = items;
    if (elements) schema.title = `list of ${elements}`;
  } else if (choices) {
    schema.enum = choices;
  }
  if (typeName === "dict" && isMapping(spec.options)) Object.assign(schema, objectSchema(scope, spec.options));
  return schema;
}

function objectSchema(scope: LoadScope, options: Record<string, unknown>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, spec] of Object.entries(options)) {
    properties[name] = optionSchema(scope, spec, locationOf(options, name));
    if (isMapping(spec) && spec.required === true) required.push(name);
  }
  return { type: "object", properties, required };
}

/**
 * The schema of a role's variables for one entry point (main, or the tasks_from name), from
 * meta/argument_specs.yml or the argument_specs key of meta/main.yml. Undefined when the role has none.
 */
export function argumentSchema(scope: LoadScope, rolePath: string, meta: Record<string, unknown>, entry: string): JsonSchema | undefined {
  let specs = meta.argument_specs;
  const file = findMainFile(join(rolePath, "meta"), "argument_specs");
  if (file !== undefined) {
    const { data, errors } = readYamlFile(file, scope.vault);
    scope.errors.push(...errors);
    if (isMapping(data)) specs = data.argument_specs;
  }
  if (!isMapping(specs)) return undefined;
  const point = specs[entry];
  if (!isMapping(point) || !isMapping(point.options)) return undefined;
  return objectSchema(scope, point.options);
}

/** One source of variables, e.g. { label: "group_vars/web.yml", vars }; `vars` is the loaded object itself. */
export interface VarLayer {
  label: string;
  vars: Vars;
  /** Wins over the role's vars/ and parameters (extra vars); other layers lose to them (Ansible's order). */
  aboveRole?: boolean;
}

/** The schema each variable's value is checked against, by variable name (argumentSchema's properties). */
export function variableSchemas(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema.properties ?? {}) as Record<string, JsonSchema>;
}

function holdsTemplate(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsTemplate);
  if (isMapping(value)) return Object.values(value).some(holdsTemplate);
  return isTemplated(value);
}

function expectedText(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(String).join(", ")}`;
  return typeof schema.title === "string" ? schema.title : "valid";
}

/**
 * Checks a host's variables against role.argumentSchema before any host is contacted. `layers` are the
 * variable layers outside the role, lowest precedence first (inventory layers, play vars, vars_files, then extra
 * vars marked aboveRole); the role's defaults (below all), vars and parameters (above all but aboveRole layers)
 * are added here. The value of the highest layer that sets a variable is checked and blamed at its source
 * location. Values holding templates are checked at run time, not here.
 */
export function validateRoleVars(role: RoleContext, outside: readonly VarLayer[], host?: string): RemsError[] {
  const schema = role.argumentSchema;
  if (!schema) return [];
  const layers: VarLayer[] = [
    { label: `role ${role.name} defaults`, vars: role.defaults },
    ...outside.filter((l) => l.aboveRole !== true),
    { label: `role ${role.name} vars`, vars: role.vars },
    { label: `role ${role.name} parameters`, vars: role.params },
    ...outside.filter((l) => l.aboveRole === true),
  ];
  const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
  const errors: RemsError[] = [];
  for (const [name, spec] of Object.entries(variableSchemas(schema))) {
    const layer = layers.findLast((l) => Object.hasOwn(l.vars, name));
    if (!layer) {
      if (required.includes(name)) {
        errors.push(new SchemaValidationError(`role ${role.name}: variable '${name}' is required but not set`, { loc: role.loc, host }));
      }
      continue;
    }
    const value = layer.vars[name];
    if (holdsTemplate(value)) continue;
    if (matches(spec, coerceArgs(spec, value))) continue;
    const loc = valueLocationOf(layer.vars, name);
    const from = loc ? "" : ` (set in ${layer.label})`;
    errors.push(
      new SchemaValidationError(`role ${role.name}: variable '${name}' must be ${expectedText(spec)}, got ${show(value)}${from}`, { loc: loc ?? role.loc, host }),
    );
  }
  return errors;
}
