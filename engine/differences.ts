/**
 * An audit's verdict on each difference of a changed task (issue 15): a hunk of a diff (an attribute change is a
 * one-line hunk) that undoes a hand edit is drift, one that brings a change of the playbook is pending, and one that
 * does both on the same lines says so. Each line a hunk removes from the host or adds to it is judged against the
 * lines the last apply left there (kept hashed in the run record, run-record.ts): a removed line the apply did not
 * leave was edited in by hand (drift), one it left goes because the playbook no longer wants it (pending); an added
 * line the apply left was edited away (drift), one it did not leave is new in the playbook (pending).
 */
import { addedLines, diffHunks, type Hunk } from "./diff.js";
import type { DifferenceKind, Differences, FileDiff } from "./diff-types.js";

/** What the last apply left at a diff's path: its lines hashed, and the hash; undefined when not recorded. */
export type RecordedLines = (path: string) => { lines: readonly string[]; hash: (line: string) => string } | undefined;

export interface Classified {
  /** The diffs, each with the verdict on each of its hunks. */
  diffs: FileDiff[];
  differences: Differences;
}

/**
 * Classifies every hunk of DIFFS. A hunk of a diff whose path has no recorded lines, a diff too large or binary to
 * split (one difference), and a change with no diff at all (one difference) take the task's verdict, WHOLE: drift
 * when the wanted state is the one last applied, pending when it changed.
 */
export function classifyDifferences(diffs: readonly FileDiff[], whole: "drift" | "pending", recorded: RecordedLines): Classified {
  const differences: Differences = { drift: 0, pending: 0 };
  const add = (kind: DifferenceKind): void => {
    if (kind !== "pending") differences.drift++;
    if (kind !== "drift") differences.pending++;
  };
  const classified = diffs.map((diff): FileDiff => {
    const hunks = diffHunks(diff);
    if (hunks === undefined) {
      add(whole);
      return diff;
    }
    const kinds = hunks.map(hunkKind(diff, recorded(diff.path)) ?? (() => whole));
    kinds.forEach(add);
    return kinds.length === 0 ? diff : { ...diff, hunks: kinds };
  });
  if (differences.drift + differences.pending === 0) add(whole);
  return { diffs: classified, differences };
}

/** The verdict on a hunk of DIFF, from the lines the last apply left; undefined when there are none recorded. */
function hunkKind(diff: FileDiff, recorded: ReturnType<RecordedLines>): ((hunk: Hunk) => DifferenceKind) | undefined {
  if (recorded === undefined) return undefined;
  const live = lines(diff.before).map(recorded.hash);
  const wanted = lines(diff.after).map(recorded.hash);
  // Attributes have no order (a diff lists only those that differ); a file's lines do, and repeat ("}").
  const known = new Set(recorded.lines);
  const unrecorded = (side: readonly string[]): Set<number> =>
    diff.metadata === true ? new Set(side.flatMap((line, i) => (known.has(line) ? [] : [i]))) : addedLines(recorded.lines, side);
  const editedIn = unrecorded(live);
  const newlyWanted = unrecorded(wanted);
  return (hunk) => {
    let [old, now] = [hunk.oldStart - 1, hunk.newStart - 1];
    let drift = false;
    let pending = false;
    for (const line of hunk.lines) {
      if (line.startsWith("-")) {
        if (editedIn.has(old++)) drift = true;
        else pending = true;
      } else if (line.startsWith("+")) {
        if (newlyWanted.has(now++)) pending = true;
        else drift = true;
      } else if (line.startsWith(" ")) {
        old++;
        now++;
      }
    }
    return drift && pending ? "both" : drift ? "drift" : "pending";
  };
}

/** Differences summed (a loop's items, a host's results). */
export function addDifferences(a: Differences | undefined, b: Differences): Differences {
  return { drift: (a?.drift ?? 0) + b.drift, pending: (a?.pending ?? 0) + b.pending };
}

/** A text's lines as a line diff counts them: a final newline ends the last line, it does not start another. */
export function lines(text: string): string[] {
  if (text === "") return [];
  const split = text.split("\n");
  if (split.at(-1) === "") split.pop();
  return split;
}
