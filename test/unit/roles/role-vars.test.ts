/**
 * Invariants of the roles' variables: every role's YAML parses (YAML 1.1, as the loader reads it); every default
 * is declared in the role's meta/argument_specs.yml (so it is validated before any host is contacted) and every
 * declared option is used; the identity variables that several roles share (app_dir, app_port, ...) have the same
 * default in each role, so a role used alone and the roles used together agree.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parse } from "yaml";
import { repoRoot } from "../../helpers/rems-play.js";

const roles = ["common", "app", "tls", "nginx", "backup", "firewall", "monitoring", "hardening"];
type Vars = Record<string, unknown>;
/** Inline vault values (the production inventory's secret) are strings to the parser; the loader decrypts them. */
const VAULT_TAG = { tag: "!vault", resolve: (text: string) => text };

function read(path: string): string {
  return readFileSync(join(repoRoot, path), "utf8");
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(repoRoot, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(join(repoRoot, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

function defaults(role: string): Vars {
  return parse(read(`roles/${role}/defaults/main.yml`), { version: "1.1" }) as Vars;
}

function specOptions(role: string): Record<string, { required?: boolean }> {
  const specs = parse(read(`roles/${role}/meta/argument_specs.yml`), { version: "1.1" }) as {
    argument_specs: { main: { options: Record<string, { required?: boolean }> } };
  };
  return specs.argument_specs.main.options;
}

test("every YAML file of the roles, playbooks, inventories and apps parses without error or warning", () => {
  const files = ["roles", "playbooks", "inventory", "apps"].flatMap(filesUnder).filter((f) => f.endsWith(".yml"));
  assert.ok(files.length >= 25, `found only ${files.length} YAML files`);
  for (const file of files) {
    for (const doc of parseAllDocuments(read(file), { version: "1.1", customTags: [VAULT_TAG] })) {
      assert.deepEqual([...doc.errors, ...doc.warnings].map((e) => e.message), [], file);
    }
  }
});

for (const role of roles) {
  test(`roles/${role}: defaults and meta/argument_specs.yml declare the same variables`, () => {
    const options = specOptions(role);
    const declaredDefaults = Object.keys(defaults(role));
    const required = Object.keys(options).filter((name) => options[name]?.required === true);
    assert.deepEqual(declaredDefaults.filter((name) => !(name in options)), [], "defaults missing from argument_specs");
    assert.deepEqual(
      Object.keys(options).filter((name) => !declaredDefaults.includes(name) && !required.includes(name)),
      [],
      "options that are neither required nor defaulted",
    );
    assert.deepEqual(required.filter((name) => declaredDefaults.includes(name)), [], "required options with a default");
  });

  test(`roles/${role}: has tasks and a README`, () => {
    assert.ok(existsSync(join(repoRoot, `roles/${role}/tasks/main.yml`)));
    assert.match(read(`roles/${role}/README.md`), /differ/i);
  });
}

test("identity variables shared by several roles have one default", () => {
  const seen = new Map<string, { role: string; value: unknown }>();
  let shared = 0;
  for (const role of roles) {
    for (const [name, value] of Object.entries(defaults(role))) {
      const first = seen.get(name);
      if (first === undefined) {
        seen.set(name, { role, value });
        continue;
      }
      shared++;
      assert.deepEqual(value, first.value, `${name}: roles/${role} and roles/${first.role} disagree`);
    }
  }
  assert.ok(shared >= 10, `expected the identity variables to be shared, found ${shared} repeats`);
});

// Issue 15: REMS's settings are the roles' defaults, the lowest precedence, so any inventory or -e value wins.
test("every role that names things after the app defaults to REMS, and requires nothing the inventory may omit", () => {
  for (const role of ["app", "tls", "nginx", "backup", "monitoring"]) {
    assert.equal(defaults(role).app_name, "rems", role);
  }
  for (const role of roles) {
    const options = specOptions(role);
    assert.deepEqual(Object.keys(options).filter((name) => options[name]?.required === true), [], role);
  }
});
