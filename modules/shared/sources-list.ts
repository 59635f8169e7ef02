/**
 * Ansible 2.14's apt_repository model of one-line APT sources (its SourcesList): each line parsed into whether it
 * is a source, enabled, the source with its whitespace collapsed, and a trailing `#` comment; files written back
 * in that normal form. Adding enables every matching source (commented out or not) or appends the line to a file
 * named after the repository; removing deletes every enabled matching line. A file left with no line is removed.
 */
import { posix } from "node:path";
import { ModuleError } from "../../engine/errors.js";
import { SOURCES_PARTS, type AptSources } from "../facts/apt-sources.js";

const SOURCE_TYPES = new Set(["deb", "deb-src"]);

export interface SourceLine {
  valid: boolean;
  enabled: boolean;
  source: string;
  comment: string;
}

/** path → its lines, in reading order. */
export type SourcesList = Map<string, SourceLine[]>;

/** One line as Ansible's _parse reads it. */
export function parseLine(text: string): SourceLine {
  let line = text.trim();
  let enabled = true;
  if (line.startsWith("#")) {
    enabled = false;
    line = line.slice(1);
  }
  let comment = "";
  const hash = line.indexOf("#");
  if (hash > 0) {
    comment = line.slice(hash + 1).trim();
    line = line.slice(0, hash);
  }
  let source = line.trim();
  let valid = false;
  const chunks = source.split(/\s+/);
  if (source !== "" && SOURCE_TYPES.has(chunks[0] ?? "")) {
    valid = true;
    source = chunks.join(" ");
  }
  return { valid, enabled, source, comment };
}

/** The repository argument as a source, or the InvalidSource error Ansible fails with. */
export function parseRepo(repo: string): string {
  const parsed = parseLine(repo);
  if (!parsed.valid || !parsed.enabled) {
    const line = repo.trim().replace(/^#/, "");
    const hash = line.indexOf("#");
    throw new ModuleError(`Invalid repository string: ${hash > 0 ? line.slice(0, hash) : line}`);
  }
  return parsed.source;
}

export function loadSources(files: AptSources): SourcesList {
  // Python's iteration of a file yields its lines with their newlines; a last line without one is still a line.
  return new Map(files.map((file) => [file.path, file.content.split(/(?<=\n)/).filter((line) => line !== "").map(parseLine)]));
}

/** A file's text in Ansible's normal form (its dump), or undefined when it has no line left. */
export function dumpFile(lines: readonly SourceLine[]): string | undefined {
  if (lines.length === 0) return undefined;
  return lines.map((l) => `${l.enabled ? "" : "# "}${l.source}${l.comment === "" ? "" : ` # ${l.comment}`}\n`).join("");
}

/** The file Ansible names after the repository's host and path (`deb.debian.org/debian` → deb_debian_org_debian.list). */
export function suggestFilename(source: string, filename: string | undefined): string {
  const name =
    filename ??
    (() => {
      const line = source.replace(/\[[^\]]+\]/g, "").replace(/\w+:\/\//g, "");
      const first = line.split(/\s+/).filter((part) => part !== "" && !SOURCE_TYPES.has(part))[0] ?? "";
      const host = first.includes("@") ? first.slice(first.indexOf("@") + 1) : first;
      return host.replace(/[^a-zA-Z0-9]/g, " ").split(/\s+/).filter((part) => part !== "").join("_");
    })();
  const file = `${name}.list`;
  return file.includes("/") ? file : posix.join(SOURCES_PARTS, file);
}

/** The list after adding SOURCE (enabling it where it is, else appending it to FILE); the files a line was appended to. */
export function addSource(list: SourcesList, source: string, file: string): { list: SourcesList; appended: string | undefined } {
  const matches = (line: SourceLine): boolean => line.valid && line.source === source;
  const after: SourcesList = new Map([...list].map(([path, lines]) => [path, lines.map((line) => (matches(line) ? { ...line, enabled: true } : line))]));
  if ([...list.values()].some((lines) => lines.some(matches))) return { list: after, appended: undefined };
  after.set(file, [...(after.get(file) ?? []), { valid: true, enabled: true, source, comment: "" }]);
  return { list: after, appended: file };
}

/** The list without the enabled lines of SOURCE. */
export function removeSource(list: SourcesList, source: string): SourcesList {
  return new Map([...list].map(([path, lines]) => [path, lines.filter((line) => !(line.valid && line.enabled && line.source === source))]));
}

