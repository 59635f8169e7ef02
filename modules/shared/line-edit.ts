/**
 * Ansible's lineinfile on a file's lines, pure: the same search for the regexp, the search string or the exact
 * line, the same insertafter/insertbefore rules (BOF, EOF, a regexp; the last match unless firstmatch), the same
 * backrefs expansion, and the same quirks, because roles are written against them. Lines are byte strings, as in
 * Ansible (Python's bytes): each char is one byte (latin1), and each line keeps its line ending.
 */
import { expandReplacement, pyRegex } from "../../engine/template/regex.js";

export interface LinePresent {
  /** The line (as bytes) that should be in the file; with backrefs, the template the regexp's match expands. */
  line: string;
  regexp?: string | undefined;
  searchString?: string | undefined;
  insertafter?: string | undefined;
  insertbefore?: string | undefined;
  backrefs: boolean;
  firstmatch: boolean;
}

export interface LineAbsent {
  line?: string | undefined;
  regexp?: string | undefined;
  searchString?: string | undefined;
}

export interface LineEdit {
  lines: string[];
  changed: boolean;
  /** Ansible's msg: "line added", "line replaced", "2 line(s) removed", or "". */
  msg: string;
  /** Lines removed (state absent). */
  found: number;
}

/** lineinfile's arguments as a task gives them, as text. */
export interface LineArgs {
  state?: "present" | "absent" | undefined;
  line?: string | undefined;
  regexp?: string | undefined;
  search_string?: string | undefined;
  insertafter?: string | undefined;
  insertbefore?: string | undefined;
  backrefs?: boolean | undefined;
  firstmatch?: boolean | undefined;
}

/** Text as Ansible compares it: its UTF-8 bytes, one char each. */
function bytes(text: string): string;
function bytes(text: string | undefined): string | undefined;
function bytes(text: string | undefined): string | undefined {
  return text === undefined ? undefined : Buffer.from(text, "utf8").toString("latin1");
}

/** Ansible's edit of a file's lines (byte strings) for a task's arguments. */
export function editLines(lines: readonly string[], args: LineArgs): LineEdit {
  if (args.state === "absent") return lineAbsent(lines, { line: bytes(args.line), regexp: bytes(args.regexp), searchString: bytes(args.search_string) });
  return linePresent(lines, {
    line: bytes(args.line ?? ""),
    regexp: bytes(args.regexp),
    searchString: bytes(args.search_string),
    insertafter: bytes(args.insertafter),
    insertbefore: bytes(args.insertbefore),
    backrefs: args.backrefs ?? false,
    firstmatch: args.firstmatch ?? false,
  });
}

/** Python's readlines() of bytes: each line up to and including its "\n"; the last may have none. */
export function splitLines(content: string): string[] {
  return content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Python's rstrip(b'\r\n'). */
function stripEnding(line: string): string {
  return line.replace(/[\r\n]+$/, "");
}

/**
 * A Python regexp searched in a line: the line without its final "\n", where Python's `$` also matches (JavaScript's
 * `$` only matches at the very end).
 */
function searcher(pattern: string): (line: string) => RegExpExecArray | null {
  const regex = pyRegex(pattern, {});
  return (line) => regex.exec(line.endsWith("\n") ? line.slice(0, -1) : line);
}

const ADDED = "line added";

export function linePresent(original: readonly string[], want: LinePresent): LineEdit {
  const lines = [...original];
  const insertafter = want.insertafter === undefined && want.insertbefore === undefined ? "EOF" : want.insertafter;
  const { insertbefore, line } = want;
  const regexp = want.regexp === undefined ? undefined : searcher(want.regexp);
  const insertAt = insertafter !== undefined && insertafter !== "BOF" && insertafter !== "EOF" ? searcher(insertafter) : insertbefore !== undefined && insertbefore !== "BOF" ? searcher(insertbefore) : undefined;

  // index: where regexp, search_string or the line itself was found; at: where insertafter/insertbefore points.
  let index = -1;
  let at = -1;
  let match: RegExpExecArray | boolean | null = null;
  if (regexp) {
    for (const [i, current] of lines.entries()) {
      const found = regexp(current);
      if (!found) continue;
      index = i;
      match = found;
      if (want.firstmatch) break;
    }
  }
  if (want.searchString !== undefined) {
    for (const [i, current] of lines.entries()) {
      if (!current.includes(want.searchString)) continue;
      index = i;
      match = true;
      if (want.firstmatch) break;
    }
  }
  if (!match) {
    for (const [i, current] of lines.entries()) {
      if (line === stripEnding(current)) index = i;
      else if (insertAt?.(current)) {
        at = insertafter !== undefined ? i + 1 : i;
        if (want.firstmatch) break;
      }
    }
  }

  const result = (changed: boolean, msg: string): LineEdit => ({ lines, changed, msg, found: 0 });
  if (index !== -1) {
    let replacement = want.backrefs && typeof match === "object" && match !== null ? expandReplacement(line, match) : line;
    if (!replacement.endsWith("\n")) replacement += "\n";
    if (lines[index] === replacement) return result(false, "");
    lines[index] = replacement;
    return result(true, "line replaced");
  }
  // Without a match the backrefs cannot be filled in: Ansible adds nothing.
  if (want.backrefs) return result(false, "");
  if (insertbefore === "BOF" || insertafter === "BOF") {
    lines.unshift(`${line}\n`);
    return result(true, ADDED);
  }
  if (insertafter === "EOF" || at === -1) {
    const last = lines.at(-1);
    if (last !== undefined && !last.endsWith("\n") && !last.endsWith("\r")) lines.push("\n");
    lines.push(`${line}\n`);
    return result(true, ADDED);
  }
  if (insertafter !== undefined) {
    // With firstmatch the search stopped at the insertafter match, maybe before the line itself: not added again
    // right after it (Ansible compares without line endings).
    if (stripEnding(lines[at === lines.length ? at - 1 : at] ?? "") === line) return result(false, "");
  }
  lines.splice(at, 0, `${line}\n`);
  return result(true, ADDED);
}

export function lineAbsent(original: readonly string[], want: LineAbsent): LineEdit {
  const regexp = want.regexp === undefined ? undefined : pyRegex(want.regexp, {});
  const matches = (current: string): boolean => {
    if (regexp) return regexp.test(current.endsWith("\n") ? current.slice(0, -1) : current);
    if (want.searchString !== undefined) return current.includes(want.searchString);
    return want.line === stripEnding(current);
  };
  const lines = original.filter((current) => !matches(current));
  const found = original.length - lines.length;
  return { lines, changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : "", found };
}
