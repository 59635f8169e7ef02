/** The git commit of a playbook's or inventory's repository, for audit reports and the host's run record. */
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { SourceVersion } from "./events.js";

function git(cwd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync("git", ["-C", cwd, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined; // not a repository, or no git: the report says so by leaving the commit out
  }
}

export function sourceVersion(path: string): SourceVersion {
  const absolute = resolve(path);
  let dir = absolute;
  try {
    if (!statSync(absolute).isDirectory()) dir = dirname(absolute);
  } catch {
    dir = dirname(absolute);
  }
  const commit = git(dir, ["rev-parse", "HEAD"]);
  if (commit === undefined) return { path };
  const status = git(dir, ["status", "--porcelain", "--", absolute]);
  return { path, commit, dirty: status !== undefined && status !== "" };
}
