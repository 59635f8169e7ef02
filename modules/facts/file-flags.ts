/**
 * A path's file attributes (chattr flags) as `lsattr -vd` prints them: "12345 --------------e------- /path" gives
 * the flags "e". A file system without attributes (tmpfs, overlay) makes lsattr fail: the flags are then unknown.
 */
import { sh } from "../../engine/command.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface FileFlagsArgs {
  path: string;
}

export type FileFlags = { known: true; flags: string } | { known: false; error: string };

export function parseFileFlags(output: ProbeOutput): FileFlags {
  const field = output.stdout.trim().split(/\s+/)[1];
  if (output.code !== 0 || field === undefined) return { known: false, error: output.stdout.trim() };
  return { known: true, flags: field.replace(/-/g, "") };
}

export const fileFlagsFact = defineFact<FileFlags, FileFlagsArgs>({
  name: "file_flags",
  command: (args) => sh`lsattr -vd -- ${args.path} 2>&1`,
  parse: parseFileFlags,
});
