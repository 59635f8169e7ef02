import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { CommandFailedError, ConnectionError, InterruptedError } from "../../../engine/errors.js";
import { LocalConnection } from "../../../engine/connection/local.js";
import { openConnection } from "../../../engine/connection/open.js";

const local = (): LocalConnection => new LocalConnection({ hostName: "localhost" });

describe("local connection", () => {
  test("openConnection picks it for type local", () => {
    const conn = openConnection({
      hostName: "localhost",
      type: "local",
      address: "127.0.0.1",
      port: 22,
      user: "root",
      hostKeyPolicy: "strict",
      connectTimeoutMs: 1000,
    });
    assert.ok(conn instanceof LocalConnection);
    assert.equal(conn.hostName, "localhost");
  });

  test("returns exit code, stdout and stderr without throwing on failure", async () => {
    const conn = local();
    await conn.connect();
    assert.deepEqual(await conn.exec("printf 'out'; printf 'err' >&2; exit 3"), { code: 3, stdout: "out", stderr: "err" });
    assert.deepEqual(await conn.exec("true"), { code: 0, stdout: "", stderr: "" });
  });

  test("runs /bin/sh syntax", async () => {
    assert.equal((await local().exec("x=1; [ \"$x\" = 1 ] && echo yes")).stdout, "yes\n");
  });

  test("stdin round-trips binary bytes", async () => {
    const data = randomBytes(1 << 20);
    const result = await local().exec("sha256sum", { stdin: data });
    assert.equal(result.stdout.split(" ")[0], createHash("sha256").update(data).digest("hex"));
  });

  test("a command that ignores its stdin still finishes", async () => {
    assert.equal((await local().exec("echo done", { stdin: randomBytes(1 << 20) })).stdout, "done\n");
  });

  test("decodes multi-byte UTF-8 whole", async () => {
    assert.equal((await local().exec("printf 'h\\303\\251\\342\\202\\254'")).stdout, "hé€");
  });

  test("a command killed by a signal reports 128 + the signal number", async () => {
    assert.equal((await local().exec("kill -TERM $$")).code, 143);
  });

  test("a timeout kills the command and its children and rejects", async () => {
    const conn = local();
    const error = await conn.exec("sleep 30 & wait", { timeoutMs: 100 }).catch((e: unknown) => e);
    assert.ok(error instanceof CommandFailedError);
    assert.equal(error.exitCode, 124);
    assert.match(error.message, /timed out after 100 ms/);
    assert.equal((await conn.exec("echo after")).stdout, "after\n");
  });

  test("an abort signal stops the command with InterruptedError", async () => {
    const controller = new AbortController();
    const running = local().exec("sleep 30", { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(running, InterruptedError);
    await assert.rejects(local().exec("true", { signal: AbortSignal.abort() }), InterruptedError);
  });

  test("after close, exec fails with ConnectionError", async () => {
    const conn = local();
    await conn.close();
    await assert.rejects(conn.exec("true"), ConnectionError);
  });
});
