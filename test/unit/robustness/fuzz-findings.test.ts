/**
 * What the fuzz test (test/integration/cli-fuzz.test.ts) found, each kept as a regression test: the CLI hung or
 * exited 250 on these before they were fixed.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli, type CliResult } from "../../helpers/rems-play.js";

/** Runs `rems-play playbook.yml -i inventory.ini ARGS` in a fresh directory holding the two files. */
function cliOn(files: { playbook?: string; inventory: string }, ...args: string[]): CliResult {
  const dir = mkdtempSync(join(tmpdir(), "rems-fuzz-finding-"));
  writeFileSync(join(dir, "playbook.yml"), files.playbook ?? "- hosts: all\n  gather_facts: false\n  tasks: []\n");
  writeFileSync(join(dir, "inventory.ini"), files.inventory);
  return runCli(["playbook.yml", "-i", "inventory.ini", ...args], { cwd: dir, timeoutMs: 15_000 });
}

describe("issue 16 fuzz findings", () => {
  test("fuzz: a host range of 100 million hosts (web[0:99999999]) is refused at its place, not expanded until memory runs out", () => {
    const out = cliOn({ inventory: "[web]\nweb[0:99999999] ansible_port=1\n" }, "--syntax-check");
    assert.equal(out.status, 4, `exit ${String(out.status)}: ${out.stderr}`);
    assert.equal(out.stderr, "ERROR: inventory.ini:2:1: host range 'web[0:99999999]' holds more than 10000 hosts, the most one range may hold\n");
  });

  test("fuzz: -K without a terminal to ask on is a usage error (exit 4), not an internal error", () => {
    const out = cliOn({ inventory: "[web]\nweb1 ansible_port=1\n" }, "-K");
    assert.equal(out.status, 4, `exit ${String(out.status)}: ${out.stderr}`);
    assert.equal(out.stderr, 'ERROR: cannot ask "BECOME password:": standard input is not a terminal\n');
  });
});
