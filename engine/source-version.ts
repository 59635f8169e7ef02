/**
 * The git commit of a playbook's or inventory's repository, for audit reports and the host's run record. Asked
 * once per run, without blocking: git runs while the playbook is validated.
 */
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { promisify } from "node:util";
import type { SourceVersion } from "./events.js";

const execFileAsync = promisify(execFile);

async function git(cwd: string, args: readonly string[]): Promise<string | undefined> {
  try {
    return (await execFileAsync("git", ["-C", cwd, ...args], { encoding: "utf8" })).stdout.trim();
  } catch {
    return undefined; // not a repository, or no git: the report says so by leaving the commit out
  }
}

export async function sourceVersion(path: string): Promise<SourceVersion> {
  const absolute = resolve(path);
  let dir = absolute;
  try {
    if (!statSync(absolute).isDirectory()) dir = dirname(absolute);
  } catch {
    dir = dirname(absolute);
  }
  const [commit, status] = await Promise.all([git(dir, ["rev-parse", "HEAD"]), git(dir, ["status", "--porcelain", "--", absolute])]);
  if (commit === undefined) return { path };
  return { path, commit, dirty: status !== undefined && status !== "" };
}
