/**
 * Everything Ansible's stat module returns about one path, read by one probe: `stat` for the inode, the shell's
 * own `test` for what the connecting user may do with it (os.access), and, as asked, a checksum, `file`'s MIME
 * type and `lsattr`'s attributes. The parser builds Ansible's `stat` result itself, field for field, so the
 * module only hands it on.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export type ChecksumAlgorithm = "md5" | "sha1" | "sha224" | "sha256" | "sha384" | "sha512";

export interface PathStatArgs {
  path: string;
  /** stat what a symlink points to (os.stat) instead of the link (os.lstat). */
  follow: boolean;
  /** The checksum of a readable regular file, or none. */
  checksum: ChecksumAlgorithm | null;
  /** Ansible's undocumented get_md5: an `md5` field besides the checksum. */
  md5: boolean;
  mime: boolean;
  attributes: boolean;
}

/** Ansible's stat result: `{exists: false}`, or the fields of its format_output and the extras it adds. */
export type PathStat = { exists: false } | ({ exists: true } & Record<string, unknown>);

const FORMAT = "%f|%u|%g|%s|%i|%d|%h|%.9X|%.9Y|%.9Z|%b|%o|%t|%T|%U|%G";

/** lsattr's flag letters and the names Ansible gives them (module_utils/common/file.py FILE_ATTRIBUTES). */
const FILE_ATTRIBUTES: Readonly<Record<string, string>> = {
  A: "noatime", a: "append", c: "compressed", C: "nocow", d: "nodump", D: "dirsync", e: "extents", E: "encrypted",
  h: "blocksize", i: "immutable", I: "indexed", j: "journalled", N: "inline", s: "zero", S: "synchronous",
  t: "notail", T: "blockroot", u: "undelete", X: "compressedraw", Z: "compresseddirty",
};

const S_IFMT = 0o170000;
const TYPES = { isdir: 0o040000, ischr: 0o020000, isblk: 0o060000, isreg: 0o100000, isfifo: 0o010000, islnk: 0o120000, issock: 0o140000 } as const;
const PERMISSIONS = { wusr: 0o200, rusr: 0o400, xusr: 0o100, wgrp: 0o020, rgrp: 0o040, xgrp: 0o010, woth: 0o002, roth: 0o004, xoth: 0o001, isuid: 0o4000, isgid: 0o2000 } as const;

/** Linux's makedev: st_rdev from the major and minor numbers `stat` prints in hex. */
function makedev(major: number, minor: number): number {
  return (minor & 0xff) + (major & 0xfff) * 0x100 + Math.floor(minor / 0x100) * 0x100000 + Math.floor(major / 0x1000) * 0x100000000;
}

