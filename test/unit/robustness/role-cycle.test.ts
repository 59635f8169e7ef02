/**
 * Issue 16 item 8: roles that depend on each other are a located load error. The cycle check ran after the
 * de-duplication of roles, which had already dropped the role seen before, so it never fired.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { repoRoot, runCli } from "../../helpers/rems-play.js";

const dir = join(repoRoot, "test/fixtures/bad-input");

describe("issue 16 item 8: circular role dependencies", () => {
  test("item 8: a role that depends on itself through another is refused, with the cycle, at the dependency", () => {
    const out = runCli(["cycle.yml", "-i", "inventory.ini", "--syntax-check"], { cwd: dir });
    assert.equal(out.status, 4, out.stdout + out.stderr);
    assert.equal(out.stderr, "ERROR: roles/cycle_b/meta/main.yml:1:16: role 'cycle_a' depends on itself: cycle_a → cycle_b → cycle_a\n");
  });

  test("item 8: two roles sharing a dependency are not a cycle", () => {
    const out = runCli(["diamond.yml", "-i", "inventory.ini", "--syntax-check"], { cwd: dir });
    assert.equal(out.status, 0, out.stderr);
  });
});
