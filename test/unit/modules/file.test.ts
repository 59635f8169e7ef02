import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModuleError } from "../../../engine/errors.js";
import type { Plan } from "../../../engine/module-api.js";
import file, { type FileArgs } from "../../../modules/file.js";
import { LocalShellContext } from "../../helpers/fake-context.js";
import { runCase, runModuleCases, type ModuleCase } from "../../helpers/module-tester.js";
import { repoRoot } from "../../helpers/rems-play.js";

runModuleCases(file);

/** check, then apply when there is a change: one task run on this machine. */
async function run(args: FileArgs): Promise<Plan> {
  const ctx = new LocalShellContext();
  const plan = await file.check(ctx, args);
  if (plan.changed === true) {
    ctx.phase = "apply";
    for (const command of plan.commands) await ctx.run(command);
  }
  return plan;
}

describe("file on a real shell", () => {
  test("directory: create, no-op, symbolic mode recursively, remove", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "rems-file-")), "opt/rems");
    assert.equal((await run({ path, state: "directory", owner: "www-data", mode: "0750" })).changed, true);
    assert.equal(statSync(path).uid, 33);
    assert.equal((statSync(path).mode & 0o7777).toString(8), "750");
    assert.equal((await run({ path, state: "directory", owner: "www-data", mode: "0750" })).changed, false);

    writeFileSync(join(path, "run.sh"), "echo\n", { mode: 0o700 });
    writeFileSync(join(path, "data.txt"), "x\n", { mode: 0o600 });
    const recursive: FileArgs = { path, state: "directory", recurse: true, mode: "u=rwX,g=rX,o=rX" };
    assert.equal((await run(recursive)).changed, true);
    assert.equal((statSync(join(path, "run.sh")).mode & 0o7777).toString(8), "755");
    assert.equal((statSync(join(path, "data.txt")).mode & 0o7777).toString(8), "644");
    assert.equal((await run(recursive)).changed, false);

    assert.equal((await run({ path, state: "absent" })).changed, true);
    assert.equal(existsSync(path), false);
    assert.equal((await run({ path, state: "absent" })).changed, false);
  });

  // Issue 14: mkdir -p left the parents root:root 0755; Ansible gives each directory it creates the task's attributes.
  test("directory: each missing parent gets the task's owner and mode, existing ones are left alone", async () => {
    const top = mkdtempSync(join(tmpdir(), "rems-file-"));
    const path = join(top, "a/b/c");
    assert.equal((await run({ path, state: "directory", owner: "www-data", group: "www-data", mode: "02775" })).changed, true);
    for (const dir of ["a", "a/b", "a/b/c"].map((d) => join(top, d))) {
      assert.equal(statSync(dir).uid, 33, dir);
      assert.equal((statSync(dir).mode & 0o7777).toString(8), "2775", dir);
    }
    assert.equal(statSync(top).uid, 0);
    assert.equal((await run({ path, state: "directory", owner: "www-data", group: "www-data", mode: "02775" })).changed, false);
  });

  test("directory: a file in the way of a parent fails the task", async () => {
    const top = mkdtempSync(join(tmpdir(), "rems-file-"));
    writeFileSync(join(top, "a"), "x\n");
    await assert.rejects(run({ path: join(top, "a/b"), state: "directory" }));
  });

  test("link: create, no-op, retarget", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-file-"));
    const path = join(dir, "current");
    assert.equal((await run({ path, state: "link", src: "/etc/hostname" })).changed, true);
    assert.equal(readlinkSync(path), "/etc/hostname");
    assert.equal((await run({ path, state: "link", src: "/etc/hostname" })).changed, false);
    assert.equal((await run({ path, state: "link", src: "/etc/os-release" })).changed, true);
    assert.equal(readlinkSync(path), "/etc/os-release");
    assert.ok(lstatSync(path).isSymbolicLink());
  });

  test("hard: create, then a no-op by inode", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-file-"));
    writeFileSync(join(dir, "a"), "x\n");
    const args: FileArgs = { path: join(dir, "b"), state: "hard", src: join(dir, "a") };
    assert.equal((await run(args)).changed, true);
    assert.equal(statSync(join(dir, "b")).ino, statSync(join(dir, "a")).ino);
    assert.equal((await run(args)).changed, false);
  });

  // ansible-core's file target reads dest and src from this failure's result.
  test("hard: a missing src fails with both ends in the result", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "rems-file-")), "hard.txt");
    await assert.rejects(run({ path, state: "hard", src: "missing.txt" }), (error: unknown) => {
      assert.ok(error instanceof ModuleError);
      assert.equal(error.message, "src does not exist");
      assert.deepEqual(error.result, { dest: path, src: "missing.txt" });
      return true;
    });
  });

  // Issue 14: Ansible's recurse follows the tree's symlinks (follow defaults to true) to their targets, into a
  // linked directory too; with follow false only the tree itself changes.
  test("directory recurse: follow sets what the tree's links point to, follow false leaves it", async () => {
    const top = mkdtempSync(join(tmpdir(), "rems-file-"));
    const tree = join(top, "tree");
    mkdirSync(tree, { mode: 0o755 });
    writeFileSync(join(top, "target_file"), "x\n", { mode: 0o700 });
    mkdirSync(join(top, "target_dir"), { mode: 0o700 });
    writeFileSync(join(top, "target_dir/foo"), "x\n", { mode: 0o700 });
    symlinkSync("../target_file", join(tree, "link"));
    symlinkSync("../target_dir", join(tree, "link_dir"));
    symlinkSync("does_not_exist", join(tree, "dangling"));
    const modeOf = (p: string): string => (statSync(join(top, p)).mode & 0o7777).toString(8);
    assert.equal((await run({ path: tree, recurse: true, follow: false, mode: "a-x" })).changed, true);
    assert.deepEqual(["tree", "target_file", "target_dir", "target_dir/foo"].map(modeOf), ["644", "700", "700", "700"]);
    assert.equal((await run({ path: tree, recurse: true, follow: true, mode: "a-x" })).changed, true);
    assert.deepEqual(["tree", "target_file", "target_dir", "target_dir/foo"].map(modeOf), ["644", "600", "600", "600"]);
    assert.equal((await run({ path: tree, recurse: true, follow: true, mode: "a-x" })).changed, false);
  });
});

test("a failure in check mode keeps the warnings of unknown owners in its result, as Ansible's does", async () => {
  const c = JSON.parse(readFileSync(join(repoRoot, "test/modules/file/check_mode_unknown_owner.json"), "utf8")) as ModuleCase;
  await assert.rejects(runCase(file, c), (error: unknown) => {
    assert.ok(error instanceof ModuleError);
    assert.deepEqual(error.result.warnings, ["failed to look up user nosuchuser. Create user up to this point in real play"]);
    return true;
  });
});
