/**
 * Stat of one path in one probe: type, mode, owner, group, size, the sha256 of a regular file and the target of
 * a symlink, and the inode (for hard links). `follow` stats what a symlink points to (stat -L), as Ansible's `follow`.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";
import { formatMode } from "../shared/file-mode.js";

export interface FileStatArgs {
  path: string;
  follow: boolean;
}

export type FileType = "file" | "directory" | "link" | "other";

export interface PresentFile {
  exists: true;
  type: FileType;
  /** Four octal digits: "0644". */
  mode: string;
  owner: string;
  group: string;
  /** Numeric ids; absent in a check-mode prediction made from owner names. */
  uid?: number;
  gid?: number;
  size: number;
  /** Tells hard links apart; absent in a check-mode prediction. */
  inode?: number;
  /** Regular files only. */
  sha256?: string;
  /** Symlinks only (when not followed). */
  target?: string;
}

export type FileStat = { exists: false } | PresentFile;

const TYPES: Record<string, FileType> = {
  "regular file": "file",
  "regular empty file": "file",
  directory: "directory",
  "symbolic link": "link",
};

function parseFileStat(output: ProbeOutput, args: FileStatArgs): FileStat {
  const fail = (why: string): never => {
    throw new FactError(`file_stat ${args.path}: ${why}: ${JSON.stringify(output.stdout.slice(0, 300))}`);
  };
  if (output.code !== 0) fail(`probe exited with ${output.code}`);
  if (output.stdout === "absent\n") return { exists: false };
  const [statLine = "", ...rest] = output.stdout.split("\n");
  const fields = statLine.split("|");
  if (fields.length !== 8) fail("unexpected stat output");
  const [typeText = "", mode = "", owner = "", group = "", uid = "", gid = "", size = "", inode = ""] = fields;
  const type = TYPES[typeText] ?? "other";
  const stat: PresentFile = {
    exists: true,
    type,
    mode: formatMode(parseInt(mode, 8)),
    owner,
    group,
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    inode: Number(inode),
  };
  if (type === "file") {
    const sum = /^([0-9a-f]{64}) {2}-$/.exec(rest[0] ?? "");
    if (!sum?.[1]) return fail("missing sha256");
    stat.sha256 = sum[1];
  }
  // A link target is the rest of the output minus readlink's final newline (targets may contain newlines).
  if (type === "link") stat.target = rest.join("\n").replace(/\n$/, "");
  return stat;
}

export const fileStat = defineFact<FileStat, FileStatArgs>({
  name: "file_stat",
  command: ({ path, follow }) =>
    follow
      ? sh`p=${path}; if [ -e "$p" ]; then stat -L -c '%F|%a|%U|%G|%u|%g|%s|%i' -- "$p" && if [ -f "$p" ]; then sha256sum < "$p"; fi; else echo absent; fi`
      : sh`p=${path}; if [ -e "$p" ] || [ -L "$p" ]; then stat -c '%F|%a|%U|%G|%u|%g|%s|%i' -- "$p" && if [ -L "$p" ]; then readlink -- "$p"; elif [ -f "$p" ]; then sha256sum < "$p"; fi; else echo absent; fi`,
  parse: parseFileStat,
});
