/**
 * Ansible's blockinfile on a file's content, pure: the block between its two marker lines is replaced, removed, or
 * (when the file lacks either marker) inserted after/before the last line an insertafter/insertbefore regexp
 * matches, or at BOF/EOF, by Ansible's own rules and quirks (a lone "\r" ends a line; a marker line must end in
 * "\n"; a last line without one gets it before anything follows, even when nothing is inserted). Content is bytes
 * as in Ansible (Python's bytes): each char is one byte (latin1).
 */
import { pyMultiline, pyRegex } from "../../engine/template/regex.js";

export interface BlockArgs {
  state?: "present" | "absent" | undefined;
  block?: string | undefined;
  marker?: string | undefined;
  marker_begin?: string | undefined;
  marker_end?: string | undefined;
  insertafter?: string | undefined;
  insertbefore?: string | undefined;
}

export interface BlockEdit {
  /** The new content (bytes). */
  content: string;
  /** Ansible's msg: "Block inserted", "Block removed", "File created", or "" for no change. */
  msg: string;
}

export const DEFAULT_MARKER = "# {mark} ANSIBLE MANAGED BLOCK";

/** Text as Ansible compares it: its UTF-8 bytes, one char each. */
function bytes(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

/** Python's bytes.splitlines(True): a line ends at "\n", "\r\n" or a lone "\r", and keeps its ending. */
export function splitByteLines(content: string): string[] {
  return content.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** Where a missing block goes: the index of the line it goes before. */
function insertionPoint(original: string | undefined, lines: readonly string[], args: BlockArgs): number {
  const insertafter = args.insertafter ?? (args.insertbefore === undefined ? "EOF" : undefined);
  const pattern = insertafter !== undefined ? (insertafter === "EOF" ? undefined : insertafter) : args.insertbefore === "BOF" ? undefined : args.insertbefore;
  if (pattern === undefined) return insertafter === undefined ? 0 : lines.length;
  const regex = pyRegex(bytes(pattern), {});
  let found: number | undefined;
  if (pyMultiline(pattern)) {
    // A MULTILINE regexp is searched in the whole file: the block goes at the line where the match ends (after) or starts (before).
    const match = original === undefined ? null : regex.exec(original);
    if (match) found = (original ?? "").slice(0, insertafter !== undefined ? match.index + match[0].length : match.index).split("\n").length - 1;
  } else {
    lines.forEach((line, i) => {
      if (regex.test(line)) found = i;
    });
  }
  if (found === undefined) return lines.length;
  return insertafter !== undefined ? found + 1 : found;
}

/** Ansible's blockinfile edit of ORIGINAL (bytes; undefined: no file yet, to be created). */
export function editBlock(original: string | undefined, args: BlockArgs): BlockEdit {
  const lines = original === undefined ? [] : splitByteLines(original);
  const marker = bytes(args.marker ?? DEFAULT_MARKER);
  const begin = `${marker.replaceAll("{mark}", () => bytes(args.marker_begin ?? "BEGIN"))}\n`;
  const end = `${marker.replaceAll("{mark}", () => bytes(args.marker_end ?? "END"))}\n`;
  const block = bytes(args.block ?? "");
  const blockLines = (args.state ?? "present") === "present" && block !== "" ? [begin, ...splitByteLines(block.endsWith("\n") ? block : `${block}\n`), end] : [];

  const first = lines.lastIndexOf(begin);
  const last = lines.lastIndexOf(end);
  let at: number;
  if (first < 0 || last < 0) at = insertionPoint(original, lines, args);
  else {
    // The old block goes, markers included, even when its markers are the wrong way round.
    at = Math.min(first, last);
    lines.splice(at, Math.abs(last - first) + 1);
  }
  const previous = lines[at - 1];
  if (previous !== undefined && !previous.endsWith("\n")) lines[at - 1] = `${previous}\n`;
  lines.splice(at, 0, ...blockLines);
  const content = lines.join("");
  const msg = original === content ? "" : original === undefined ? "File created" : blockLines.length === 0 ? "Block removed" : "Block inserted";
  return { content, msg };
}
