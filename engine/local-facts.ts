/**
 * Facts the host keeps for itself in /etc/ansible/facts.d (ansible_local): each `NAME.fact` is JSON or INI, and an
 * executable one is run and its output read the same way, as Ansible reads them. The gather-facts probe prints
 * each after a marker line; this parses that (pure).
 */
import type { Vars } from "./types.js";

/** The marker before each fact file's content in the probe's output: `@@rems-fact NAME PATH`. */
export const FACT_MARKER = "@@rems-fact";

/** ansible_local from the probe's facts.d part. */
export function parseLocalFacts(output: string): Vars {
  const local: Vars = {};
  let current: { name: string; path: string; lines: string[] } | undefined;
  const close = (): void => {
    if (current) local[current.name] = readFact(current.lines.join("\n"), current.path);
  };
  for (const line of output.split("\n")) {
    const marker = new RegExp(`^${FACT_MARKER} (\\S+) (.*)$`).exec(line);
    if (marker) {
      close();
      current = { name: marker[1] ?? "", path: marker[2] ?? "", lines: [] };
    } else {
      current?.lines.push(line);
    }
  }
  close();
  return local;
}

/** A fact file's content as JSON, else INI; else Ansible's message naming the file. */
function readFact(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return readIni(text) ?? `error loading facts as JSON or ini - please check content: ${path}`;
  }
}

/**
 * INI as Python's configparser reads it for Ansible: sections of `key = value` (or `key: value`) lines, keys in
 * lower case, values as text; comments (# ;) and blank lines skipped. Undefined when the text is not INI.
 */
function readIni(text: string): Vars | undefined {
  const sections: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const header = /^\[([^\]]+)\]$/.exec(trimmed);
    if (header?.[1] !== undefined) {
      section = sections[header[1]] ??= {};
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (!section || !pair?.[1]) return undefined;
    section[pair[1].toLowerCase()] = pair[2] ?? "";
  }
  return Object.keys(sections).length > 0 ? sections : undefined;
}
