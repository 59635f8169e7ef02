/**
 * Issue 16 item 6: controller files are sent as streams (modules/shared/source-file.ts), through put-file's write,
 * run for real with /bin/sh against a temp directory.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModuleError } from "../../../engine/errors.js";
import type { ChangePlan } from "../../../engine/module-api.js";
import { applyPutFile, planPutFile } from "../../../modules/shared/put-file.js";
import { sourceFile } from "../../../modules/shared/source-file.js";
import { LocalShellContext } from "../../helpers/fake-context.js";

/** A controller file of `size` bytes (not all alike) in a fresh directory, and the host-side directory. */
function setUp(size: number): { src: string; dir: string; bytes: Buffer } {
  const root = mkdtempSync(join(tmpdir(), "rems-source-file-"));
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7919) % 251;
  const src = join(root, "big.bin");
  writeFileSync(src, bytes);
  return { src, dir: root, bytes };
}

describe("issue 16 item 6: a controller file is streamed, not read whole", () => {
  test("its size and sha256 are read as a stream, and it arrives byte for byte", async () => {
    const { src, dir, bytes } = setUp(3 * 1024 * 1024 + 17);
    const ctx = new LocalShellContext();
    const sent = await sourceFile(ctx, src);
    assert.deepEqual(sent, { path: src, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    const dest = join(dir, "copy.bin");
    const plan = (await planPutFile(ctx, { dest, content: () => sourceFile(ctx, src) })) as ChangePlan;
    assert.equal(plan.changed, true);
    ctx.phase = "apply";
    await applyPutFile(ctx, plan);
    assert.ok(readFileSync(dest).equals(bytes));
  });

  test("a file that cannot be read when it is sent fails the task with why, and dest is untouched", async () => {
    const { src, dir } = setUp(2 * 1024 * 1024);
    const dest = join(dir, "copy.bin");
    writeFileSync(dest, "before\n");
    const ctx = new LocalShellContext();
    const plan = (await planPutFile(ctx, { dest, content: () => sourceFile(ctx, src) })) as ChangePlan;
    rmSync(src);
    ctx.phase = "apply";
    await assert.rejects(applyPutFile(ctx, plan), (error: unknown) => error instanceof ModuleError && /^cannot read the file to send: ENOENT/.test(error.message));
    assert.equal(readFileSync(dest, "utf8"), "before\n");
    assert.deepEqual(readdirSync(dir).sort(), ["copy.bin"]);
  });

  test("a vault-encrypted file is decrypted in memory, through ctx.readSource", async () => {
    const { src } = setUp(10);
    writeFileSync(src, "$ANSIBLE_VAULT;1.1;AES256\n3132\n");
    const ctx = new LocalShellContext();
    ctx.readSource = () => Buffer.from("decrypted\n");
    assert.deepEqual(await sourceFile(ctx, src), Buffer.from("decrypted\n"));
  });
});
