/**
 * Controller files sent to a host (copy's src, the files of a copied tree) travel as streams: read from disk in
 * chunks while they are sent, their sha256 computed from a stream too, so the controller holds a bounded amount of
 * memory whatever their size (issue 16 item 6: a 300 MB copy held 657 MB). Content made on the controller (a
 * template's text, copy's content) and a vault-encrypted file, decrypted on the controller as Ansible's copy does,
 * are bytes in memory.
 */
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { ModuleError, RemsError } from "../../engine/errors.js";
import type { ModuleContext } from "../../engine/module-api.js";
import { isVaultedFile } from "../../engine/vault/vault.js";
import { MAX_DIFF_BYTES } from "../facts/file-content.js";

/** A controller file read from disk only when it is sent. */
export interface StreamedFile {
  path: string;
  size: number;
  sha256: string;
}

/** What is sent for one file: bytes in memory, or a file streamed from disk. */
export type Sendable = Buffer | StreamedFile;

function sha256(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

export const sizeOf = (content: Sendable): number => (Buffer.isBuffer(content) ? content.length : content.size);
export const checksumOf = (content: Sendable): string => (Buffer.isBuffer(content) ? sha256(content) : content.sha256);

/** A controller file as it will be sent: streamed, or decrypted in memory when vault-encrypted (ctx.readSource). */
export async function sourceFile(ctx: ModuleContext, path: string): Promise<Sendable> {
  try {
    if (isVaultedFile(path)) return ctx.readSource(path);
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { path, size, sha256: hash.digest("hex") };
  } catch (error) {
    // A vault-encrypted file that does not open says so itself (VaultError).
    if (error instanceof RemsError) throw error;
    throw new ModuleError(`cannot read ${path}: ${(error as Error).message}`, {}, { cause: error });
  }
}

/** The content's bytes when it has at most `limit` of them (a diff, a check-mode prediction), else undefined. */
export function bytesUpTo(content: Sendable, limit: number): Buffer | undefined {
  if (sizeOf(content) > limit) return undefined;
  return Buffer.isBuffer(content) ? content : readFileSync(content.path);
}

/** Text of new content for a diff, or a note when it is binary or too large to show. */
export function afterText(content: Sendable): string {
  const bytes = bytesUpTo(content, MAX_DIFF_BYTES);
  if (bytes === undefined) return `(${sizeOf(content)} bytes, too large to show)\n`;
  return bytes.includes(0) ? "(binary content not shown)\n" : bytes.toString("utf8");
}

/** A stream read while it is sent; `failure()` is the read error that cut it short, if any. */
export interface SendStream {
  stream: Readable;
  failure(): Error | undefined;
}

/**
 * The contents back to back as one stream, each file read from disk as the host takes it (the pipe's backpressure
 * bounds what is in memory). A file that cannot be read ends the stream early: the host's checksum then refuses
 * the short content, and `failure()` says why.
 */
export function sendStream(contents: readonly Sendable[]): SendStream {
  let failure: Error | undefined;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for (const content of contents) {
        if (Buffer.isBuffer(content)) yield content;
        else for await (const chunk of createReadStream(content.path)) yield chunk as Buffer;
      }
    } catch (error) {
      failure = error as Error;
    }
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), failure: () => failure };
}
