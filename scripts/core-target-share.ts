/**
 * `node dist/scripts/core-target-share.js [TARGETS_DIR]`: the share of ansible-core integration-target tasks that
 * load under rems-play, counted one task at a time as issue 14 counted them. TARGETS_DIR (default
 * ../shared/compat/ansible-core-targets/targets) holds the targets as ansible-core keeps them; they are read where
 * they are, never copied into the project (their licence is not ours).
 *
 * Every task file of every target (tasks/ and handlers/, whether imported, included or unused) is loaded as
 * include_tasks loads it at run time, with the load's template check. A task loads when no error of that load is
 * located inside it; an error on a block's own keywords counts against every task of the block. An error of the
 * load located in no task of the file (an imported file's) is that file's own.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InputErrors } from "../engine/errors.js";
import type { RemsError } from "../engine/errors.js";
import { checkIncluded } from "../engine/load/template-check.js";
import { newScope } from "../engine/load/load-scope.js";
import type { ModuleRegistry } from "../engine/load/load-scope.js";
import { SecretRegistry } from "../engine/mask.js";
import { readTaskFile } from "../engine/load/tasks.js";
import { isMapping } from "../engine/load/vars-files.js";
import { locationOf } from "../engine/source/locations.js";
import { readYamlFile } from "../engine/source/yaml.js";
import type { RoleContext } from "../engine/types.js";
import { Vault } from "../engine/vault/vault.js";

/** Lines of a task or block as written: from its first line to its last recorded key or item (errors are there). */
interface Span {
  line: number;
  last: number;
}

/** One task as written, and the blocks around it, innermost last. */
interface TaskSpan extends Span {
  blocks: readonly Span[];
}

export interface FileShare {
  target: string;
  /** The file inside the target: tasks/main.yml. */
  file: string;
  tasks: number;
  loaded: number;
  /** The load's errors, first line of each, for the tasks that do not load. */
  errors: string[];
}

const TASK_LISTS = ["block", "rescue", "always"];

/** The last line where something inside `value` is recorded. */
function lastLine(value: unknown, from: number): number {
  if (typeof value !== "object" || value === null) return from;
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  return keys.reduce<number>((last, key) => {
    const line = locationOf(value, key)?.line ?? last;
    const child: unknown = (value as Record<string | number, unknown>)[key];
    return Math.max(last, line, lastLine(child, line));
  }, from);
}

/** Leaf tasks of a task list, with their spans and the spans of the blocks around them. */
function taskSpans(list: readonly unknown[], blocks: readonly Span[]): TaskSpan[] {
  return list.flatMap((raw, index) => {
    const line = locationOf(list, index)?.line ?? 0;
    const span = { line, last: lastLine(raw, line) };
    const lists = isMapping(raw) ? TASK_LISTS.map((key) => raw[key]).filter((value): value is unknown[] => Array.isArray(value)) : [];
    if (lists.length === 0) return [{ ...span, blocks }];
    return lists.flatMap((inner) => taskSpans(inner, [...blocks, span]));
  });
}

function within(line: number, span: Span): boolean {
  return line >= span.line && line <= span.last;
}

/** The tasks an error at `line` stops: the task it is in, else every task of the innermost block it is in. */
function stopped(spans: readonly TaskSpan[], line: number): TaskSpan[] {
  const own = spans.filter((span) => within(line, span));
  if (own.length > 0) return own;
  const blocks = spans.flatMap((span) => span.blocks.filter((block) => within(line, block)));
  const innermost = blocks.reduce<Span | undefined>((best, block) => (best === undefined || block.last - block.line < best.last - best.line ? block : best), undefined);
  return innermost === undefined ? [] : spans.filter((span) => span.blocks.includes(innermost));
}

/** Loads one task file as include_tasks would, and counts its tasks that load. */
export function fileShare(registry: ModuleRegistry, targetsDir: string, target: string, file: string): FileShare {
  const path = join(targetsDir, target, file);
  const vault = new Vault([], new SecretRegistry());
  const { data } = readYamlFile(path, vault);
  const spans = Array.isArray(data) ? taskSpans(data, []) : [];
  const role: RoleContext = { name: target, path: join(targetsDir, target), defaults: {}, vars: {}, params: {} };
  const scope = newScope(registry, vault, [targetsDir]);
  const nodes = readTaskFile(scope, path, { file: path, role, tags: [] }, undefined, file.startsWith("handlers/"));
  const errors: RemsError[] = [...scope.errors];
  try {
    checkIncluded(nodes, join(targetsDir, target), registry);
  } catch (error) {
    if (!(error instanceof InputErrors)) throw error;
    errors.push(...error.errors);
  }
  const here = errors.filter((e) => e.loc !== undefined && resolve(e.loc.file) === resolve(path));
  const failing = new Set(here.flatMap((e) => stopped(spans, e.loc?.line ?? 0)));
  const shown = [...new Set(here.map((e) => e.describe().split("\n")[0] ?? ""))];
  return { target, file, tasks: spans.length, loaded: spans.length - failing.size, errors: shown };
}

function yamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    return [];
  }
}

/** Every task file of every target under `targetsDir`. */
export function targetShares(registry: ModuleRegistry, targetsDir: string): FileShare[] {
  const targets = readdirSync(targetsDir).filter((name) => statSync(join(targetsDir, name)).isDirectory()).sort();
  return targets.flatMap((target) =>
    ["tasks", "handlers"].flatMap((kind) => yamlFiles(join(targetsDir, target, kind)).map((name) => fileShare(registry, targetsDir, target, `${kind}/${name}`))),
  );
}

function percent(loaded: number, tasks: number): string {
  return tasks === 0 ? "-" : `${((100 * loaded) / tasks).toFixed(1)}%`;
}

/** The table: a row per target (its files summed), then the total; with `verbose`, each error under its target. */
export function shareTable(shares: readonly FileShare[], verbose: boolean): string {
  const lines = ["| target | tasks | load | share |", "| --- | ---: | ---: | ---: |"];
  const targets = [...new Set(shares.map((s) => s.target))];
  for (const target of targets) {
    const own = shares.filter((s) => s.target === target);
    const tasks = own.reduce((sum, s) => sum + s.tasks, 0);
    const loaded = own.reduce((sum, s) => sum + s.loaded, 0);
    lines.push(`| ${target} | ${tasks} | ${loaded} | ${percent(loaded, tasks)} |`);
  }
  const tasks = shares.reduce((sum, s) => sum + s.tasks, 0);
  const loaded = shares.reduce((sum, s) => sum + s.loaded, 0);
  lines.push(`| **all** | ${tasks} | ${loaded} | ${percent(loaded, tasks)} |`);
  if (verbose) {
    for (const share of shares.filter((s) => s.errors.length > 0)) {
      lines.push("", `${share.target}/${share.file}:`, ...share.errors.map((e) => `  ${e}`));
    }
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes("--errors");
  const given = args.find((arg) => !arg.startsWith("--"));
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const targetsDir = resolve(given ?? join(root, "..", "shared", "compat", "ansible-core-targets", "targets"));
  const { registry } = await import("../modules/index.js");
  process.stdout.write(`ansible-core targets in ${relative(process.cwd(), targetsDir) || "."}, one task at a time:\n\n`);
  process.stdout.write(`${shareTable(targetShares(registry, targetsDir), verbose)}\n`);
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(invokedPath).href) await main();
