/**
 * Stat of one path in one probe: type, mode, owner, group, size, the sha256 of a regular file and the target of
 * a symlink, and the inode (for hard links). `follow` stats what a symlink points to (stat -L), as Ansible's `follow`.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ManyProbe, type ProbeOutput } from "../../engine/facts.js";
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

const FORMAT = "%F|%a|%U|%G|%u|%g|%s|%i";

/**
 * Many paths with three processes in all: a line with one letter per path (a: absent, f: regular file, l: link
 * not followed, e: anything else), then NUL-terminated records: one `stat` per present path, one sha256 per
 * regular file, one link target per link, each kind in path order.
 */
const manyStats: ManyProbe<FileStatArgs> = {
  group: ({ follow }) => (follow ? "follow" : "no-follow"),
  command: (list) => {
    const paths = list.map((a) => a.path);
    return list[0]?.follow
      ? sh`for p in ${paths}; do if [ -f "$p" ]; then printf f; elif [ -e "$p" ]; then printf e; else printf a; fi; done; echo
set --; for p in ${paths}; do if [ -e "$p" ]; then set -- "$@" "$p"; fi; done; [ $# -eq 0 ] || stat -L --printf ${FORMAT + "\\0"} -- "$@"
set --; for p in ${paths}; do if [ -f "$p" ]; then set -- "$@" "$p"; fi; done; [ $# -eq 0 ] || sha256sum -z -- "$@"`
      : sh`for p in ${paths}; do if [ -L "$p" ]; then printf l; elif [ -f "$p" ]; then printf f; elif [ -e "$p" ]; then printf e; else printf a; fi; done; echo
set --; for p in ${paths}; do if [ -e "$p" ] || [ -L "$p" ]; then set -- "$@" "$p"; fi; done; [ $# -eq 0 ] || stat --printf ${FORMAT + "\\0"} -- "$@"
set --; for p in ${paths}; do if [ -f "$p" ] && [ ! -L "$p" ]; then set -- "$@" "$p"; fi; done; [ $# -eq 0 ] || sha256sum -z -- "$@"
set --; for p in ${paths}; do if [ -L "$p" ]; then set -- "$@" "$p"; fi; done; [ $# -eq 0 ] || readlink -z -- "$@"`;
  },
  split: (output, list) => {
    const fail = (why: string): never => {
      throw new FactError(`file_stat of ${list.length} paths: ${why}`);
    };
    const newline = output.stdout.indexOf("\n");
    const letters = output.stdout.slice(0, newline);
    if (newline < 0 || !new RegExp(`^[aefl]{${list.length}}$`).test(letters)) fail("unexpected path letters");
    const records = output.stdout.slice(newline + 1).split("\0");
    if (records.pop() !== "") fail("unterminated record");
    const count = (letter: string): number => letters.split(letter).length - 1;
    const present = list.length - count("a");
    if (records.length !== present + count("f") + count("l")) fail("records missing or left over (did a path change meanwhile?)");
    const stats = records.slice(0, present);
    const sums = records.slice(present, present + count("f"));
    const targets = records.slice(present + count("f"));
    // Each stat's type must agree with its path's letter, so a path changed between the two looks is caught.
    const expected: Record<string, RegExp> = { f: /^regular (empty )?file\|/, l: /^symbolic link\|/, e: /^(?!regular (empty )?file\||symbolic link\|)/ };
    return Array.from(letters, (letter) => {
      if (letter === "a") return { stdout: "absent\n", code: 0 };
      const stat = stats.shift() ?? "";
      if (!expected[letter]?.test(stat)) fail(`stat ${JSON.stringify(stat)} is not of kind ${letter}`);
      const extra = letter === "f" ? `${(sums.shift() ?? "").slice(0, 64)}  -\n` : letter === "l" ? `${targets.shift() ?? ""}\n` : "";
      return { stdout: `${stat}\n${extra}`, code: 0 };
    });
  },
};

export const fileStat = defineFact<FileStat, FileStatArgs>({
  name: "file_stat",
  command: ({ path, follow }) =>
    follow
      ? sh`p=${path}; if [ -e "$p" ]; then stat -L -c ${FORMAT} -- "$p" && if [ -f "$p" ]; then sha256sum < "$p"; fi; else echo absent; fi`
      : sh`p=${path}; if [ -e "$p" ] || [ -L "$p" ]; then stat -c ${FORMAT} -- "$p" && if [ -L "$p" ]; then readlink -- "$p"; elif [ -f "$p" ]; then sha256sum < "$p"; fi; else echo absent; fi`,
  parse: parseFileStat,
  many: manyStats,
});
