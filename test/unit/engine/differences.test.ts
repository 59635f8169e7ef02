/** An audit's verdict on each hunk (issue 15), judged against the lines the last apply left. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MAX_DIFF_BYTES } from "../../../engine/diff.js";
import { classifyDifferences, lines, type RecordedLines } from "../../../engine/differences.js";

const text = (...rows: string[]): string => rows.map((r) => `${r}\n`).join("");
const numbered = (n: number): string[] => Array.from({ length: n }, (_, i) => `line ${i + 1}`);
const hash = (line: string): string => `h(${line})`;
const recordedAs = (content: string): RecordedLines => () => ({ lines: lines(content).map(hash), hash });
const nothingRecorded: RecordedLines = () => undefined;

describe("differences", () => {
  test("a hunk undoing a hand edit is drift, one bringing the playbook's change is pending", () => {
    const applied = numbered(20);
    const live = applied.map((l, i) => (i === 1 ? "edited by hand" : l));
    const wanted = applied.map((l, i) => (i === 15 ? "new in the playbook" : l));
    const { diffs, differences } = classifyDifferences([{ path: "/f", before: text(...live), after: text(...wanted) }], "pending", recordedAs(text(...applied)));
    assert.deepEqual(diffs.map((d) => d.hunks), [["drift", "pending"]]);
    assert.deepEqual(differences, { drift: 1, pending: 1 });
  });

  test("lines removed or added by hand and by the playbook are told apart too", () => {
    const applied = numbered(20);
    const live = applied.filter((_, i) => i !== 2);
    const wanted = [...applied.slice(0, 12), "added by the playbook", ...applied.slice(12, 19)];
    const { diffs } = classifyDifferences([{ path: "/f", before: text(...live), after: text(...wanted) }], "pending", recordedAs(text(...applied)));
    // Line 3 was removed by hand (putting it back is drift); line 20 the playbook no longer wants, line 13 is new.
    assert.deepEqual(diffs.map((d) => d.hunks), [["drift", "pending", "pending"]]);
  });

  test("the same lines edited by hand and changed by the playbook are one hunk that is both", () => {
    const { diffs, differences } = classifyDifferences([{ path: "/f", before: text("a", "b by hand", "c"), after: text("a", "b from the playbook", "c") }], "drift", recordedAs(text("a", "b", "c")));
    assert.deepEqual(diffs.map((d) => d.hunks), [["both"]]);
    assert.deepEqual(differences, { drift: 1, pending: 1 });
  });

  test("attributes are judged as a set: a mode changed by hand is drift, an owner the playbook changed pending", () => {
    const recorded: RecordedLines = () => ({ lines: ["mode 0600", "owner root", "group root"].map(hash), hash });
    const attrs = { path: "/f (attributes)", metadata: true };
    assert.deepEqual(classifyDifferences([{ ...attrs, before: "mode 0644\n", after: "mode 0600\n" }], "pending", recorded).diffs[0]?.hunks, ["drift"]);
    assert.deepEqual(classifyDifferences([{ ...attrs, before: "owner root\n", after: "owner www-data\n" }], "drift", recorded).diffs[0]?.hunks, ["pending"]);
  });

  test("with no lines recorded, or content too large to split, every difference takes the task's verdict", () => {
    const diff = { path: "/f", before: text(...numbered(20)), after: text("new", ...numbered(19), "end") };
    assert.deepEqual(classifyDifferences([diff], "pending", nothingRecorded), { diffs: [{ ...diff, hunks: ["pending", "pending"] }], differences: { drift: 0, pending: 2 } });
    const large = { path: "/big", before: "x".repeat(MAX_DIFF_BYTES + 1), after: "y" };
    assert.deepEqual(classifyDifferences([large], "drift", recordedAs("y\n")).differences, { drift: 1, pending: 0 });
  });

  test("a change with no diff (a package, a service) is one difference of the task's verdict", () => {
    assert.deepEqual(classifyDifferences([], "drift", nothingRecorded), { diffs: [], differences: { drift: 1, pending: 0 } });
  });
});
