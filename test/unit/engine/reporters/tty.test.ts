/**
 * The TTY reporter draws on a real terminal: these tests run it in a pseudo-terminal made by util-linux `script`
 * and read what reached the screen.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../../../helpers/rems-play.js";
import { sanitize } from "../../../../engine/reporters/text.js";

const driver = join(repoRoot, "dist/test/unit/engine/reporters/tty-driver.js");

/** Runs the driver on a 120-column terminal; returns the exit code and the screen text without escape codes. */
function runInTerminal(env: Record<string, string>): { status: number | null; screen: string } {
  const command = `stty cols 120 rows 50; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(driver)}`;
  const child = spawnSync("script", ["-qec", command, "/dev/null"], {
    env: { ...process.env, TERM: "xterm-256color", CI: "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: child.status, screen: sanitize(child.stdout).replace(/\\x0d/g, "") };
}

describe("tty reporter in a terminal", () => {
  test("draws each task as a tree of hosts and ends with the plain recap", () => {
    const { status, screen } = runInTerminal({});
    assert.equal(status, 0, screen);
    assert.match(screen, /PLAY \[Deploy REMS\] \*+/);
    assert.match(screen, /TASK \[app : Step 2 · ship the application code\] \*+/);
    // The host line of a loop sums up its items; plain output would show one line per item instead.
    assert.match(screen, /changed: \[lab1\] install nginx/);
    assert.doesNotMatch(screen, /\(item=nginx\)/);
    // The engine's "Gathering Facts" results come without a task_start; they still get a tree with a line per host.
    assert.match(screen, /^ {2}\S unreachable: \[lab3\]$/m);
    assert.match(screen, /^\+DEBUG = False$/m);
    assert.match(screen, /^lab2 : ok=3 {2}changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0 unknown=0$/m);
    assert.doesNotMatch(screen, /live output failed/);
  });

  test("falls back to plain lines when listr2 fails, and still finishes the run", () => {
    const { status, screen } = runInTerminal({ REMS_TEST_BREAK_LISTR: "1" });
    assert.equal(status, 0, screen);
    assert.match(screen, /live output failed \(simulated listr2 failure\); continuing with plain output/);
    assert.match(screen, /^changed: \[lab1\] => \(item=nginx\) install nginx$/m);
    assert.match(screen, /^failed: \[lab2\] REMS_COMMAND_FAILED: command failed with exit code 1/m);
    assert.match(screen, /^elapsed 4\.2s$/m);
  });
});
