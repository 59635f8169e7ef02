/**
 * The backups of one database in a directory (`<name>-YYYYmmddTHHMMSSZ.db[.gz]`, oldest first) and the host's
 * clock, for sqlite_backup's max_age and retention. A missing directory has no backups.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface BackupDirArgs {
  dir: string;
  /** The database's base name ("rems" for rems.db). */
  prefix: string;
}

export interface BackupFile {
  name: string;
  path: string;
  /** Epoch seconds of the timestamp in the name (UTC). */
  time: number;
  size: number;
}

export interface BackupDir {
  /** The host's clock, epoch seconds. */
  now: number;
  backups: BackupFile[];
}

const FIND_FORMAT = "%s %f\\n";
const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Epoch seconds of a "20261127T085531Z" stamp. */
export function stampTime(stamp: string): number | undefined {
  const m = STAMP.exec(stamp);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s) / 1000;
}

export function parseBackupDir(output: ProbeOutput, args: BackupDirArgs): BackupDir {
  const [first = "", ...lines] = output.stdout.trimEnd().split("\n");
  const now = Number(first);
  if (output.code !== 0 || first === "" || !Number.isInteger(now)) {
    throw new FactError(`backup_dir ${args.dir}: unexpected output ${JSON.stringify(output.stdout.slice(0, 300))}`);
  }
  const backups: BackupFile[] = [];
  for (const line of lines) {
    const space = line.indexOf(" ");
    const name = line.slice(space + 1);
    if (!name.startsWith(args.prefix + "-")) continue;
    const m = /^(\d{8}T\d{6}Z)\.db(\.gz)?$/.exec(name.slice(args.prefix.length + 1));
    const time = m?.[1] === undefined ? undefined : stampTime(m[1]);
    if (time === undefined) continue;
    backups.push({ name, path: `${args.dir.replace(/\/$/, "")}/${name}`, time, size: Number(line.slice(0, space)) });
  }
  backups.sort((a, b) => a.time - b.time || a.name.localeCompare(b.name));
  return { now, backups };
}

export const backupDirFact = defineFact<BackupDir, BackupDirArgs>({
  name: "backup_dir",
  command: ({ dir, prefix }) =>
    sh`date +%s; if [ -d ${dir} ]; then find ${dir} -maxdepth 1 -type f -name ${prefix + "-*"} -printf ${FIND_FORMAT}; fi`,
  parse: parseBackupDir,
});
