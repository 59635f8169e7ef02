/**
 * Compiled validators, one per schema. Compiling with ajv costs most of a run's start-up (about 0.2 s for the
 * schemas known at build time, plus loading ajv itself), so `npm run build` writes those validators as code
 * (scripts/gen-validators.ts) and a run only loads them. A schema without a precompiled validator (role
 * argument specs of other roles, a build without the generator step, a schema changed since the build) is
 * compiled here on first use, with the same options: either way the same errors come out.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Ajv, Options, ValidateFunction } from "ajv";
import type { JsonSchema } from "../module-api.js";
import { packageRoot } from "../package-root.js";

// Synchronous loading on demand: ajv is only loaded when a schema has to be compiled.
const require = createRequire(import.meta.url);

// allowUnionTypes: `type: ["object", "null"]` keeps unknown-key errors precise where anyOf would blur them.
// allErrors and verbose: validate.ts words every mistake at once, from the schema that failed.
// code.optimize off: ajv's optimizing passes cost more compile time than they save on a run's validations.
export const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: true,
  allowUnionTypes: true,
  useDefaults: false,
  coerceTypes: false,
  verbose: true,
  code: { optimize: false },
};

/** The generated CommonJS module exporting validators by schemaKey: one place for the compiled tree and the bin. */
export const PRECOMPILED_PATH = join(packageRoot, "dist", "precompiled-validators.cjs");

/** Names a schema by its content, so a validator generated from an older schema is never used for a newer one. */
export function schemaKey(schema: JsonSchema): string {
  return "s" + createHash("sha1").update(JSON.stringify(schema)).digest("hex");
}

let precompiled: Readonly<Record<string, ValidateFunction>> | undefined;
let ajv: Ajv | undefined;

function loadPrecompiled(): Readonly<Record<string, ValidateFunction>> {
  try {
    return require(PRECOMPILED_PATH) as Record<string, ValidateFunction>;
  } catch (error) {
    // Built by `tsc` alone (as the unit tests are): every schema is compiled on first use.
    if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return {};
    throw error;
  }
}

/** The validator of `schema`: the precompiled one when there is one, else compiled now. */
export function compileValidator(schema: JsonSchema): ValidateFunction {
  precompiled ??= loadPrecompiled();
  const found = precompiled[schemaKey(schema)];
  if (found) return found;
  ajv ??= new (require("ajv") as { Ajv: typeof Ajv }).Ajv(AJV_OPTIONS);
  return ajv.compile(schema);
}
