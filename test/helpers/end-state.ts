/**
 * A lab host's end state, read over SSH in one round trip, as a differential test compares two hosts after the
 * same content ran on each (test/e2e/compat/galaxy-roles.test.ts): the files under some trees, the packages, the
 * enabled and the active units, the listening sockets, the users and groups. Each is a sorted list of text
 * lines, so a difference reads as the lines only one host has. What legitimately differs between two hosts is left out by the caller, who says
 * why (`Excluded`).
 */
import { AssertionError } from "node:assert/strict";
import { quote } from "../../engine/command.js";
import type { Lab } from "./lab.js";

/** A path left out of the comparison (a `find -path` pattern: `*` matches across `/`), and why. */
export interface Excluded {
  path: string;
  why: string;
}

export interface EndState {
  /** `TYPE MODE OWNER GROUP PATH` plus ` -> TARGET` for a symlink and ` sha256:HASH` for a regular file. */
  files: string[];
  /** `PACKAGE:ARCH VERSION STATUS` (dpkg's abbreviated status: `ii` installed, `rc` config files left). */
  packages: string[];
  /** Unit files enabled (`systemctl list-unit-files --state=enabled`). */
  enabled: string[];
  /** Active services, sockets, timers, paths and targets, with their sub-state (`nginx.service running`). */
  active: string[];
  /** Listening TCP and UDP sockets: `tcp 0.0.0.0:80`. */
  listening: string[];
  /** getent passwd lines. */
  users: string[];
  /** getent group lines. */
  groups: string[];
}

const SECTIONS = ["files", "hashes", "packages", "enabled", "active", "listening", "users", "groups"] as const;
const MARK = "@@ end-state section ";

/** The one script that prints every section, each after a mark line; file lists NUL-separated (any name is safe). */
function script(trees: readonly string[], excluded: readonly Excluded[]): string {
  const prune = excluded.length === 0 ? "" : `\\( ${excluded.map((e) => `-path ${quote(e.path)}`).join(" -o ")} \\) -prune -o`;
  const find = `find ${trees.map(quote).join(" ")} ${prune}`;
  const commands: Record<(typeof SECTIONS)[number], string> = {
    files: `${find} -printf '%y %m %u %g %p\\t%l\\0' 2>/dev/null`,
    hashes: `${find} -type f -print0 2>/dev/null | xargs -0r sha256sum -z`,
    packages: `dpkg-query -W -f '\${binary:Package} \${Version} \${db:Status-Abbrev}\\n'`,
    enabled: "systemctl list-unit-files --state=enabled --no-legend --plain",
    active: "systemctl list-units --state=active --no-legend --plain --type=service,socket,timer,path,target",
    listening: "ss -Hltun | awk '{print $1, $5}'",
    users: "getent passwd",
    groups: "getent group",
  };
  return SECTIONS.map((s) => `printf '\\n${MARK}${s}\\n'; ${commands[s]}`).join("; ");
}

const lines = (text: string, separator: string): string[] => text.split(separator).map((l) => l.trimEnd()).filter((l) => l !== "").sort();

/** Reads HOST's end state: files under TREES except EXCLUDED, packages, units, users and groups. */
export async function endState(lab: Lab, host: string, trees: readonly string[], excluded: readonly Excluded[]): Promise<EndState> {
  const result = await lab.ssh(host, script(trees, excluded));
  if (result.code !== 0) throw new Error(`${host}: reading the end state exited ${result.code}: ${result.stderr}`);
  const sections = new Map<string, string>();
  for (const part of result.stdout.split(`\n${MARK}`).slice(1)) {
    const newline = part.indexOf("\n");
    sections.set(part.slice(0, newline), part.slice(newline + 1));
  }
  const section = (name: (typeof SECTIONS)[number]): string => sections.get(name) ?? "";
  const hashes = new Map(lines(section("hashes"), "\0").map((line) => [line.slice(66), line.slice(0, 64)]));
  const files = lines(section("files"), "\0").map((entry) => {
    const [head = "", target = ""] = entry.split("\t");
    const path = head.split(" ").slice(4).join(" ");
    if (head.startsWith("l ")) return `${head} -> ${target}`;
    const hash = hashes.get(path);
    return hash === undefined ? head : `${head} sha256:${hash}`;
  });
  return {
    files,
    packages: lines(section("packages"), "\n"),
    enabled: lines(section("enabled"), "\n").map((l) => l.split(/\s+/)[0] ?? ""),
    active: lines(section("active"), "\n").map((l) => l.split(/\s+/).filter((_, i) => i === 0 || i === 3).join(" ")),
    listening: lines(section("listening"), "\n"),
    users: lines(section("users"), "\n"),
    groups: lines(section("groups"), "\n"),
  };
}

/** STATE without UNITS among its active units (units whose state is not the content's doing). */
export function withoutUnits(state: EndState, units: ReadonlySet<string>): EndState {
  return { ...state, active: state.active.filter((line) => !units.has(line.split(" ")[0] ?? "")) };
}

/** Every line's count in A minus its count in B, as the lines of A that B lacks (in A's order). */
function missingFrom(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of b) counts.set(line, (counts.get(line) ?? 0) + 1);
  return a.filter((line) => {
    const n = counts.get(line) ?? 0;
    if (n > 0) counts.set(line, n - 1);
    return n === 0;
  });
}

/** The differences between two end states, per part, as lines (empty when they are the same). */
export function endStateDiff(a: EndState, aLabel: string, b: EndState, bLabel: string): string[] {
  return (Object.keys(a) as (keyof EndState)[]).flatMap((part) => {
    const onlyA = missingFrom(a[part], b[part]);
    const onlyB = missingFrom(b[part], a[part]);
    if (onlyA.length === 0 && onlyB.length === 0) return [];
    return [`${part}:`, ...onlyA.map((l) => `  only on ${aLabel}: ${l}`), ...onlyB.map((l) => `  only on ${bLabel}: ${l}`)];
  });
}

/** Asserts that A and B are the same end state; on a difference it fails with the lines only one of them has. */
export function assertSameEndState(a: EndState, aLabel: string, b: EndState, bLabel: string, message: string): void {
  const diff = endStateDiff(a, aLabel, b, bLabel);
  if (diff.length > 0) throw new AssertionError({ message: `${message}:\n${diff.join("\n")}` });
}
