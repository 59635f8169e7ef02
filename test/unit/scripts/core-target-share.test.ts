/** The load share of ansible-core's targets (scripts/core-target-share.ts), on a small target written here. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileShare, shareTable, targetShares } from "../../../scripts/core-target-share.js";
import { registry } from "../../../modules/index.js";

function targets(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), "rems-targets-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test("each task counts alone: an unknown module, a bad argument or a broken template fails only its own task", () => {
  const dir = targets({
    "demo/tasks/main.yml": `
- name: loads
  file: { path: /tmp/a, state: directory }
- name: unknown module
  frobnicate: { x: 1 }
- name: bad argument
  file: { path: /tmp/a, colour: blue }
- name: broken template
  debug: { msg: "{{ x | }}" }
- block:
    - debug: { msg: one }
    - bogus_module: {}
  rescue:
    - debug: { msg: two }
`,
  });
  const share = fileShare(registry, dir, "demo", "tasks/main.yml");
  assert.equal(share.tasks, 7);
  assert.equal(share.loaded, 3);
  assert.equal(share.errors.length, 4);
});

test("an error on a block's own keywords fails every task of the block", () => {
  const dir = targets({
    "demo/tasks/main.yml": `
- block:
    - debug: { msg: one }
    - debug: { msg: two }
  wen: true
- debug: { msg: three }
`,
  });
  const share = fileShare(registry, dir, "demo", "tasks/main.yml");
  assert.deepEqual([share.tasks, share.loaded], [3, 1]);
});

test("every task file and handler file of every target is counted; the table sums them per target", () => {
  const dir = targets({
    "a/tasks/main.yml": "- debug: { msg: a }\n- import_tasks: other.yml\n",
    "a/tasks/other.yml": "- nope: {}\n",
    "a/handlers/main.yml": "- name: h\n  debug: { msg: h }\n",
    "b/tasks/main.yml": "- debug: { msg: b }\n",
  });
  const shares = targetShares(registry, dir);
  assert.deepEqual(
    shares.map((s) => [s.target, s.file, s.tasks, s.loaded]),
    [
      ["a", "tasks/main.yml", 2, 2],
      ["a", "tasks/other.yml", 1, 0],
      ["a", "handlers/main.yml", 1, 1],
      ["b", "tasks/main.yml", 1, 1],
    ],
  );
  const table = shareTable(shares, false);
  assert.match(table, /^\| a \| 4 \| 3 \| 75\.0% \|$/m);
  assert.match(table, /^\| \*\*all\*\* \| 5 \| 4 \| 80\.0% \|$/m);
});
