/**
 * Runs machine-side programs for the lab with an argument vector (no shell in between), collecting their output.
 */
import { spawn } from "node:child_process";
import { LabError } from "./lab-error.js";

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs FILE ARGS and resolves with its exit code and output; never rejects for a non-zero exit. */
export function run(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: options.env ?? process.env,
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs, killSignal: "SIGKILL" as const }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => reject(new LabError(`cannot run ${file}: ${error.message}`, {}, { cause: error })));
    child.on("close", (code, signal) => {
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

/** Runs FILE ARGS and returns its stdout; a non-zero exit is a LabError carrying the command and its stderr. */
export async function runChecked(file: string, args: readonly string[], options: ExecOptions = {}): Promise<string> {
  const result = await run(file, args, options);
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split("\n").slice(-5).join("\n");
    throw new LabError(`${file} ${args.join(" ")} failed with exit code ${result.code}${detail ? `:\n${detail}` : ""}`);
  }
  return result.stdout;
}
