/**
 * Golden files (ansible's approach for rendered output): the expected text lives in test/golden/**, reviewed like
 * code. `UPDATE_GOLDEN=1` rewrites them from the current output, to be inspected with `git diff` before committing.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { repoRoot } from "./rems-play.js";

export function assertGolden(relativePath: string, actual: string): void {
  const path = join(repoRoot, relativePath);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `missing golden file ${relativePath} (UPDATE_GOLDEN=1 writes it)`);
  assert.equal(actual, readFileSync(path, "utf8"), `output differs from ${relativePath} (UPDATE_GOLDEN=1 rewrites it)`);
}

/** A writable stream that keeps what is written to it, in place of stdout. */
export class CapturedStream extends Writable {
  text = "";

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += typeof chunk === "string" ? chunk : chunk.toString("utf8");
    callback();
  }
}
