/**
 * Everything under a directory in one probe (for copying a directory tree: only what differs is sent): each
 * entry's relative path, type, mode, owner, group (names and ids), and the sha256 of regular files. The directory itself is the
 * entry with path "".
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";
import { formatMode } from "../shared/file-mode.js";
import type { FileType } from "./file-stat.js";

export interface DirTreeArgs {
  path: string;
}

export interface TreeEntry {
  type: FileType;
  /** "0644" */
  mode: string;
  owner: string;
  group: string;
  /** Absent in a check-mode prediction made from owner names. */
  uid?: number;
  gid?: number;
  sha256?: string;
  target?: string;
}

/** Entries by path relative to the directory ("" is the directory itself, "app/main.py" a file below it). */
export type DirTree = { exists: false } | { exists: true; entries: Record<string, TreeEntry> };

const TYPES: Record<string, FileType> = { f: "file", d: "directory", l: "link" };
const SUM = /^([0-9a-f]{64}) {2}\.\/(.*)$/s;

function parseDirTree(output: ProbeOutput, args: DirTreeArgs): DirTree {
  const fail = (why: string): never => {
    throw new FactError(`dir_tree ${args.path}: ${why}: ${JSON.stringify(output.stdout.slice(0, 300))}`);
  };
  if (output.code !== 0) fail(`probe exited with ${output.code}`);
  if (output.stdout === "absent\n") return { exists: false };
  const entries: Record<string, TreeEntry> = {};
  const sums = new Map<string, string>();
  // Two kinds of records, in an order find's buffering decides: entries (type letter + tab) and sha256sum -z's
  // checksums (64 hex digits + 2 spaces).
  for (const record of output.stdout.split("\0").filter((r) => r !== "")) {
    const sum = SUM.exec(record);
    if (sum?.[1] !== undefined && sum[2] !== undefined) {
      sums.set(sum[2], sum[1]);
      continue;
    }
    const [type = "", mode = "", owner = "", group = "", uid = "", gid = "", target = "", ...path] = record.split("\t");
    if (path.length === 0) return fail("unexpected record");
    const entry: TreeEntry = { type: TYPES[type] ?? "other", mode: formatMode(parseInt(mode, 8)), owner, group, uid: Number(uid), gid: Number(gid) };
    if (type === "l") entry.target = target;
    entries[path.join("\t")] = entry;
  }
  for (const [path, sha256] of sums) {
    const entry = entries[path];
    if (!entry) return fail(`checksum of an unlisted file ${path}`);
    entry.sha256 = sha256;
  }
  return { exists: true, entries };
}

/** One find lists the tree and hands its files to sha256sum: two processes for any tree. */
export const dirTree = defineFact<DirTree, DirTreeArgs>({
  name: "dir_tree",
  command: ({ path }) =>
    sh`cd -- ${path} 2>/dev/null || { echo absent; exit 0; }; find . -printf '%y\\t%m\\t%u\\t%g\\t%U\\t%G\\t%l\\t%P\\0' -type f -exec sha256sum -z -- {} +`,
  parse: parseDirTree,
});