function parsePathStat(output: ProbeOutput, args: PathStatArgs): PathStat {
  const fail = (why: string): never => {
    throw new FactError(`path_stat ${args.path}: ${why}: ${JSON.stringify(output.stdout.slice(0, 300))}`);
  };
  if (output.code !== 0) fail(`probe exited with ${output.code}`);
  if (output.stdout === "absent\n") return { exists: false };
  const [statLine = "", ...rest] = output.stdout.split("\n");
  const fields = statLine.split("|");
  if (fields.length !== 16) fail("unexpected stat output");
  const [rawMode = "", uid, gid, size, inode, dev, nlink, atime, mtime, ctime, blocks, blockSize, major = "0", minor = "0", user, group] = fields;
  const mode = parseInt(rawMode, 16);
  const stat: Record<string, unknown> = { exists: true, path: args.path, mode: (mode & 0o7777).toString(8).padStart(4, "0") };
  for (const [name, type] of Object.entries(TYPES)) stat[name] = (mode & S_IFMT) === type;
  Object.assign(stat, { uid: Number(uid), gid: Number(gid), size: Number(size), inode: Number(inode), dev: Number(dev), nlink: Number(nlink), atime: Number(atime), mtime: Number(mtime), ctime: Number(ctime) });
  for (const [name, bit] of Object.entries(PERMISSIONS)) stat[name] = (mode & bit) !== 0;
  Object.assign(stat, { blocks: Number(blocks), block_size: Number(blockSize), device_type: makedev(parseInt(major, 16), parseInt(minor, 16)) });

  const lines = new Map<string, string>();
  let target: string | undefined;
  rest.forEach((line, index) => {
    const space = line.indexOf(" ");
    const key = space < 0 ? line : line.slice(0, space);
    // A link target is the rest of the output minus readlink's final newline (targets may contain newlines).
    if (key === "target") target = rest.slice(index).join("\n").slice("target ".length).replace(/\n$/, "");
    else if (target === undefined && key !== "") lines.set(key, space < 0 ? "" : line.slice(space + 1));
  });
  const access = lines.get("access") ?? fail("no access line");
  Object.assign(stat, { readable: access.includes("r"), writeable: access.includes("w"), executable: access.includes("x") });
  if (stat.islnk === true) {
    stat.lnk_source = lines.get("realpath") ?? fail("no realpath of the link");
    stat.lnk_target = target ?? fail("no target of the link");
  }
  // stat prints UNKNOWN for an id without a name; Ansible then leaves the name out.
  if (user !== "UNKNOWN") stat.pw_name = user;
  if (group !== "UNKNOWN") stat.gr_name = group;
  const md5 = lines.get("md5");
  if (md5 !== undefined) stat.md5 = md5.slice(0, 32);
  const checksum = lines.get("checksum");
  if (checksum !== undefined) stat.checksum = checksum.split(" ")[0];
  if (args.mime) {
    // `file -b --mime-type --mime-encoding`: "text/plain; charset=us-ascii"; Ansible says unknown without it.
    const match = /^([^;]*);\s*charset=(.*)$/.exec(lines.get("mime") ?? "");
    stat.mimetype = match?.[1]?.trim() ?? "unknown";
    stat.charset = match?.[2]?.trim() ?? "unknown";
  }
  if (args.attributes) {
    // `lsattr -vd`: "VERSION FLAGS PATH"; Ansible keeps its defaults when lsattr fails (a symlink, a filesystem without attributes).
    const [version, flags] = (lines.get("attr") ?? "").split(/\s+/);
    const attrFlags = flags === undefined ? "" : flags.replaceAll("-", "");
    Object.assign(stat, {
      version: flags === undefined ? null : version,
      attributes: attrFlags.split("").flatMap((flag) => FILE_ATTRIBUTES[flag] ?? []),
      attr_flags: attrFlags,
    });
  }
  return stat as PathStat;
}

export const pathStat = defineFact<PathStat, PathStatArgs>({
  name: "path_stat",
  command: ({ path, follow, checksum, md5, mime, attributes }) => {
    const exists = follow ? sh`[ -e "$p" ]` : sh`{ [ -e "$p" ] || [ -L "$p" ]; }`;
    const regular = follow ? sh`[ -f "$p" ] && [ -r "$p" ]` : sh`[ -f "$p" ] && [ ! -L "$p" ] && [ -r "$p" ]`;
    const extras = [
      sh`r=; w=; x=; [ -r "$p" ] && r=r; [ -w "$p" ] && w=w; [ -x "$p" ] && x=x; echo "access $r$w$x"`,
      ...(md5 ? [sh`if ${regular}; then echo "md5 $(md5sum < "$p")"; fi`] : []),
      ...(checksum === null ? [] : [sh`if ${regular}; then echo "checksum $(${`${checksum}sum`} < "$p")"; fi`]),
      ...(mime ? [sh`if command -v file >/dev/null && o=$(file -b --mime-type --mime-encoding -- "$p" 2>/dev/null); then echo "mime $o"; fi`] : []),
      ...(attributes ? [sh`if o=$(lsattr -vd -- "$p" 2>/dev/null); then echo "attr $o"; fi`] : []),
      // The target last: it may hold newlines.
      ...(follow ? [] : [sh`if [ -L "$p" ]; then echo "realpath $(realpath -m -- "$p")"; printf 'target '; readlink -- "$p"; fi`]),
    ].reduce((all, step) => sh`${all}; ${step}`);
    const stat = follow ? sh`stat -L -c ${FORMAT} -- "$p"` : sh`stat -c ${FORMAT} -- "$p"`;
    return sh`p=${path}; if ${exists}; then ${stat} && { ${extras}; }; else echo absent; fi`;
  },
  parse: parsePathStat,
});
