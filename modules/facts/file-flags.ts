/**
 * A path's file attributes (chattr flags) as `lsattr -d` prints them: "--------------e------- /path" gives the flags
 * "e". Without -v, as Ansible's file module reads them: tmpfs keeps flags but has no version, and `lsattr -vd`
 * fails there. A file system without attributes (overlay, a FIFO) makes lsattr fail: the flags are then unknown.
 */
import { sh } from "../../engine/command.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface FileFlagsArgs {
  path: string;
}

export type FileFlags = { known: true; flags: string } | { known: false; error: string };

export function parseFileFlags(output: ProbeOutput): FileFlags {
  const field = output.stdout.trim().split(/\s+/)[0];
  if (output.code !== 0 || field === undefined) return { known: false, error: output.stdout.trim() };
  return { known: true, flags: field.replace(/-/g, "") };
}

export const fileFlagsFact = defineFact<FileFlags, FileFlagsArgs>({
  name: "file_flags",
  command: (args) => sh`lsattr -d -- ${args.path} 2>&1`,
  parse: parseFileFlags,
});
