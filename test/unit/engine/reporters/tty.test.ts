/**
 * The TTY reporter draws on a real terminal: these tests run it in a pseudo-terminal made by util-linux `script`
 * and read what it wrote. The lines that stay (task blocks, recap) are written once each; the live area's lines
 * are written again each frame and erased, so they are read apart (after the last erase of a frame).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../../../helpers/rems-play.js";
import { visibleWidth } from "../../../../engine/reporters/style.js";
import { sanitize } from "../../../../engine/reporters/text.js";

const driver = join(repoRoot, "dist/test/unit/engine/reporters/tty-driver.js");
// CPL + ED: the live area going back N rows to be redrawn.
// eslint-disable-next-line no-control-regex -- matching the escape sequence is the point
const ERASE = /\u001b\[(\d+)F\u001b\[J/;

interface Terminal {
  status: number | null;
  /** What was written, escape codes dropped, erased live frames included. */
  raw: string;
  /** The lines that stay: each frame's lines but the live ones the next erase takes back. */
  kept: string[];
}

/** Runs the driver on a terminal of COLUMNS columns. */
function runInTerminal(columns: number, env: Record<string, string>): Terminal {
  const command = `stty cols ${columns} rows 40; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(driver)}`;
  const child = spawnSync("script", ["-qec", command, "/dev/null"], {
    env: { ...process.env, TERM: "xterm-256color", CI: "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  const plain = (text: string): string => sanitize(text).replace(/\\x0d/g, "");
  // split() with the group: frame, rows erased after it, frame, rows ...
  const parts = child.stdout.split(ERASE);
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const lines = plain(parts[i] ?? "").split("\n").slice(0, -1);
    kept.push(...lines.slice(0, lines.length - Number(parts[i + 1] ?? "0")));
  }
  return { status: child.status, raw: plain(child.stdout), kept };
}

describe("tty reporter in a terminal", () => {
  test("prints each task once with every host's result under it, in an 80-column terminal", () => {
    const { status, raw, kept } = runInTerminal(80, {});
    assert.equal(status, 0, raw);
    const text = kept.join("\n");
    assert.match(text, /^PLAY \[Deploy REMS\] \*+$/m);
    for (const task of ["Gathering Facts", "common : install packages", "app : Step 2 · ship the application code", "app : configure the site"]) {
      assert.equal(text.split(`TASK [${task}] *`).length, 2, `one header for ${task}:\n${text}`);
    }
    const block = (task: string): string => text.slice(text.indexOf(`TASK [${task}]`)).split("\n\n")[0] ?? "";
    assert.match(block("Gathering Facts"), /\n✓ ok: \[lab1\]\n✓ ok: \[lab2\]\n✗ unreachable: \[lab3\] REMS_CONNECTION/);
    // A loop's items are summed up on the host's line.
    assert.match(block("common : install packages"), /\n● changed: \[lab1\] install nginx\n✓ ok: \[lab2\]$/);
    assert.doesNotMatch(text, /\(item=nginx\)/);
    assert.match(block("app : Step 2 · ship the application code"), /^\+DEBUG = False$/m);
    assert.match(block("app : configure the site"), /\n- skipped: \[lab1\]\n✗ failed: \[lab2\] REMS_COMMAND_FAILED/);
    // Unknown has its own mark; the warning that came with it is a line of its own, with its own mark.
    assert.match(block("app : migrate the database"), /\n\? unknown: \[lab1\] command has no creates\/removes guard: its effect is unknown in\n {4}check mode\n! \[WARNING\]: \[lab1\] consider the sqlite_backup module/);
    assert.match(text, /^RUNNING HANDLER \[restart rems\] \*+\n● changed: \[lab1\] restart rems\.service$/m);
    assert.match(text, /^lab2 : ok=3 {2}changed=0 unreachable=0 failed=1 skipped=0 unknown=0$/m);
    assert.match(text, /^elapsed 4\.2s$/m);
    for (const line of raw.split(/\n/)) assert.ok(visibleWidth(line) <= 80, `wider than 80 columns: ${line}`);
    assert.doesNotMatch(raw, /no result|live output failed/);
  });

  test("the live area shows a lane per host while the run goes", () => {
    const { raw } = runInTerminal(80, { REMS_TEST_EVENT_MS: "60" });
    assert.match(raw, /\d\.\ds {2}3 hosts: .*at work/);
    assert.match(raw, / {2}\S lab1 {2}\S/);
    assert.match(raw, / {2}✗ lab3 {2}failed at Gathering Facts/);
  });

  test("an audit: drift has its own mark and is printed once, not beside a green tick", () => {
    const { status, raw, kept } = runInTerminal(80, { REMS_TEST_EVENTS: "audit" });
    assert.equal(status, 0, raw);
    const text = kept.join("\n");
    const drift = text.split("\n").filter((line) => line.startsWith("≠"));
    assert.deepEqual(drift, ["≠ changed: [lab1] (1 drift, 1 pending) write /etc/nginx/sites-available/rems", "≠ changed: [lab1] (1 drift) write /opt/rems/.env"]);
    assert.match(text, /^● changed: \[lab4\] \(1 pending\) create \/etc\/nginx\/sites-available\/rems$/m);
    assert.doesNotMatch(text, /✓.*\[WARNING\]|✓ ok.*\n! \[WARNING\]/);
    // Each hunk says what it is; the recap counts the differences, as the report does.
    assert.match(text, /^@@ -1,10 \+1,9 @@ drift and pending$/m);
    assert.match(text, /^lab1 : ok=8 changed=4 .* drift=2 *\n? *pending=2/m);
    for (const line of raw.split(/\n/)) assert.ok(visibleWidth(line) <= 80, `wider than 80 columns: ${line}`);
  });

  test("falls back to plain lines when the terminal fails, and still finishes the run", () => {
    const { status, raw } = runInTerminal(120, { REMS_TEST_BREAK_LIVE: "1" });
    assert.equal(status, 0, raw);
    assert.match(raw, /live output failed \(simulated terminal failure\); continuing with plain output/);
    assert.match(raw, /^failed: \[lab2\] REMS_COMMAND_FAILED: command failed with exit code 1/m);
    assert.match(raw, /^lab2 : ok=3 {2}changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0 unknown=0$/m);
    assert.match(raw, /^elapsed 4\.2s$/m);
  });
});
