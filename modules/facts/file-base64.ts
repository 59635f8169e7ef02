/**
 * A file's bytes, base64-encoded on the host so any content (binary, any encoding) travels as text. The shell's
 * own tests say first whether the path is a directory, absent, unreadable or not a regular file; only a readable
 * regular file starts a process, `base64 -w0`. For slurp.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface FileBase64Args {
  path: string;
}

export type FileBase64 =
  | { kind: "absent" }
  | { kind: "directory" }
  | { kind: "unreadable" }
  /** Exists but is neither a directory nor a regular file: a device, a FIFO, a socket. */
  | { kind: "special" }
  /** base64 failed on a file the tests found readable (a read error, or the file went away meanwhile). */
  | { kind: "failed"; code: number }
  | { kind: "file"; content: string };

const STATES = new Set(["absent", "directory", "unreadable", "special"]);
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
  return { kind: head as "absent" | "directory" | "unreadable" | "special" };
}

export const fileBase64 = defineFact<FileBase64, FileBase64Args>({
  name: "file_base64",
  // [ -d ] and [ -e ] follow symlinks, as opening the file would: a dangling link is absent.
  command: ({ path }) =>
    sh`p=${path}; if [ -d "$p" ]; then echo directory; elif [ ! -e "$p" ]; then echo absent; elif [ ! -r "$p" ]; then echo unreadable; elif [ ! -f "$p" ]; then echo special; else echo file && base64 -w0 -- "$p"; fi`,
  parse: parseFileBase64,
});
