/**
 * What command and shell share (ansible's command action): the creates/removes guards, check mode without a
 * guard ("unknown"), running with chdir and stdin, and the registered result (rc, stdout, stderr, *_lines, cmd).
 */
import { posix } from "node:path";
import type { Command } from "../../engine/command.js";
import type { ApplyResult, ChangePlan, ModuleContext, Plan } from "../../engine/module-api.js";
import { fileStat } from "../facts/file-stat.js";

export interface RunRequest {
  command: Command;
  chdir?: string | undefined;
  /** Skip when this path exists (relative to chdir). */
  creates?: string | undefined;
  /** Skip unless this path exists (relative to chdir). */
  removes?: string | undefined;
  stdin?: string | undefined;
  stdinAddNewline: boolean;
}

/** Schemas of the arguments command and shell share. */
export const runSchemas = {
  chdir: { type: "string", minLength: 1, description: "Directory to run the command in" },
  creates: { type: "string", minLength: 1, description: "A path; when it exists the command is not run (and check mode can tell)" },
  removes: { type: "string", minLength: 1, description: "A path; when it does not exist the command is not run (and check mode can tell)" },
  stdin: { type: "string", description: "Text fed to the command's standard input" },
  stdin_add_newline: { type: "boolean", default: true, description: "Add a newline after stdin" },
} as const;

interface RunData {
  stdin?: string;
  cwd?: string;
}

async function exists(ctx: ModuleContext, path: string, chdir: string | undefined): Promise<boolean> {
  const absolute = chdir === undefined ? path : posix.resolve(chdir, path);
  return (await ctx.fact(fileStat, { path: absolute, follow: true })).exists;
}

export async function planRun(ctx: ModuleContext, req: RunRequest): Promise<Plan> {
  if (req.creates !== undefined && (await exists(ctx, req.creates, req.chdir))) {
    return { changed: false, reason: `${req.creates} exists, so the command is not run` };
  }
  if (req.removes !== undefined && !(await exists(ctx, req.removes, req.chdir))) {
    return { changed: false, reason: `${req.removes} does not exist, so the command is not run` };
  }
  if (ctx.checkMode && req.creates === undefined && req.removes === undefined) {
    return { changed: "unknown", reason: "command has no creates/removes guard; its outcome cannot be known in check mode" };
  }
  const data: RunData = {};
  if (req.stdin !== undefined) data.stdin = req.stdinAddNewline ? `${req.stdin}\n` : req.stdin;
  if (req.chdir !== undefined) data.cwd = req.chdir;
  return { changed: true, summary: `run ${req.command.display}`, commands: [req.command], data };
}

function lines(text: string): string[] {
  return text === "" ? [] : text.split("\n");
}

/** Runs the planned command; a non-zero exit throws CommandFailedError (exit code and stderr tail) from ctx.run. */
export async function applyRun(ctx: ModuleContext, plan: ChangePlan): Promise<ApplyResult> {
  const data = plan.data as RunData;
  const output: Record<string, unknown> = {};
  for (const command of plan.commands) {
    const result = await ctx.run(command, data);
    // Like Ansible, trailing newlines are not part of the output.
    const stdout = result.stdout.replace(/\n+$/, "");
    const stderr = result.stderr.replace(/\n+$/, "");
    Object.assign(output, { cmd: command.display, rc: result.code, stdout, stderr, stdout_lines: lines(stdout), stderr_lines: lines(stderr) });
  }
  return { changed: true, output };
}
