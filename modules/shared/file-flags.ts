/**
 * Ansible's `attributes` (alias `attr`) of file: chattr flags. "+A" adds, "-A" removes, anything else ("A", "")
 * is the whole set, run as `chattr OP FLAGS`. Ansible runs "+A" whenever the flags are not exactly "A" and "-A"
 * every time; here each is a change only when a flag it adds is missing or one it removes is there, so a second run
 * reports no change. Unknown flags (lsattr failed) are a change: chattr then fails with the file system's own
 * error, as Ansible's does.
 */
import { sh, type Command } from "../../engine/command.js";
import type { FileFlags } from "../facts/file-flags.js";

/** The chattr command that gives `path` the wanted flags, or undefined when they are already so. */
export function flagsCommand(path: string, wanted: string, current: FileFlags): Command | undefined {
  const op = wanted.startsWith("+") || wanted.startsWith("-") ? wanted[0] : "=";
  const flags = op === "=" ? wanted : wanted.slice(1);
  if (current.known) {
    // Flags are ASCII letters, one each.
    const letters = (text: string): string[] => Array.from(text);
    const has = (flag: string): boolean => current.flags.includes(flag);
    if (op === "-" && !letters(flags).some(has)) return undefined;
    if (op === "+" && letters(flags).every(has)) return undefined;
    if (op === "=" && letters(current.flags).sort().join("") === letters(flags).sort().join("")) return undefined;
  }
  return sh`chattr ${`${op}${flags}`} -- ${path}`;
}
