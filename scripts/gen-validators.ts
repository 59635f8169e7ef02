/**
 * `npm run build` (after tsc): writes dist/precompiled-validators.cjs, ajv's standalone code of
 * every schema known at build time (buildTimeSchemas), so a run loads validators instead of compiling them
 * (engine/schema/validators.ts). The file is generated, never committed: without it every schema is compiled
 * on first use, as before.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { loadRole } from "../engine/load/include.js";
import { variableSchemas } from "../engine/load/role-vars.js";
import { ENGINE_ACTIONS } from "../engine/schema/actions.js";
import { INVENTORY_SCHEMA } from "../engine/schema/inventory.js";
import { BLOCK_SCHEMA, HANDLER_SCHEMA, IMPORT_PLAYBOOK_SCHEMA, PLAY_SCHEMA, ROLE_ENTRY_SCHEMA, TASK_SCHEMA } from "../engine/schema/keywords.js";
import { AJV_OPTIONS, PRECOMPILED_PATH, schemaKey } from "../engine/schema/validators.js";
import type { JsonSchema } from "../engine/module-api.js";
import { packageRoot } from "../engine/package-root.js";
import { registry } from "../modules/index.js";
import { NO_VAULT } from "../engine/vault/vault.js";

/** The schemas of the variables of the bundled roles (meta/argument_specs.yml of each role's main entry). */
function bundledRoleSchemas(): JsonSchema[] {
  const rolesDir = join(packageRoot, "roles");
  return readdirSync(rolesDir).flatMap((name) =>
    loadRole(name, [rolesDir], {}, registry, NO_VAULT).roles.flatMap((role) => (role.argumentSchema ? Object.values(variableSchemas(role.argumentSchema)) : [])),
  );
}

/**
 * The schemas of the engine (playbook keywords, inventory, engine actions), of every module's arguments and of
 * the bundled roles' variables.
 */
export function buildTimeSchemas(): JsonSchema[] {
  return [
    PLAY_SCHEMA,
    TASK_SCHEMA,
    HANDLER_SCHEMA,
    BLOCK_SCHEMA,
    IMPORT_PLAYBOOK_SCHEMA,
    ROLE_ENTRY_SCHEMA,
    INVENTORY_SCHEMA,
    ...[...ENGINE_ACTIONS.values()].map((action) => action.schema),
    ...[...registry.values()].map((module) => module.schema),
    ...bundledRoleSchemas(),
  ];
}

/** A CommonJS module exporting the validator of each schema under its schemaKey. */
export function validatorsModule(schemas: readonly JsonSchema[]): string {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code, source: true } });
  const exports: Record<string, string> = {};
  for (const schema of schemas) {
    const key = schemaKey(schema);
    if (exports[key] !== undefined) continue;
    ajv.addSchema(schema, key);
    exports[key] = key;
  }
  return standaloneCode.default(ajv, exports);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(PRECOMPILED_PATH, validatorsModule(buildTimeSchemas()));
}
