/**
 * Issue 14: an unknown lookup (in lookup()/query()/q() or a with_<name> loop) is found at load, located
 * file:line:col, before any host is contacted; with_first_found and the other with_* loops are keywords, not
 * "unknown module or action".
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runCli } from "../../helpers/rems-play.js";

test("unknown lookups are located load-time errors, with the name meant", () => {
  const out = runCli(["bad-lookups.yml", "-i", "inventory.ini", "--syntax-check"], { cwd: join(repoRoot, "test/fixtures/lookups") });
  assert.equal(out.status, 4, out.stdout + out.stderr);
  assert.deepEqual(out.stderr.trimEnd().split("\n"), [
    `ERROR: bad-lookups.yml:5:14: task "debug": msg: lookup plugin (fille) not found`,
    `ERROR: bad-lookups.yml:7:7: task "debug": unknown lookup 'firstfound' in 'with_firstfound'; did you mean 'first_found'?`,
    `ERROR: bad-lookups.yml:9:13: task "debug": when: 'query('nope', 'x') | length > 0' does not parse: lookup plugin (nope) not found`,
    `ERROR: bad-lookups.yml:12:7: task "debug": a task has one loop; found loop, with_items`,
  ]);
});

test("the with_* loops and lookups of a good playbook pass the syntax check", () => {
  const out = runCli(["loops.yml", "-i", "inventory.ini", "--syntax-check"], { cwd: join(repoRoot, "test/fixtures/lookups") });
  assert.equal(out.status, 0, out.stdout + out.stderr);
});
