/**
 * What `getent DATABASE [KEY]` says on the host: its exit code (0 found, 1 unknown database or bad arguments,
 * 2 key not found, 3 enumeration not supported) and its output lines. The getent module reads the entries out of
 * the lines, as Ansible's getent does; the probe itself only asks, so it travels in the play's batched probe.
 */
import { sh } from "../../engine/command.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface GetentArgs {
  database: string;
  key?: string;
  /** getent's `-s`: the NSS service (files, systemd, ...) to ask instead of nsswitch.conf's. */
  service?: string;
}

export interface Getent {
  /** getent's exit code. */
  code: number;
  /** The output cut into lines as Python's str.splitlines() does. */
  lines: string[];
}

/** Python's str.splitlines() boundaries: \r\n, and each of these characters alone. */
// eslint-disable-next-line no-control-regex -- Python ends lines at these control characters too
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/u;

/** `text` cut into lines as Python's str.splitlines(): no empty last line for a final line break. */
export function splitLines(text: string): string[] {
  const lines = text.split(LINE_BREAK);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function parseGetent(output: ProbeOutput): Getent {
  return { code: output.code, lines: splitLines(output.stdout) };
}

export const getentFact = defineFact<Getent, GetentArgs>({
  name: "getent",
  // `--` ends getent's options, so a key that starts with "-" is looked up rather than read as an option.
  command: ({ database, key, service }) =>
    sh`getent ${[...(service === undefined ? [] : ["-s", service]), "--", database, ...(key === undefined ? [] : [key])]}`,
  parse: parseGetent,
});
