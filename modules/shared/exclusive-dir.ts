/**
 * An exclusive directory (issue 15): what is in it on the host but neither wanted by the task nor named in `keep` is
 * an extra, removed by a normal run and reported by an audit. Used by copy (a tree: what its source does not have)
 * and file (a directory: only the names in keep stay). Pure but for the command it plans.
 */
import { posix } from "node:path";
import { sh, type Command } from "../../engine/command.js";
import type { Prediction } from "../../engine/module-api.js";
import { fileStat } from "../facts/file-stat.js";

/** keep as paths relative to `dest`: an absolute path outside dest cannot be an extra and is dropped. */
function relativeKeep(dest: string, keep: readonly string[]): string[] {
  return keep.flatMap((path) => {
    const rel = path.startsWith("/") ? posix.relative(dest, path) : posix.normalize(path);
    return rel === "" || rel.startsWith("..") ? [] : [rel.replace(/\/$/, "")];
  });
}

/**
 * The extras among `present` (paths relative to dest, "" the directory itself), outermost only: a directory that
 * goes takes what is in it. A kept path keeps everything under it.
 */
export function extraEntries(dest: string, present: readonly string[], wanted: ReadonlySet<string>, keep: readonly string[]): string[] {
  const kept = relativeKeep(dest, keep);
  const isKept = (rel: string): boolean => kept.some((k) => rel === k || rel.startsWith(k + "/"));
  const parentWanted = (rel: string): boolean => {
    const parent = posix.dirname(rel);
    return parent === "." || wanted.has(parent);
  };
  return present.filter((rel) => rel !== "" && !wanted.has(rel) && !isKept(rel) && parentWanted(rel)).sort();
}

/** The entries of a tree (by relative path) that stay when the extras go with everything in them. */
export function remaining<T>(entries: Readonly<Record<string, T>>, extras: readonly string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(entries).filter(([rel]) => !extras.some((extra) => rel === extra || rel.startsWith(extra + "/"))));
}

/** How the extras of `dest` go: one `rm -rf`, a summary part that names them, and what the host then holds. */
export function removeExtras(dest: string, extras: readonly string[]): { command: Command; summary: string; predicts: Prediction[] } {
  const paths = extras.map((rel) => posix.join(dest, rel));
  return {
    command: sh`rm -rf -- ${paths}`,
    summary: `remove ${extras.join(", ")} from ${dest} (not in the exclusive set)`,
    predicts: paths.flatMap((path) => [false, true].map((follow) => ({ fact: fileStat, args: { path, follow }, value: { exists: false } }))),
  };
}
