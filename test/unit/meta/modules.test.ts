/**
 * Repo-wide invariants over the module registry (ESLint's checkRuleFiles, typescript-eslint's schemas and docs
 * tests): every module is registered under its file name, tested at every level, documented by its schema, and
 * its examples load as tasks. A new module fails here until it has all four things of CONTRIBUTING.md.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { newScope } from "../../../engine/load/load-scope.js";
import { parseTaskList } from "../../../engine/load/tasks.js";
import { parseYaml } from "../../../engine/source/yaml.js";
import type { AnyModule, JsonSchema } from "../../../engine/module-api.js";
import { validate } from "../../../engine/schema/validate.js";
import type { TaskNode } from "../../../engine/types.js";
import { registry } from "../../../modules/index.js";
import { checkModuleDocs } from "../../../scripts/gen-module-docs.js";
import { withSurface } from "../../../scripts/readme-surface.js";
import { repoRoot } from "../../helpers/rems-play.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";

/** modules/<name>.ts files; index.ts is the registry, shared/ and facts/ are directories. */
const moduleFiles = readdirSync(join(repoRoot, "modules"))
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && file !== "index.ts")
  .map((file) => file.slice(0, -".ts".length))
  .sort();

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function schemaList(value: unknown): JsonSchema[] {
  return Array.isArray(value) ? value.filter(isSchema) : [];
}

/** Properties without a description and objects that accept unknown keys, anywhere in the schema. */
function schemaProblems(schema: JsonSchema, path: string): string[] {
  const problems: string[] = [];
  if (isSchema(schema.properties)) {
    if (schema.additionalProperties !== false) problems.push(`${path}: an object with properties must set additionalProperties: false`);
    for (const [name, property] of Object.entries(schema.properties)) {
      const at = path === "(arguments)" ? name : `${path}.${name}`;
      if (!isSchema(property)) {
        problems.push(`${at}: not a schema`);
        continue;
      }
      if (typeof property.description !== "string" || property.description.trim() === "") problems.push(`${at}: no description`);
      problems.push(...schemaProblems(property, at));
    }
  }
  if (isSchema(schema.items)) problems.push(...schemaProblems(schema.items, `${path}[]`));
  if (isSchema(schema.additionalProperties)) problems.push(...schemaProblems(schema.additionalProperties, `${path}.*`));
  for (const branch of [...schemaList(schema.anyOf), ...schemaList(schema.oneOf), ...schemaList(schema.allOf)]) {
    problems.push(...schemaProblems(branch, path));
  }
  return problems;
}

function flatten(nodes: readonly TaskNode[]): TaskNode[] {
  return nodes.flatMap((n) => (n.kind === "block" ? [...flatten(n.block), ...flatten(n.rescue), ...flatten(n.always)] : [n]));
}

/** Loads an example the way a playbook's tasks are loaded; returns the loader's messages and the tasks. */
function loadExample(module: AnyModule, example: string, index: number): { errors: string[]; actions: string[] } {
  const file = `modules/${module.name}.ts example ${index + 1}`;
  const { data, errors } = parseYaml(example, file, NO_VAULT);
  if (errors.length > 0) return { errors: errors.map((e) => e.describe()), actions: [] };
  const list: unknown[] = Array.isArray(data) ? data : [data];
  const scope = newScope(registry, NO_VAULT, []);
  const tasks = flatten(parseTaskList(scope, list, { file, role: undefined, tags: [] }));
  return { errors: scope.errors.map((e) => e.describe()), actions: tasks.flatMap((t) => (t.kind === "task" ? [t.action] : [])) };
}

describe("the module registry", () => {
  test("registers every modules/*.ts file, and nothing else", () => {
    assert.deepEqual([...registry.keys()].sort(), moduleFiles);
  });

  test("is sorted by name", () => {
    const names = [...registry.keys()];
    assert.deepEqual(names, [...names].sort());
  });

  test("generated docs are up to date", () => {
    const problems = checkModuleDocs(registry, join(repoRoot, "docs/modules"));
    assert.equal(problems.length, 0, `${problems.join("\n")}\nrun npm run docs:modules`);
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    assert.equal(withSurface(readme, registry), readme, "the README's list of modules, lookups, filters and tests is out of date: run npm run docs:modules");
  });
});

for (const [key, module] of registry) {
  describe(`module ${key}`, () => {
    test("is named after its registry key and its file", () => {
      assert.equal(module.name, key);
      assert.ok(existsSync(join(repoRoot, "modules", `${key}.ts`)), `modules/${key}.ts does not exist`);
    });

    test("has a one-line description", () => {
      assert.match(module.description, /^\S.*$/);
    });

    test("has unit tests, fixtures and an e2e test", () => {
      const fixtureDir = join(repoRoot, "test/modules", key);
      const fixtures = existsSync(fixtureDir) ? readdirSync(fixtureDir).filter((f) => f.endsWith(".json")) : [];
      const missing = [
        ...[`test/unit/modules/${key}.test.ts`, `test/e2e/modules/${key}.test.ts`].filter((p) => !existsSync(join(repoRoot, p))),
        ...(fixtures.length === 0 ? [`test/modules/${key}/*.json`] : []),
      ];
      assert.deepEqual(missing, []);
    });

    test("has an object schema that refuses unknown arguments", () => {
      assert.equal(module.schema.type, "object");
      assert.equal(module.schema.additionalProperties, false);
    });

    test("has a schema the engine's strict ajv compiles", () => {
      assert.doesNotThrow(() => validate(module.schema, {}, { noun: "argument" }));
    });

    test("has aliases that name its arguments and are no arguments themselves", () => {
      const properties = Object.keys(module.schema.properties ?? {});
      const wrong = Object.entries(module.aliases ?? {}).filter(([alias, name]) => !properties.includes(name) || properties.includes(alias));
      assert.deepEqual(wrong, []);
    });

    test("describes every argument, at every depth", () => {
      assert.deepEqual(schemaProblems(module.schema, "(arguments)"), []);
    });

    test("has examples that load as tasks of this module and pass its schema", () => {
      assert.ok(module.examples.length > 0, "no examples");
      module.examples.forEach((example, index) => {
        const { errors, actions } = loadExample(module, example, index);
        assert.deepEqual(errors, [], `example ${index + 1}:\n${example}`);
        assert.ok(actions.includes(key), `example ${index + 1} has no ${key} task:\n${example}`);
      });
    });
  });
}
