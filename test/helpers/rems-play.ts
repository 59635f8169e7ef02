/**
 * Runs the real CLI (dist/bin/rems-play.js) as a child process with --json and collects its events: e2e tests
 * exercise exactly what a user runs.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HostStats, RunEvent, TaskResultEvent } from "../../engine/events.js";
import { binPath, packageRoot } from "../../engine/package-root.js";

/** The repository root, and the bin every test runs (as a user runs it). */
export { binPath as remsPlayBin, packageRoot as repoRoot };

export interface RemsPlayRun {
  exitCode: number;
  events: RunEvent[];
  results: TaskResultEvent[];
  recap: Readonly<Record<string, HostStats>>;
  stdout: string;
  stderr: string;
}

export interface RunRemsPlayOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each event as it arrives, and a way to signal the run (to interrupt it at a given point). */
  onEvent?: (event: RunEvent, signal: (name: NodeJS.Signals) => void) => void;
}

/** Runs `rems-play ARGS --json`. Never throws for a non-zero exit: tests assert on exitCode. */
export function runRemsPlay(args: readonly string[], options: RunRemsPlayOptions = {}): Promise<RemsPlayRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [binPath, ...args, "--json"], {
      cwd: options.cwd ?? packageRoot,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let pending = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out.push(chunk);
      if (!options.onEvent) return;
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.startsWith("{")) options.onEvent(JSON.parse(line) as RunEvent, (name) => child.kill(name));
    });
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString("utf8");
      const events = stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as RunEvent);
      const results = events.filter((e): e is TaskResultEvent => e.type === "task_result");
      const recapEvent = events.findLast((e) => e.type === "recap");
      resolvePromise({
        exitCode: code ?? -1,
        events,
        results,
        recap: recapEvent?.type === "recap" ? recapEvent.hosts : {},
        stdout,
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

export interface CliResult {
  /** null when the CLI did not end within the timeout (it is then killed). */
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user does (no --json; `input` on its standard input), waiting at most `timeoutMs` for it to end. */
export function runCli(args: readonly string[], options: { cwd?: string; timeoutMs?: number; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [binPath, ...args], { cwd: options.cwd ?? packageRoot, encoding: "utf8", timeout: options.timeoutMs ?? 30_000, killSignal: "SIGKILL", input: options.input ?? "" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes a playbook (YAML text) into a fresh temporary directory and returns its path. */
export function writePlaybook(yamlText: string, fileName = "playbook.yml"): string {
  const dir = mkdtempSync(join(tmpdir(), "rems-play-test-"));
  const path = join(dir, fileName);
  writeFileSync(path, yamlText);
  return path;
}

/** The round trips the run made to each of its hosts (their host_profile events), in the order reported. */
export function roundTrips(run: RemsPlayRun): number[] {
  return run.events.flatMap((e) => (e.type === "host_profile" ? [e.execs] : []));
}

/** Sum of a stat over all hosts of a recap (e.g. total changed). */
export function total(recap: Readonly<Record<string, HostStats>>, stat: keyof HostStats): number {
  return Object.values(recap).reduce((sum, s) => sum + s[stat], 0);
}
