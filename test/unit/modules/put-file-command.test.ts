/**
 * put-file's plan and its one write exec, run for real with /bin/sh against a temp directory on this machine
 * (the commands the engine will send to a host).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommandFailedError, ModuleError } from "../../../engine/errors.js";
import type { ChangePlan, Plan } from "../../../engine/module-api.js";
import { applyPutFile, planPutFile, type PutFileRequest } from "../../../modules/shared/put-file.js";
import { LocalShellContext } from "../../helpers/fake-context.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "rems-put-file-"));
}

function changePlan(plan: Plan): ChangePlan {
  if (plan.changed !== true) throw new assert.AssertionError({ message: `expected a change, got: ${plan.reason}` });
  return plan;
}

async function put(req: PutFileRequest, ctx = new LocalShellContext()): Promise<{ plan: ChangePlan; output: Record<string, unknown> }> {
  const plan = changePlan(await planPutFile(ctx, req));
  ctx.phase = "apply";
  const result = await applyPutFile(ctx, plan);
  return { plan, output: result.output ?? {} };
}

function modeOf(path: string): string {
  return (statSync(path).mode & 0o7777).toString(8).padStart(4, "0");
}

describe("put-file on a real shell", () => {
  test("creates a new file with the default mode, and a second plan is a no-op", async () => {
    const dest = join(tempDir(), "app.conf");
    const { plan } = await put({ dest, content: "port = 8000\n" });
    assert.equal(plan.summary, `create ${dest}`);
    assert.equal(readFileSync(dest, "utf8"), "port = 8000\n");
    assert.equal(modeOf(dest), "0644");
    const again = await planPutFile(new LocalShellContext(), { dest, content: "port = 8000\n" });
    assert.deepEqual({ changed: again.changed, reason: "reason" in again ? again.reason : "" }, { changed: false, reason: `${dest} has the wanted content (root:root 0644)` });
  });

  test("with parents, creates the missing directories first (0755)", async () => {
    const dir = join(tempDir(), "a", "b");
    const dest = join(dir, "app.conf");
    await put({ dest, content: "x\n", parents: true });
    assert.equal(readFileSync(dest, "utf8"), "x\n");
    assert.equal(modeOf(dir), "0755");
  });

  test("rewrites changed content with owner, group and symbolic mode, keeping a backup", async () => {
    const dir = tempDir();
    const dest = join(dir, "app.conf");
    writeFileSync(dest, "old\n", { mode: 0o600 });
    const { plan, output } = await put({ dest, content: "new\n", owner: "www-data", group: "www-data", mode: "u=rw,g=r", backup: true });
    assert.equal(plan.summary, `write ${dest}`);
    assert.equal(readFileSync(dest, "utf8"), "new\n");
    assert.equal(modeOf(dest), "0640");
    assert.equal(statSync(dest).uid, 33);
    assert.equal(statSync(dest).gid, 33);
    assert.equal(typeof output.backup_file, "string");
    assert.match(String(output.backup_file), /app\.conf\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    assert.equal(readFileSync(String(output.backup_file), "utf8"), "old\n");
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith(".rems-")), []);
  });

  test("keeps the owner and mode of the file it replaces when none are given", async () => {
    const dest = join(tempDir(), "app.env");
    writeFileSync(dest, "A=1\n", { mode: 0o640 });
    chownSync(dest, 33, 33);
    await put({ dest, content: "A=2\n" });
    assert.equal(modeOf(dest), "0640");
    assert.equal(statSync(dest).uid, 33);
  });

  test("changes only the mode without rewriting the content", async () => {
    const dest = join(tempDir(), "run.sh");
    writeFileSync(dest, "echo hi\n", { mode: 0o644 });
    const inode = statSync(dest).ino;
    const { plan } = await put({ dest, content: "echo hi\n", mode: "0755" });
    assert.equal(plan.summary, `set mode 0755 on ${dest}`);
    assert.deepEqual(plan.commands.map((c) => c.display), [`chmod 0755 -- ${dest}`]);
    assert.equal(modeOf(dest), "0755");
    assert.equal(statSync(dest).ino, inode);
  });

  test("a failing validate leaves dest untouched and removes the temp file", async () => {
    const dir = tempDir();
    const dest = join(dir, "app.conf");
    writeFileSync(dest, "good\n");
    await assert.rejects(put({ dest, content: "bad\n", validate: "grep -q good %s" }), ModuleError);
    assert.equal(readFileSync(dest, "utf8"), "good\n");
    assert.deepEqual(readdirSync(dir), ["app.conf"]);
  });

  test("a passing validate sees the new content in the temp file", async () => {
    const dest = join(tempDir(), "app.conf");
    await put({ dest, content: "good\n", validate: "grep -q good %s" });
    assert.equal(readFileSync(dest, "utf8"), "good\n");
  });

  test("content cut short (a dropped connection) never reaches dest", async () => {
    const dir = tempDir();
    const dest = join(dir, "big.txt");
    writeFileSync(dest, "before\n");
    const content = "x".repeat(100_000);
    const ctx = new LocalShellContext();
    const plan = changePlan(await planPutFile(ctx, { dest, content }));
    const [command] = plan.commands;
    assert.ok(command);
    ctx.phase = "apply";
    await assert.rejects(ctx.run(command, { stdin: content.slice(0, 50_000) }), (err: unknown) => {
      assert.ok(err instanceof CommandFailedError);
      assert.match(err.message, /rems: content arrived incomplete/);
      return true;
    });
    assert.equal(readFileSync(dest, "utf8"), "before\n");
    assert.deepEqual(readdirSync(dir), ["big.txt"]);
  });

  test("force: false leaves an existing file alone", async () => {
    const dest = join(tempDir(), "keep.txt");
    writeFileSync(dest, "mine\n");
    const plan = await planPutFile(new LocalShellContext(), { dest, content: "theirs\n", force: false });
    assert.equal(plan.changed, false);
  });

  test("a directory at dest is refused", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "sub"));
    await assert.rejects(planPutFile(new LocalShellContext(), { dest: join(dir, "sub"), content: "x" }), ModuleError);
  });

  test("diff mode shows the old and the new content", async () => {
    const dest = join(tempDir(), "app.conf");
    writeFileSync(dest, "port = 80\n");
    const plan = changePlan(await planPutFile(new LocalShellContext({ diffMode: true }), { dest, content: "port = 8000\n", mode: "0600" }));
    assert.deepEqual(plan.diffs, [
      { path: dest, before: "port = 80\n", after: "port = 8000\n", beforeHeader: dest, afterHeader: dest },
      { path: `${dest} (attributes)`, before: "mode 0644\n", after: "mode 0600\n", metadata: true },
    ]);
  });
});
