/**
 * Files of variables: vars_files, role defaults/ and vars/, group_vars/ and host_vars/. Each is a YAML mapping;
 * the mapping object itself is returned so locations.ts can point into it.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { SchemaValidationError } from "../errors.js";
import type { RemsError } from "../errors.js";
import { locationOf, recordContainer } from "../source/locations.js";
import { readYamlFile } from "../source/yaml.js";
import type { Vars } from "../types.js";
import type { Vault } from "../vault/vault.js";

export interface VarsFile {
  vars: Vars;
  file: string;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads one vars file; an empty file is no variables. Errors are appended to `errors`. */
export function loadVarsFile(file: string, errors: RemsError[], vault: Vault): Vars {
  const { data, errors: found } = readYamlFile(file, vault);
  errors.push(...found);
  if (data === null || data === undefined) {
    const empty: Vars = {};
    recordContainer(empty, { file, line: 1, col: 1 });
    return empty;
  }
  if (!isMapping(data)) {
    errors.push(new SchemaValidationError(`vars file must be a mapping of variable names to values`, { loc: (Array.isArray(data) ? locationOf(data) : undefined) ?? { file, line: 1, col: 1 } }));
    return {};
  }
  return data;
}

const VARS_EXTENSIONS = ["", ".yml", ".yaml", ".json"];

/**
 * The vars files for `name` in a directory such as group_vars/ (Ansible's forms): `<name>`, `<name>.yml`,
 * `<name>.yaml`, `<name>.json`, or a folder `<name>/` whose files are read in name order (recursively).
 */
export function findVarsFiles(dir: string, name: string): string[] {
  const files: string[] = [];
  for (const ext of VARS_EXTENSIONS) {
    const candidate = join(dir, name + ext);
    if (!existsSync(candidate)) continue;
    if (statSync(candidate).isDirectory()) files.push(...filesIn(candidate));
    else files.push(candidate);
  }
  return files;
}

function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => !entry.startsWith("."))
    .sort()
    .flatMap((entry) => {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) return filesIn(full);
      return VARS_EXTENSIONS.some((ext) => ext !== "" && entry.endsWith(ext)) || !entry.includes(".") ? [full] : [];
    });
}

/** The first vars file of a role directory such as defaults/ (main.yml, main.yaml, main.json, main). */
export function findMainFile(dir: string, base = "main"): string | undefined {
  for (const ext of [".yml", ".yaml", ".json", ""]) {
    const candidate = join(dir, base + ext);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}
