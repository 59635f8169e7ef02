/**
 * Renders a FileDiff for --diff output, in one place (ansible's callback `_get_diff`). The only importer of `diff`.
 */
import { createRequire } from "node:module";
import type * as Diff from "diff";
import type { DifferenceKind, FileDiff } from "./diff-types.js";

/** `diff` is loaded on the first diff that has hunks to show: an audit of a converged host never needs it. */
function diffLibrary(): typeof Diff {
  return createRequire(import.meta.url)("diff") as typeof Diff;
}

/** Above this size a content diff costs more than it tells (ansible's max_diff_size is 100 KiB). */
export const MAX_DIFF_BYTES = 256 * 1024;

export const DIFF_NOT_SHOWN = "(binary or >256 KiB file: diff not shown)";

export interface DiffRenderOptions {
  /** ANSI colors (red removals, green additions, cyan hunk headers); only for a terminal. */
  color?: boolean;
  /** Lines of context around each change; 3 as in `diff -u`. */
  context?: number;
}

const SGR = { bold: "\u001b[1m", red: "\u001b[31m", green: "\u001b[32m", cyan: "\u001b[36m", reset: "\u001b[0m" } as const;

/** One hunk as `diff -u` shows it: where it starts on each side, how many lines, and its lines with their sign. */
export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: readonly string[];
}

/**
 * The hunks renderDiff shows, in its order: none when before and after are equal, a one-line value as one hunk of
 * its two lines, undefined when the content is binary or too large to diff.
 */
export function diffHunks(diff: FileDiff, context = 3): readonly Hunk[] | undefined {
  if (diff.before === diff.after) return [];
  if (isUndiffable(diff.before) || isUndiffable(diff.after)) return undefined;
  const beforeLine = singleLine(diff.before);
  const afterLine = singleLine(diff.after);
  if (beforeLine !== undefined && afterLine !== undefined) return [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: [`-${beforeLine}`, `+${afterLine}`] }];
  return diffLibrary().structuredPatch("", "", diff.before, diff.after, undefined, undefined, { context }).hunks;
}

/**
 * The indexes of the lines of B that are not in a longest common subsequence of A and B: the lines B added to A,
 * as a line diff sees them (lines compared as strings, such as their hashes).
 */
export function addedLines(a: readonly string[], b: readonly string[]): Set<number> {
  const added = new Set<number>();
  let index = 0;
  for (const change of diffLibrary().diffArrays([...a], [...b])) {
    if (change.removed) continue;
    for (let i = 0; i < change.value.length; i++, index++) if (change.added) added.add(index);
  }
  return added;
}

/** The words an audit says of a difference: "drift", "pending", "drift and pending". */
export function describeKind(kind: DifferenceKind): string {
  return kind === "both" ? "drift and pending" : kind;
}

/**
 * The diff as text lines ending in "\n", or "" when before and after are equal.
 * One-line values (a unit state, a mode) read better as "before: x / after: y" than as a hunk. An audit's verdict
 * on a hunk follows its range, as git puts a function's name there: "@@ -44,4 +44,3 @@ drift".
 */
export function renderDiff(diff: FileDiff, options: DiffRenderOptions = {}): string {
  const hunks = diffHunks(diff, options.context ?? 3);
  if (hunks?.length === 0) return "";
  const paint = (code: string, text: string): string => (options.color === true ? `${code}${text}${SGR.reset}` : text);
  const verdict = (i: number): string => {
    const kind = diff.hunks?.[i];
    return kind === undefined ? "" : ` ${describeKind(kind)}`;
  };
  const beforeHeader = diff.beforeHeader ?? `${diff.path} (before)`;
  const afterHeader = diff.afterHeader ?? `${diff.path} (after)`;
  const headers = `${paint(SGR.bold, `--- ${beforeHeader}`)}\n${paint(SGR.bold, `+++ ${afterHeader}`)}\n`;

  if (hunks === undefined) return `${headers}${DIFF_NOT_SHOWN}\n`;
  const beforeLine = singleLine(diff.before);
  const afterLine = singleLine(diff.after);
  if (beforeLine !== undefined && afterLine !== undefined) {
    const kind = diff.hunks?.[0];
    return `${diff.path}: ${paint(SGR.red, `before: ${beforeLine}`)} / ${paint(SGR.green, `after: ${afterLine}`)}${kind === undefined ? "" : ` (${describeKind(kind)})`}\n`;
  }

  let text = headers;
  for (const [i, hunk] of hunks.entries()) {
    text += `${paint(SGR.cyan, `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@${verdict(i)}`)}\n`;
    for (const line of hunk.lines) {
      if (line.startsWith("-")) text += `${paint(SGR.red, line)}\n`;
      else if (line.startsWith("+")) text += `${paint(SGR.green, line)}\n`;
      else text += `${line}\n`;
    }
  }
  return text;
}

/** NUL bytes mean binary content (git's heuristic); size is measured in UTF-8 bytes. */
function isUndiffable(content: string): boolean {
  return content.includes("\0") || Buffer.byteLength(content, "utf8") > MAX_DIFF_BYTES;
}

/** The value without its trailing newline when it is exactly one non-empty line, else undefined. */
function singleLine(content: string): string | undefined {
  const line = content.endsWith("\n") ? content.slice(0, -1) : content;
  return line.length > 0 && !line.includes("\n") ? line : undefined;
}

/** Hunk range as `diff -u` writes it: "start,count", with count omitted when it is 1. */
function range(start: number, count: number): string {
  // An empty side is written as "0,0" (the line before the hunk), which structuredPatch reports as start 1.
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? String(start) : `${start},${count}`;
}
