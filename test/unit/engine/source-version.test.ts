/**
 * The commit a run names for its playbook and inventory (run_start, the report, the host's run record): one git
 * process per source, read from `git status --porcelain=v2 --branch`, on real repositories made here.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseGitStatus, sourceVersion } from "../../../engine/source-version.js";

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.org", ...args], { encoding: "utf8" }).trim();
}

test("a committed playbook names its commit, clean; changed, it is dirty; another file's change does not count", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rems-source-"));
  git(dir, "init", "-q");
  writeFileSync(join(dir, "site.yml"), "- hosts: all\n");
  writeFileSync(join(dir, "other.yml"), "x: 1\n");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "first");
  const head = git(dir, "rev-parse", "HEAD");
  const playbook = join(dir, "site.yml");
  assert.deepEqual(await sourceVersion(playbook), { path: playbook, commit: head, dirty: false });
  writeFileSync(join(dir, "other.yml"), "x: 2\n");
  assert.deepEqual(await sourceVersion(playbook), { path: playbook, commit: head, dirty: false });
  writeFileSync(playbook, "- hosts: web\n");
  assert.deepEqual(await sourceVersion(playbook), { path: playbook, commit: head, dirty: true });
  // A directory (an inventory directory) is a source too.
  assert.deepEqual(await sourceVersion(dir), { path: dir, commit: head, dirty: true });
});

test("outside a repository, or before its first commit, a source has no commit", async () => {
  const plain = mkdtempSync(join(tmpdir(), "rems-source-"));
  writeFileSync(join(plain, "inventory.yml"), "all: {}\n");
  assert.deepEqual(await sourceVersion(join(plain, "inventory.yml")), { path: join(plain, "inventory.yml") });
  const fresh = mkdtempSync(join(tmpdir(), "rems-source-"));
  git(fresh, "init", "-q");
  writeFileSync(join(fresh, "site.yml"), "- hosts: all\n");
  assert.deepEqual(await sourceVersion(join(fresh, "site.yml")), { path: join(fresh, "site.yml") });
  assert.deepEqual(parseGitStatus("x.yml", "# branch.oid (initial)\n# branch.head main\n? x.yml\n"), { path: "x.yml" });
});
