/**
 * The git commit of a playbook's or inventory's repository, for audit reports and the host's run record. Asked
 * once per run, without blocking: git runs while the run checks its hosts' inputs.
 */
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { promisify } from "node:util";
import type { SourceVersion } from "./events.js";

const execFileAsync = promisify(execFile);

/** One git process per source (each costs the controller a fork of itself): the commit and the file's state at once. */
async function gitStatus(cwd: string, path: string): Promise<string | undefined> {
  try {
    return (await execFileAsync("git", ["-C", cwd, "status", "--porcelain=v2", "--branch", "--", path], { encoding: "utf8" })).stdout;
  } catch {
    return undefined; // not a repository, or no git: the report says so by leaving the commit out
  }
}

/** `git status --porcelain=v2 --branch` → the commit (none before the first) and whether the path differs from it. */
export function parseGitStatus(path: string, output: string | undefined): SourceVersion {
  const lines = (output ?? "").split("\n").filter((line) => line !== "");
  const commit = lines.find((line) => line.startsWith("# branch.oid "))?.slice("# branch.oid ".length);
  if (commit === undefined || !/^[0-9a-f]{40,64}$/.test(commit)) return { path };
  return { path, commit, dirty: lines.some((line) => !line.startsWith("#")) };
}

export async function sourceVersion(path: string): Promise<SourceVersion> {
  const absolute = resolve(path);
  let dir = absolute;
  try {
    if (!statSync(absolute).isDirectory()) dir = dirname(absolute);
  } catch {
    dir = dirname(absolute);
  }
  return parseGitStatus(path, await gitStatus(dir, absolute));
}
