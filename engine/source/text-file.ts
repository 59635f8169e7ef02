/**
 * Text input files (playbooks, task and vars files, inventories, templates, -e @files) are read here and only
 * here: at most MAX_INPUT_BYTES, and UTF-8 only. Anything else is an InputFileError at its place, never a
 * string with U+FFFD where the bytes were, nor a stack trace for a directory.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InputFileError } from "../errors.js";

/**
 * The largest input file read (the document size limit): far above any playbook, inventory or template; a YAML
 * file this large takes seconds and some hundred MB to load (its values and their source positions).
 */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024;

/** Reads a text file; `file` is the path as shown in messages. Throws InputFileError. */
export function readTextFile(file: string): string {
  return decodeText(file, readInputBytes(file));
}

/** The text of a file's bytes (read here, or decrypted from a vault); throws InputFileError when not UTF-8. */
export function decodeText(file: string, bytes: Buffer): string {
  const text = bytes.toString("utf8");
  const bad = text.includes("\uFFFD") ? firstBadByte(bytes, text) : undefined;
  if (bad !== undefined) {
    const before = text.slice(0, bad.index);
    const loc = { file, line: before.split("\n").length, col: bad.index - before.lastIndexOf("\n") };
    const byte = (bytes[bad.offset] ?? 0).toString(16).padStart(2, "0");
    throw new InputFileError(`the file is not UTF-8 text: byte 0x${byte} at byte offset ${bad.offset} is not UTF-8; save it as UTF-8`, { loc });
  }
  return text;
}

/**
 * The file's bytes, read in pieces and given up on past the limit: a size from stat would not do for a device or
 * a pipe (`-e @/dev/zero` never ends).
 */
export function readInputBytes(file: string): Buffer {
  const start = { file, line: 1, col: 1 };
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    if (fstatSync(fd).isDirectory()) throw new InputFileError("this is a directory, not a file", { loc: start });
    const pieces: Buffer[] = [];
    let total = 0;
    const piece = Buffer.allocUnsafe(64 * 1024);
    for (let read = readSync(fd, piece); read > 0; read = readSync(fd, piece)) {
      total += read;
      if (total > MAX_INPUT_BYTES) throw new InputFileError(`the file is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB, the most rems-play reads`, { loc: start });
      pieces.push(Buffer.from(piece.subarray(0, read)));
    }
    return Buffer.concat(pieces, total);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(`cannot read the file: ${error instanceof Error ? error.message : String(error)}`, { loc: start }, { cause: error });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Where the first byte that is not UTF-8 decoded (its index in `text`) and its offset in `bytes`. */
function firstBadByte(bytes: Buffer, text: string): { index: number; offset: number } | undefined {
  // Up to the first U+FFFD that the file does not spell out itself (EF BF BD), the text decoded as written, so
  // its UTF-8 length is the offset of the byte that did not decode.
  let offset = 0;
  let from = 0;
  for (let index = text.indexOf("\uFFFD"); index >= 0; index = text.indexOf("\uFFFD", index + 1)) {
    offset += Buffer.byteLength(text.slice(from, index));
    from = index;
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return { index, offset };
  }
  return undefined;
}
