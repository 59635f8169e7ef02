/** A change shown by --diff (ansible's before/after shape). Content diffs are rendered in engine/diff.ts. */
export interface FileDiff {
  /** What the diff is about: a path, or a label such as "service rems.service". */
  path: string;
  before: string;
  after: string;
  beforeHeader?: string;
  afterHeader?: string;
}
