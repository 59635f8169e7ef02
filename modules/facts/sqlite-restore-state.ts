/**
 * Whether a database already holds a backup's content: the sha256 of the live file, the size of its WAL (changes
 * not yet in the main file), and the sha256 of the backup's uncompressed content.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface RestoreStateArgs {
  db: string;
  backup: string;
}

export interface RestoreState {
  /** null: the database does not exist. */
  dbSha256: string | null;
  /** Bytes in `<db>-wal`; 0 when there is none. */
  walSize: number;
  /** null: the backup does not exist. */
  backupSha256: string | null;
}

function sha(line: string | undefined, what: string, stdout: string): string | null {
  if (line === "absent") return null;
  const m = /^([0-9a-f]{64}) {2}-$/.exec(line ?? "");
  if (m?.[1] === undefined) throw new FactError(`sqlite_restore_state: no ${what} checksum in ${JSON.stringify(stdout.slice(0, 300))}`);
  return m[1];
}

export function parseRestoreState(output: ProbeOutput): RestoreState {
  const [db, wal, backup] = output.stdout.trimEnd().split("\n");
  if (output.code !== 0 || !/^\d+$/.test(wal ?? "")) throw new FactError(`sqlite_restore_state: unexpected output ${JSON.stringify(output.stdout.slice(0, 300))}`);
  return { dbSha256: sha(db, "database", output.stdout), walSize: Number(wal), backupSha256: sha(backup, "backup", output.stdout) };
}

export const restoreStateFact = defineFact<RestoreState, RestoreStateArgs>({
  name: "sqlite_restore_state",
  command: ({ db, backup }) =>
    sh`d=${db}; b=${backup}; if [ -f "$d" ]; then sha256sum < "$d"; else echo absent; fi; if [ -f "$d-wal" ]; then stat -c %s -- "$d-wal"; else echo 0; fi; if [ ! -f "$b" ]; then echo absent; else case "$b" in *.gz) gzip -dc -- "$b" | sha256sum ;; *) sha256sum < "$b" ;; esac; fi`,
  parse: parseRestoreState,
});
