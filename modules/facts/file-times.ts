/**
 * A path's modification and access times as `stat` prints them: seconds since the epoch, and the host's own local
 * time ("2022-02-08 14:14:00.000000000 +0000"), which is how a timestamp given to file's modification_time is read
 * (Ansible's module turns it into a time on the host, in the host's zone). For file's *_time arguments.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface FileTimesArgs {
  path: string;
  /** Read what a symlink points to (stat -L), as the file module does unless follow is false. */
  follow: boolean;
}

export interface FileTime {
  /** Whole seconds since the epoch. */
  epoch: number;
  /** The host's local time to the second, as `touch -t` takes it: YYYYMMDDhhmm.ss. */
  local: string;
  /** Whether the time has a fraction of a second (a time set to a whole second has none). */
  fraction: boolean;
}

export type FileTimes = { exists: false } | { exists: true; mtime: FileTime; atime: FileTime };

/** "2022-02-08 14:14:00.000000000 +0000" → the local stamp and whether a fraction follows the seconds. */
function localTime(text: string, epoch: number, args: FileTimesArgs): FileTime {
  const match = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? [+-]\d{4}$/.exec(text);
  if (!match) throw new FactError(`file_times ${args.path}: unexpected time ${JSON.stringify(text)}`);
  const [, year, month, day, hour, minute, second, fraction = ""] = match;
  return { epoch, local: `${year}${month}${day}${hour}${minute}.${second}`, fraction: /[1-9]/.test(fraction) };
}

function parseFileTimes(output: ProbeOutput, args: FileTimesArgs): FileTimes {
  if (output.code !== 0) return { exists: false };
  const [epochs = "", mtime = "", atime = ""] = output.stdout.trim().split("|");
  const [m, a] = epochs.split(" ").map(Number);
  if (m === undefined || a === undefined || !Number.isInteger(m) || !Number.isInteger(a)) {
    throw new FactError(`file_times ${args.path}: unexpected output ${JSON.stringify(output.stdout.slice(0, 200))}`);
  }
  return { exists: true, mtime: localTime(mtime, m, args), atime: localTime(atime, a, args) };
}

export const fileTimesFact = defineFact<FileTimes, FileTimesArgs>({
  name: "file_times",
  command: ({ path, follow }) => (follow ? sh`stat -L -c '%Y %X|%y|%x' -- ${path}` : sh`stat -c '%Y %X|%y|%x' -- ${path}`),
  parse: parseFileTimes,
});
