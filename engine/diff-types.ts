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
}
