/** A change shown by --diff (ansible's before/after shape). Content diffs are rendered in engine/diff.ts. */
export interface FileDiff {
  /** What the diff is about: a path, or a label such as "service rems.service". */
  path: string;
  before: string;
  after: string;
  beforeHeader?: string;
  afterHeader?: string;
  /**
   * The diff shows only facts about the value (mode, owner, group, existence), never the value itself: it stays
   * visible when the task has no_log, so an audit still says what drifted on a secrets file.
   */
  metadata?: boolean;
  /**
   * An audit's verdict on each hunk, in the order engine/diff.ts renders them (engine/differences.ts): the hunk
   * undoes a hand edit (drift), brings a change of the playbook (pending), or both on the same lines.
   */
  hunks?: readonly DifferenceKind[];
}

/** Why an audit finds a difference: the host was edited since the last apply, or the wanted state changed since. */
export type DifferenceKind = "drift" | "pending" | "both";

/**
 * An audited task's differences: each hunk of its diffs (an attribute change is a one-line hunk), or the whole
 * change when there is no diff to split, counted as drift, pending, or in both when it is both.
 */
export interface Differences {
  drift: number;
  pending: number;
}

/** What an attribute diff is about: the path with " (attributes)", its lines "mode 0600", "owner root" ... */
export function attributesPath(path: string): string {
  return `${path} (attributes)`;
}
