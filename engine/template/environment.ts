/**
 * The one nunjucks Environment, configured like Ansible's Jinja environment:
 *   - autoescape off (we write config files, not HTML);
 *   - trimBlocks on, lstripBlocks off: Ansible's template module defaults (trim_blocks=True, lstrip_blocks=False),
 *     so a `{% if %}` line leaves no blank line behind;
 *   - the trailing newline of a template is kept (Ansible sets keep_trailing_newline; nunjucks always keeps it);
 *   - strict undefined values and Python semantics (compiler.ts, runtime.ts), Ansible's filters and tests;
 *   - `{% include %}` paths resolve relative to the including template's directory.
 * Only this file and the three files that adapt nunjucks to Jinja (lexer.ts, parser.ts, compiler.ts) import nunjucks.
 */
import { dirname, resolve } from "node:path";
import nunjucks from "nunjucks";
import { readTextFile } from "../source/text-file.js";
import { installJinjaSemantics } from "./compiler.js";
import { installJinjaLexing } from "./lexer.js";
import { installJinjaParsing } from "./parser.js";
import { STRING_TYPE_FILTERS, stringTypeFilter } from "./concat.js";
import { createFilters, type Filter } from "./filters.js";
import type { JinjaOptions } from "./header.js";
import { lookupFunction } from "./lookups/index.js";
import { runtime } from "./runtime.js";
import { type Test, TESTS } from "./tests.js";

/** The key of a render's context holding the box a single-expression render leaves its value in. */
export const RESULT_KEY = "__rems_result__";

export interface ResultBox {
  value?: unknown;
}

/** The global function a native evaluation wraps its expression in: it stores the value instead of printing it. */
export const CAPTURE = "__rems_capture__";

/**
 * Included templates lose one trailing newline, as in Ansible: its Jinja environment drops the final newline of
 * every template and restores it only for the template being rendered.
 */
const includeLoader = {
  getSource(path: string): nunjucks.LoaderSource {
    return { src: readTextFile(path).replace(/\r?\n$/, ""), path, noCache: true };
  },
  isRelative(): boolean {
    return true;
  },
  resolve(from: string, to: string): string {
    return resolve(dirname(from), to);
  },
};

installJinjaLexing();
installJinjaParsing();
installJinjaSemantics();

export const env = new nunjucks.Environment(includeLoader, {
  autoescape: false,
  trimBlocks: true,
  lstripBlocks: false,
  // Strictness comes from compiler.ts; `dev` keeps our RenderError objects intact through nunjucks' error handling.
  throwOnUndefined: false,
  dev: true,
});

Object.assign(env, { rems: runtime });

const registry = {
  filter: (name: string): Filter => env.getFilter(name) as Filter,
  test: (name: string): Test => {
    const test = (env as unknown as { getTest(n: string): Test | undefined }).getTest(name);
    if (!test) throw new Error(`test not found: ${name}`);
    return test;
  },
};

for (const [name, filter] of Object.entries(createFilters(registry))) env.addFilter(name, STRING_TYPE_FILTERS.has(name) ? stringTypeFilter(filter) : filter);
for (const [name, test] of Object.entries(TESTS)) (env as unknown as { addTest(n: string, t: Test): void }).addTest(name, test);

env.addGlobal("True", true);
env.addGlobal("False", false);
env.addGlobal("None", null);
env.addGlobal("dict", (...args: unknown[]) => {
  const keywords = args.at(-1);
  return typeof keywords === "object" && keywords !== null ? Object.fromEntries(Object.entries(keywords).filter(([k]) => k !== "__keywords")) : {};
});
env.addGlobal("lookup", lookupFunction(false));
env.addGlobal("query", lookupFunction(true));
env.addGlobal("q", lookupFunction(true));
env.addGlobal(CAPTURE, function (this: { ctx: Record<string, unknown> }, value: unknown): string {
  (this.ctx[RESULT_KEY] as ResultBox).value = value;
  return "";
});

const compiled = new Map<string, nunjucks.Template>();
const MAX_CACHED = 5000;

/**
 * A compiled template, cached by source (the same task arguments are rendered for every host and loop item).
 * trim_blocks and lstrip_blocks other than the defaults hold while this template compiles (eagerly, so nunjucks'
 * lexer reads them then); `rawStrings` is for a playbook's values (lexer.ts).
 */
export function compile(source: string, path?: string, options: JinjaOptions = {}, rawStrings = false): nunjucks.Template {
  const trimBlocks = options.trim_blocks ?? true;
  const lstripBlocks = options.lstrip_blocks ?? false;
  const key = `${path ?? ""}\0${String(trimBlocks)}${String(lstripBlocks)}${String(rawStrings)}\0${source}`;
  let template = compiled.get(key);
  if (!template) {
    if (compiled.size >= MAX_CACHED) compiled.clear();
    const opts = (env as unknown as { opts: { trimBlocks: boolean; lstripBlocks: boolean; remsRawStrings: boolean } }).opts;
    Object.assign(opts, { trimBlocks, lstripBlocks, remsRawStrings: rawStrings });
    try {
      template = new nunjucks.Template(source, env, path, true);
    } finally {
      Object.assign(opts, { trimBlocks: true, lstripBlocks: false, remsRawStrings: false });
    }
    compiled.set(key, template);
  }
  return template;
}
