/**
 * include_vars (Ansible's action of that name): reads files of variables on the controller, a file found as
 * Ansible finds it or a directory's files in name order, at the moment the task runs. The variables become the
 * host's, above play and role variables as set_fact's are, but stay templates: a value `"{{ x }}"` is rendered
 * when used, as Ansible's host variables are.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { TaskFailedError } from "../errors.js";
import type { RemsError } from "../errors.js";
import { findControllerFile } from "../load/paths.js";
import { isMapping, loadVarsFile } from "../load/vars-files.js";
import { pyRegex } from "../template/regex.js";
import type { RoleContext, Vars } from "../types.js";
import type { Vault } from "../vault/vault.js";

export interface IncludeVarsArgs {
  file?: string;
  dir?: string;
  name?: string;
  depth?: number;
  files_matching?: string;
  ignore_files?: string | string[];
  extensions?: string[];
  ignore_unknown_extensions?: boolean;
  hash_behaviour?: "replace" | "merge";
}

export interface IncludeVarsPlace {
  role: RoleContext | undefined;
  taskDir: string;
  playbookDir: string;
  host: string;
  task: string;
  /** Opens vault-encrypted files (their values become secrets). */
  vault: Vault;
}

export interface IncludedVars {
  vars: Vars;
  /** ansible_included_var_files: the files read, in order. */
  files: string[];
}

const DIR_ONLY = ["dir", "depth", "files_matching", "ignore_files", "extensions", "ignore_unknown_extensions"] as const;

/** Ansible's merge_hash: mappings merged key by key, recursively; anything else replaced. */
function mergeHash(current: unknown, added: unknown): unknown {
  if (!isMapping(current) || !isMapping(added)) return added;
  const out: Vars = { ...current };
  for (const [key, value] of Object.entries(added)) out[key] = mergeHash(out[key], value);
  return out;
}

function readFile(file: string, vault: Vault, fail: (message: string) => never): Vars {
  const errors: RemsError[] = [];
  const data = loadVarsFile(file, errors, vault);
  const [first] = errors;
  if (first) fail(first.describe());
  return data;
}

/** A directory's files, Ansible's _traverse_dir_depth: directories in path order, each one's files sorted. */
function dirFiles(root: string, depth: number): string[] {
  const dirs: string[] = [];
  const walk = (dir: string): void => {
    dirs.push(dir);
    for (const entry of readdirSync(dir)) if (statSync(join(dir, entry)).isDirectory()) walk(join(dir, entry));
  };
  walk(root);
  dirs.sort();
  const kept = depth === 0 ? dirs : dirs.slice(0, depth);
  return kept.flatMap((dir) => readdirSync(dir).filter((entry) => !statSync(join(dir, entry)).isDirectory()).sort().map((entry) => join(dir, entry)));
}

/** Reads what an include_vars task asks for; `current` is the task's variables (for hash_behaviour merge). */
export function includeVars(args: IncludeVarsArgs, place: IncludeVarsPlace, current: Vars): IncludedVars {
  // Typed, so a call ends the control flow for the checker too.
  const fail: (message: string) => never = (message) => {
    throw new TaskFailedError(message, { host: place.host, task: place.task });
  };
  if (args.file !== undefined && DIR_ONLY.some((key) => args[key] !== undefined)) fail("You are mixing file only and dir only arguments, these are incompatible");
  const files: string[] = [];
  let vars: Vars = {};
  if (args.dir !== undefined) {
    // Python's os.path.join: an absolute dir stands for itself.
    const root = place.role ? (args.dir.split("/")[0] === "vars" && existsSync(resolve(place.role.path, args.dir)) ? resolve(place.role.path, args.dir) : resolve(place.role.path, "vars", args.dir)) : resolve(place.taskDir, args.dir);
    if (!existsSync(root)) fail(`${root} directory does not exist`);
    if (!statSync(root).isDirectory()) fail(`${root} is not a directory`);
    const extensions = args.extensions ?? ["json", "yaml", "yml"];
    const ignored = (typeof args.ignore_files === "string" ? args.ignore_files.split(/\s+/) : (args.ignore_files ?? [])).map((p) => pyRegex(`${p}$`, {}));
    const matching = args.files_matching === undefined ? undefined : pyRegex(args.files_matching, {});
    for (const file of dirFiles(root, args.depth ?? 0)) {
      const name = basename(file);
      if (matching && !matching.test(name)) continue;
      if (ignored.some((re) => re.test(name))) continue;
      if (!extensions.includes(extname(name).slice(1))) {
        if (args.ignore_unknown_extensions === true) continue;
        fail(`${file} does not have a valid extension: ${extensions.join(", ")}`);
      }
      vars = { ...vars, ...readFile(file, place.vault, fail) };
      files.push(file);
    }
  } else {
    const wanted = args.file ?? fail("include_vars needs a file (or dir)");
    const { found, lookedIn } = findControllerFile(wanted, "vars", place);
    if (found === undefined) fail(`Could not find or access '${wanted}' (looked in: ${lookedIn.join(", ")})`);
    vars = readFile(found, place.vault, fail);
    files.push(found);
  }
  if (args.name !== undefined) vars = { [args.name]: vars };
  if (args.hash_behaviour === "merge") vars = Object.fromEntries(Object.entries(vars).map(([key, value]) => [key, mergeHash(current[key], value)]));
  return { vars, files };
}
