import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import type { JsonSchema } from "../../../engine/module-api.js";
import { ENGINE_ACTIONS } from "../../../engine/schema/actions.js";
import { TASK_SCHEMA } from "../../../engine/schema/keywords.js";
import { compileValidator, schemaKey } from "../../../engine/schema/validators.js";
import { registry } from "../../../modules/index.js";
import { buildTimeSchemas, validatorsModule } from "../../../scripts/gen-validators.js";

const schema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1, pattern: "^[a-z]", description: "Name" },
    state: { enum: ["present", "absent"], description: "State" },
    port: { anyOf: [{ type: "integer" }, { type: "string" }], description: "Port" },
  },
};

/** Loads generated validators as a run does: a CommonJS file below the package (it requires ajv's runtime). */
function loadGenerated(code: string): Record<string, ValidateFunction> {
  const dir = mkdtempSync(join(dirname(fileURLToPath(import.meta.url)), "generated-"));
  try {
    const file = join(dir, "validators.cjs");
    writeFileSync(file, code);
    return createRequire(import.meta.url)(file) as Record<string, ValidateFunction>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("precompiled validators", () => {
  test("a schema's key follows its content, not its identity", () => {
    assert.equal(schemaKey(schema), schemaKey(structuredClone(schema)));
    assert.notEqual(schemaKey(schema), schemaKey({ ...schema, required: [] }));
    assert.match(schemaKey(schema), /^s[0-9a-f]{40}$/);
  });

  test("generated code gives the same verdicts and errors as compiling at run time", () => {
    const generated = loadGenerated(validatorsModule([schema]))[schemaKey(schema)];
    assert.ok(generated);
    const compiled = compileValidator(structuredClone(schema));
    const cases: unknown[] = [{ name: "web" }, { name: "", state: "gone", port: [], nmae: 1 }, { port: 80 }, "text"];
    for (const data of cases) {
      assert.equal(generated(data), compiled(data), JSON.stringify(data));
      assert.deepEqual(generated.errors, compiled.errors, JSON.stringify(data));
    }
  });

  test("the build-time schemas are the engine's, every module's and the bundled roles' variables", () => {
    const keys = new Set(buildTimeSchemas().map(schemaKey));
    for (const known of [TASK_SCHEMA, ...[...ENGINE_ACTIONS.values()].map((a) => a.schema), ...[...registry.values()].map((m) => m.schema)]) {
      assert.ok(keys.has(schemaKey(known)));
    }
    assert.ok(buildTimeSchemas().some((s) => s.title === "list of str"), "role variable schemas");
  });
});
