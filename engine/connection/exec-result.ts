/**
 * What ssh.ts and local.ts share about finishing a command: output collected as bytes and decoded once (a
 * multi-byte character split across chunks stays whole), exit statuses as a shell reports them, and the errors
 * for a command stopped by its timeout or by an interrupt.
 */

import { constants } from "node:os";
import type { Readable } from "node:stream";
import { CommandFailedError, InterruptedError } from "../errors.js";

/** Exit code reported for a command killed by its timeout, as timeout(1) does. */
export const TIMEOUT_EXIT_CODE = 124;

/** Collects a stream's bytes; the returned function decodes everything received so far as UTF-8. */
export function collectOutput(stream: Readable): () => string {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString("utf8");
}

/** A shell's view of how a command ended: its status, 128 + the signal number when killed, 255 when unknown. */
export function exitCodeFor(status: number | null | undefined, signal: string | null | undefined): number {
  if (typeof status === "number") return status;
  if (signal) {
    const name = (signal.startsWith("SIG") ? signal : `SIG${signal}`) as keyof typeof constants.signals;
    const number = constants.signals[name] as number | undefined;
    if (number !== undefined) return 128 + number;
  }
  return 255;
}

/** The command text is not in the message: it may hold secrets, and the caller knows its display form. */
export function execTimedOut(host: string, timeoutMs: number, stdout: string, stderr: string): CommandFailedError {
  return new CommandFailedError(`(killed: timed out after ${timeoutMs} ms)`, TIMEOUT_EXIT_CODE, stdout, stderr, { host });
}

export function execInterrupted(host: string): InterruptedError {
  return new InterruptedError(`${host}: command interrupted`, { host });
}
