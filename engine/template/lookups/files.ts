/**
 * Lookups of controller files: file, template, fileglob, first_found. Relative names are looked for where Ansible
 * looks (the task's role, its task file's directory, its playbook's; each with files/ or templates/ first: see
 * findControllerFile).
 */
import { readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join } from "node:path";
import { findControllerFile } from "../../load/paths.js";
import * as py from "../py.js";
import { boolean } from "../../truth.js";
import { LookupError, option, type Lookup, type LookupCall } from "./lookup-api.js";

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
}

/** The absolute path of a controller file, or undefined. */
export function findFile(call: LookupCall, kind: "files" | "templates" | "vars", name: string): string | undefined {
  return findControllerFile(expandHome(name), kind, call.controller.search).found;
}

function fileName(term: unknown, lookup: string): string {
  if (typeof term !== "string") throw new LookupError(`the ${lookup} lookup takes file names, not ${py.typeName(term)}`);
  return term;
}

const file: Lookup = (terms, call) =>
  terms.map((term) => {
    const path = findFile(call, "files", fileName(term, "file"));
    if (path === undefined) throw new LookupError(`could not locate file in lookup: ${String(term)}`);
    let text = call.controller.readText(path);
    if (boolean(option(call, "rstrip", true))) text = text.trimEnd();
    if (boolean(option(call, "lstrip", false))) text = text.trimStart();
    return text;
  });

const template: Lookup = (terms, call) =>
  terms.map((term) => {
    const path = findFile(call, "templates", fileName(term, "template"));
    if (path === undefined) throw new LookupError(`the template file ${String(term)} could not be found for the lookup`);
    const extra = option(call, "template_vars", {});
    return call.renderFile(call.controller.readText(path), path, py.isMapping(extra) ? extra : {});
  });

/** A shell pattern of one path part as a RegExp; as in Python's glob, `*` and `?` do not match a leading dot. */
function globPattern(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    const close = c === "[" ? pattern.indexOf("]", i + 2) : -1;
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (close > 0) {
      const body = pattern.slice(i + 1, close);
      re += `[${body.startsWith("!") ? "^" + body.slice(1) : body}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\[\]]/g, "\\$&");
  }
  return new RegExp(`^${pattern.startsWith(".") ? "" : "(?!\\.)"}${re}$`, "s");
}

/** The files (not directories) in `dir` whose names match `pattern`, sorted. */
function globFiles(dir: string, pattern: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const re = globPattern(pattern);
  return names.filter((name) => re.test(name) && statSync(join(dir, name), { throwIfNoEntry: false })?.isFile() === true).sort().map((name) => join(dir, name));
}

/** Files matching a pattern in its name part: in the first search directory (files/ first) that has any. */
const fileglob: Lookup = (terms, call) =>
  terms.flatMap((term) => {
    const pattern = fileName(term, "fileglob");
    const name = basename(pattern);
    const { role, taskDir, playbookDir } = call.controller.search;
    const dirs = name === pattern
      ? [...new Set([...(role ? [role.path] : []), taskDir, playbookDir])].flatMap((dir) => [join(dir, "files"), dir])
      : [findFile(call, "files", dirname(pattern))].filter((dir) => dir !== undefined);
    for (const dir of dirs) {
      const found = globFiles(dir, name);
      if (found.length > 0) return found;
    }
    return [];
  });

/** Python's split on any of `separators`, for first_found's `files: a.yml,b.yml`. */
function splitOn(value: unknown, separators: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((item) => (typeof item === "string" ? item.split(new RegExp(`[${separators}]`)).filter((part) => part !== "") : []));
}

/**
 * The candidates of first_found in order. As in Ansible, a mapping term brings its own files/paths/skip, a string
 * term takes them from the keyword arguments (and is itself the candidate when they name no files), and with
 * paths each file is looked for under each path.
 */
function candidates(terms: readonly unknown[], options: Readonly<Record<string, unknown>>, state: { skip: boolean }): string[] {
  let search: string[] = [];
  for (const term of terms) {
    if (Array.isArray(term)) {
      search.push(...candidates(term, options, state));
      continue;
    }
    let given: Readonly<Record<string, unknown>>;
    if (py.isMapping(term)) given = term;
    else if (typeof term === "string") given = options;
    else throw new LookupError(`Invalid term supplied, can handle string, mapping or list of strings but got: ${py.typeName(term)} for ${py.str(term)}`);
    state.skip = boolean(given.skip ?? false);
    const files = splitOn(given.files ?? [], ",;");
    const paths = splitOn(given.paths ?? [], ",:;");
    if (paths.length > 0) for (const path of paths) for (const f of files) search.push(join(path, f));
    else if (files.length > 0) search = files;
    else if (typeof term === "string") search.push(term);
  }
  return search;
}

const first_found: Lookup = (terms, call) => {
  const state = { skip: false };
  for (const name of candidates(terms, call.options, state)) {
    const path = findFile(call, call.subdir, name);
    if (path !== undefined) return [isAbsolute(path) ? path : join(process.cwd(), path)];
  }
  if (state.skip) return [];
  throw new LookupError("No file was found when using first_found.");
};

export const FILE_LOOKUPS: Record<string, Lookup> = { file, template, fileglob, first_found };
