/**
 * lineinfile's edit (modules/shared/line-edit.ts) against Ansible's own: each case of
 * test/fixtures/line-edit/ansible-2.14.json holds a file's content and lineinfile arguments, and what ansible-core
 * 2.14's lineinfile made of them (`ansible localhost -c local -m lineinfile` on a temp file): the content after,
 * changed, msg and, for state absent, found; and what a second run of the same task did.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { editLines, splitLines, type LineArgs } from "../../../modules/shared/line-edit.js";
import { repoRoot } from "../../helpers/rems-play.js";

interface OracleCase {
  name: string;
  content: string;
  args: LineArgs;
  after: string;
  changed: boolean;
  msg: string;
  found?: number;
  again: { changed: boolean; after: string };
}

const cases = JSON.parse(readFileSync(join(repoRoot, "test/fixtures/line-edit/ansible-2.14.json"), "utf8")) as OracleCase[];
const latin1 = (content: string): string => Buffer.from(content, "utf8").toString("latin1");
const text = (lines: readonly string[]): string => Buffer.from(lines.join(""), "latin1").toString("utf8");

for (const c of cases) {
  test(`as Ansible 2.14: ${c.name}`, () => {
    const first = editLines(splitLines(latin1(c.content)), c.args);
    assert.equal(text(first.lines), c.after);
    assert.equal(first.changed, c.changed);
    assert.equal(first.msg, c.msg);
    if (c.found !== undefined) assert.equal(first.found, c.found);
    const again = editLines(splitLines(latin1(c.after)), c.args);
    assert.deepEqual({ changed: again.changed, after: text(again.lines) }, c.again, "the same task run again");
  });
}

test("lines keep their endings; the last may have none", () => {
  assert.deepEqual(splitLines("a\nb\r\n\nc"), ["a\n", "b\r\n", "\n", "c"]);
  assert.deepEqual(splitLines(""), []);
});
