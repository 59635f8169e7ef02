/**
 * A file's bytes, base64-encoded on the host so any content (binary, any encoding) travels as text. The shell's
 * own tests say first, in the order opening the file finds them (ENOENT or ENOTDIR, EACCES, EISDIR), whether the
 * path is absent, reached through a file, unreadable, a directory or not a regular file; only a readable regular
 * file starts a process, `base64 -w0`. Readability depends on who asks: slurp reads it as the task's user. For slurp.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface FileBase64Args {
  path: string;
}

export type FileBase64 =
  | { kind: "absent" }
  /** A component of the path is a file, not a directory (ENOTDIR). */
  | { kind: "notdir" }
  | { kind: "directory" }
  | { kind: "unreadable" }
  /** Exists but is neither a directory nor a regular file: a device, a FIFO, a socket. */
  | { kind: "special" }
  /** base64 failed on a file the tests found readable (a read error, or the file went away meanwhile). */
  | { kind: "failed"; code: number }
  | { kind: "file"; content: string };

const STATES = new Set(["absent", "notdir", "directory", "unreadable", "special"]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function parseFileBase64(output: ProbeOutput, args: FileBase64Args): FileBase64 {
  const fail = (why: string): never => {
    throw new FactError(`file_base64 ${args.path}: ${why}: ${JSON.stringify(output.stdout.slice(0, 200))}`);
  };
  const newline = output.stdout.indexOf("\n");
  const head = newline < 0 ? output.stdout : output.stdout.slice(0, newline);
  const body = newline < 0 ? "" : output.stdout.slice(newline + 1);
  if (head === "file") {
    if (output.code !== 0) return { kind: "failed", code: output.code };
    if (!BASE64.test(body) || body.length % 4 !== 0) fail("base64 printed something else than base64");
    return { kind: "file", content: body };
  }
  if (output.code !== 0) fail(`probe exited with ${output.code}`);
  if (!STATES.has(head) || body !== "") fail("unexpected output");
  return { kind: head as "absent" | "notdir" | "directory" | "unreadable" | "special" };
}

export const fileBase64 = defineFact<FileBase64, FileBase64Args>({
  name: "file_base64",
  // [ -e ], [ -r ] and [ -d ] follow symlinks, as opening the file would: a dangling link is absent. A missing path
  // whose nearest existing ancestor is not a directory is reached through a file; one the user may not search
  // (EACCES on the way) is unreadable.
  command: ({ path }) =>
    sh`p=${path}; if [ ! -e "$p" ]; then d=$(dirname -- "$p"); while [ ! -e "$d" ]; do d=$(dirname -- "$d"); done; if [ ! -d "$d" ]; then echo notdir; elif [ ! -x "$d" ]; then echo unreadable; else echo absent; fi; elif [ ! -r "$p" ]; then echo unreadable; elif [ -d "$p" ]; then echo directory; elif [ ! -f "$p" ]; then echo special; else echo file && base64 -w0 -- "$p"; fi`,
  perUser: true,
  parse: parseFileBase64,
});
