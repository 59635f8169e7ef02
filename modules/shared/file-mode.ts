/**
 * Ansible's forms of a file mode: an octal string ("0644", "644", "0o644"), a number that is already the
 * permission bits (420, what YAML 1.1 makes of 0644), or chmod's symbolic clauses ("u=rw,g=r,o=r", "u+x,g-w",
 * "a+rX", "u=rwX"). A symbolic mode depends on the current mode and the file type, so a parsed mode is a function.
 */
import { ModuleError } from "../../engine/errors.js";

export type ModeArg = string | number;

export interface FileMode {
  /** The mode as written, for messages. */
  readonly text: string;
  /** The resulting permission bits (07777) for a file that has `current` bits now. */
  resolve(current: number, isDirectory: boolean): number;
}

/** Schema of a `mode` argument. */
export const modeSchema = {
  description:
    "Permissions: an octal string ('0644'), a number that is already the mode (YAML 1.1 octal 0644), or symbolic " +
    "chmod clauses ('u=rw,g=r,o=r', 'u+x', 'a+rX'; X sets execute only on directories and already executable files)",
  anyOf: [{ type: "string", minLength: 1 }, { type: "integer", minimum: 0, maximum: 0o7777 }],
} as const;

const ALL = 0o7777;
const EXEC = 0o111;
// Leading zeros are Python's int(mode, 8) too: "02775" and "00644" are modes.
const OCTAL = /^(?:0o)?0*([0-7]{1,4})$/;
const CLAUSE = /^([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)$/;
const ACTION = /([-+=])([ugo]|[rwxXst]*)/g;

type Who = "u" | "g" | "o";

/** Bits each permission letter stands for, per class (ansible's user_perms_to_modes). */
const LETTER_BITS: Record<Who, Record<string, number>> = {
  u: { r: 0o400, w: 0o200, x: 0o100, s: 0o4000, t: 0 },
  g: { r: 0o040, w: 0o020, x: 0o010, s: 0o2000, t: 0 },
  o: { r: 0o004, w: 0o002, x: 0o001, s: 0, t: 0o1000 },
};
const SHIFT: Record<Who, number> = { u: 6, g: 3, o: 0 };
/** What `=` clears for a class: its rwx bits and its special bit. */
const CLASS_MASK: Record<Who, number> = { u: 0o4700, g: 0o2070, o: 0o1007 };
/** Without a class, chmod applies the umask to what it adds; hosts use the Debian default. */
const UMASK = 0o022;

/** "0644" */
export function formatMode(bits: number): string {
  return bits.toString(8).padStart(4, "0");
}

function fixed(text: string, bits: number): FileMode {
  return { text, resolve: () => bits };
}

function permBits(who: Who, perms: string, current: number, isDirectory: boolean): number {
  // Copying another class's bits ("g=u").
  if (perms === "u" || perms === "g" || perms === "o") return (((current >> SHIFT[perms]) & 7) << SHIFT[who]);
  let bits = 0;
  for (const letter of perms) {
    if (letter === "X") {
      if (isDirectory || (current & EXEC) !== 0) bits |= LETTER_BITS[who].x ?? 0;
    } else {
      bits |= LETTER_BITS[who][letter] ?? 0;
    }
  }
  return bits;
}

interface Clause {
  classes: Who[];
  /** No class given ("+x"): the umask limits what is added. */
  useUmask: boolean;
  actions: { op: string; perms: string }[];
}

function parseClause(text: string): Clause | undefined {
  const match = CLAUSE.exec(text);
  if (!match) return undefined;
  const whoText = match[1] ?? "";
  return {
    classes: whoText === "" || whoText.includes("a") ? ["u", "g", "o"] : ([...new Set(whoText)] as Who[]),
    useUmask: whoText === "",
    actions: [...(match[2] ?? "").matchAll(ACTION)].map(([, op = "", perms = ""]) => ({ op, perms })),
  };
}

function applyClause(clause: Clause, current: number, isDirectory: boolean): number {
  let mode = current;
  for (const { op, perms } of clause.actions) {
    for (const who of clause.classes) {
      let bits = permBits(who, perms, mode, isDirectory);
      if (clause.useUmask) bits &= ~UMASK;
      if (op === "+") mode |= bits;
      else if (op === "-") mode &= ~bits;
      else mode = (mode & ~CLASS_MASK[who]) | bits;
    }
  }
  return mode;
}

/** Parses a mode argument; throws ModuleError naming the accepted forms. */
export function parseMode(arg: ModeArg): FileMode {
  if (typeof arg === "number") {
    if (!Number.isInteger(arg) || arg < 0 || arg > ALL) throw new ModuleError(`mode ${arg} is not a permission value (0 to 0o7777)`);
    return fixed(formatMode(arg), arg);
  }
  const octal = OCTAL.exec(arg);
  if (octal?.[1] !== undefined) return fixed(arg, parseInt(octal[1], 8));
  const clauses: Clause[] = [];
  for (const text of arg.split(",")) {
    const clause = parseClause(text);
    if (!clause) throw new ModuleError(`mode '${arg}' is not an octal mode ('0644') or symbolic mode ('u=rw,g=r,o=r'): bad clause '${text}'`);
    clauses.push(clause);
  }
  return {
    text: arg,
    resolve: (current, isDirectory) => clauses.reduce((mode, clause) => applyClause(clause, mode, isDirectory), current & ALL),
  };
}
