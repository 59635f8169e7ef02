/**
 * The lines the terminal keeps: fitted to the width (nothing for the terminal to wrap), each kind of result with its
 * own mark, and the recap narrowed before it wraps.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { emptyStats, type TaskResultEvent } from "../../../../engine/events.js";
import { MARKS, markOf } from "../../../../engine/reporters/marks.js";
import { painter, truncate, visibleWidth, wrap } from "../../../../engine/reporters/style.js";
import { TaskBlocks } from "../../../../engine/reporters/task-blocks.js";
import { itemLines, recapLines, type ScreenOptions } from "../../../../engine/reporters/tty-lines.js";

const screen = (width: number): ScreenOptions => ({ verbosity: 0, diff: true, width, paint: painter(false) });

function result(fields: Partial<TaskResultEvent>): TaskResultEvent {
  return { type: "task_result", host: "lab1", task: "t", where: "t.yml:1:3", order: [1, 0], status: "ok", durationMs: 1, ...fields };
}

/** The block of one task with RESULTS, as printed. */
function blockLines(task: string, results: readonly TaskResultEvent[], width: number): string[] {
  const blocks = new TaskBlocks();
  blocks.playStart({ type: "play_start", name: "p", hosts: ["lab1", "lab2"] });
  blocks.taskStart({ type: "task_start", name: task, handler: false, where: "t.yml:1:3", order: [1, 0] });
  for (const r of results) blocks.result({ ...r, task });
  return blocks.takeAll().flatMap((item) => (item.kind === "task" ? itemLines(item, screen(width)) : []));
}

describe("marks", () => {
  test("drift, unknown and a warning each have their own symbol and colour, apart from ok and changed", () => {
    const marks = [MARKS.ok, MARKS.changed, MARKS.drift, MARKS.unknown, MARKS.warning, MARKS.failed];
    assert.equal(new Set(marks.map((m) => m.symbol)).size, marks.length);
    assert.equal(new Set(marks.map((m) => m.color)).size, marks.length);
  });

  test("an ok with a warning is marked as a warning; a drift as drift; a pending change as a change", () => {
    assert.equal(markOf(result({ warnings: ["nginx -t: the http2 directive is deprecated"] })), MARKS.warning);
    assert.equal(markOf(result({ status: "changed", drift: "drift" })), MARKS.drift);
    assert.equal(markOf(result({ status: "changed", drift: "pending" })), MARKS.changed);
    assert.equal(markOf(result({ status: "unknown", warnings: ["w"] })), MARKS.unknown);
    assert.equal(markOf(result({ status: "unreachable" })), MARKS.failed);
  });
});

describe("fitted lines", () => {
  test("wrap breaks at spaces, indents what follows, and carries colours over the break", () => {
    assert.deepEqual(wrap("ok: [lab1] a reason that is much too long for the line", 24), ["ok: [lab1] a reason that", "    is much too long for", "    the line"]);
    const [first, second] = wrap(painter(true)("red", "x".repeat(30)), 20);
    assert.equal(visibleWidth(first ?? ""), 20);
    assert.ok(second?.startsWith("    \u001b[31m"), JSON.stringify(second));
    assert.equal(truncate("abcdef", 4), "abc…");
  });

  test("a long task name wraps in its header; the stars follow its last line", () => {
    const name = "app : Step 2 · check out https://git.example.org/lab/rems.git at main into /opt/rems";
    const lines = blockLines(name, [result({ status: "skipped" }), result({ host: "lab2", status: "skipped" })], 80);
    assert.deepEqual(lines.slice(0, 3), [
      "",
      "TASK [app : Step 2 · check out https://git.example.org/lab/rems.git at main",
      "      into /opt/rems] **********************************************************",
    ]);
    assert.deepEqual(lines.slice(3), ["- skipped: [lab1]", "- skipped: [lab2]"]);
    for (const line of lines) assert.ok(visibleWidth(line) <= 80, line);
  });

  test("hosts are listed in the play's order whatever order they reported in; details fit the width", () => {
    const lines = blockLines("t", [result({ host: "lab2", status: "changed", summary: "write /etc/a" }), result({ status: "failed", error: { code: "REMS_COMMAND_FAILED", message: `command failed\n${"x".repeat(100)}` } })], 40);
    assert.equal(lines[2], "✗ failed: [lab1] REMS_COMMAND_FAILED:");
    assert.ok(lines.findIndex((l) => l.startsWith("● changed: [lab2]")) > 2);
    for (const line of lines) assert.ok(visibleWidth(line) <= 40, line);
  });

  test("an ok with a warning is one line with the warning's mark, the warning under it with that mark too", () => {
    const lines = blockLines("nginx : configuration test", [result({ warnings: ["the listen ... http2 directive is deprecated"] }), result({ host: "lab2" })], 80);
    assert.deepEqual(lines.slice(2), ["! ok: [lab1]", "! [WARNING]: [lab1] the listen ... http2 directive is deprecated", "✓ ok: [lab2]"]);
  });

  test("the recap keeps Ansible's line when it fits; in 80 columns counters no host has are left out", () => {
    const hosts = { lab1: { ...emptyStats(), ok: 45, changed: 29, skipped: 15 }, lab2: { ...emptyStats(), ok: 3, failed: 1 } };
    const wide = recapLines(hosts, 34_300, screen(160));
    assert.equal(wide[2], "lab1 : ok=45 changed=29 unreachable=0 failed=0 skipped=15 rescued=0 ignored=0 unknown=0");
    const narrow = recapLines(hosts, 34_300, screen(80));
    assert.deepEqual(narrow.slice(2), ["lab1 : ok=45 changed=29 failed=0 skipped=15", "lab2 : ok=3  changed=0  failed=1 skipped=0", "elapsed 34.3s"]);
  });
});
