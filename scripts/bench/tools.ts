/**
 * The two timed tools: rems-play (this repository's built CLI) and ansible-playbook (Debian's ansible package),
 * run on the same playbook and the same lab inventory, each under `/usr/bin/time` for its peak RSS.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binPath } from "../../engine/package-root.js";
import { runChecked } from "../../lab/exec.js";
import { ansibleRecap, peakRssKb, remsRecap, runProblem } from "./recap.js";
import type { RecapTotals } from "./recap.js";

export type Tool = "rems-play" | "ansible-playbook";
export type RunKind = "audit" | "rerun" | "converge";

export interface Target {
  repoRoot: string;
  inventoryPath: string;
  knownHostsPath: string;
  /** A host pattern for --limit, or undefined for every host of the inventory. */
  limit: string | undefined;
  hosts: number;
  /** rems-play's --forks; ansible-playbook always gets --forks 10 (the reference setup). */
  remsForks?: number;
}

export interface TimedRun {
  tool: Tool;
  kind: RunKind;
  wallMs: number;
  exitCode: number;
  recap: RecapTotals | undefined;
  peakRssKb: number | undefined;
  output: string;
}

const TIME = "/usr/bin/time";
const PLAYBOOK = "playbooks/site.yml";
/**
 * Both tools run the same content: the roles' exclusive sets off, because their arguments (`exclusive`, `keep`,
 * ufw's `rules`) are rems-play's and ansible-playbook refuses them. The roles then do what Ansible can.
 */
const SAME_CONTENT = ["-e", JSON.stringify({ firewall_exclusive: false, nginx_sites_exclusive: false, app_exclusive: false, backup_cron_exclusive: false })];

/** Installs what the benchmark runs when it is missing: `time` for peak RSS and Debian's ansible. */
export async function ensureTools(log: (line: string) => void): Promise<void> {
  const missing = [
    ...(existsSync(TIME) ? [] : ["time"]),
    ...(existsSync("/usr/bin/ansible-playbook") ? [] : ["ansible"]),
  ];
  if (missing.length === 0) return;
  log(`installing ${missing.join(", ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await runChecked("apt-get", ["update"], { env });
  await runChecked("apt-get", ["install", "-y", "--no-install-recommends", ...missing], { env });
}

function modeArgs(kind: RunKind): string[] {
  return kind === "audit" ? ["--check", "--diff"] : [];
}

function limitArgs(target: Target): string[] {
  return target.limit === undefined ? [] : ["--limit", target.limit];
}

function remsCommand(target: Target, kind: RunKind, extra: readonly string[]): { args: string[]; env: NodeJS.ProcessEnv } {
  const forks = target.remsForks === undefined ? [] : ["--forks", String(target.remsForks)];
  return {
    // The bin itself, as a user runs it: its first line gives node the flags it runs with (engine/cli.ts).
    args: [binPath, PLAYBOOK, "-i", target.inventoryPath, "--json", ...SAME_CONTENT, ...modeArgs(kind), ...limitArgs(target), ...forks, ...extra],
    env: process.env,
  };
}

/** Ansible as the issue measured it: pipelining, ControlPersist, 10 forks; host keys checked against the lab's file. */
function ansibleCommand(target: Target, kind: RunKind): { args: string[]; env: NodeJS.ProcessEnv } {
  return {
    args: ["ansible-playbook", PLAYBOOK, "-i", target.inventoryPath, "--forks", "10", ...SAME_CONTENT, ...modeArgs(kind), ...limitArgs(target)],
    env: {
      ...process.env,
      ANSIBLE_ROLES_PATH: join(target.repoRoot, "roles"),
      ANSIBLE_PIPELINING: "True",
      ANSIBLE_SSH_ARGS: `-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${target.knownHostsPath} -o StrictHostKeyChecking=yes`,
      ANSIBLE_PYTHON_INTERPRETER: "auto_silent",
      ANSIBLE_RETRY_FILES_ENABLED: "False",
      ANSIBLE_NOCOLOR: "True",
    },
  };
}

/** Runs ARGS under /usr/bin/time in the repository, and measures its wall time from spawn to exit. */
function timed(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ wallMs: number; exitCode: number; stdout: string; stderr: string; peakRssKb: number | undefined }> {
  const dir = mkdtempSync(join(tmpdir(), "rems-bench-"));
  const timeFile = join(dir, "time");
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(TIME, ["-f", "%M", "-o", timeFile, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => {
      rmSync(dir, { recursive: true, force: true });
      reject(error);
    });
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - started;
      const rss = existsSync(timeFile) ? peakRssKb(readFileSync(timeFile, "utf8")) : undefined;
      rmSync(dir, { recursive: true, force: true });
      resolve({ wallMs, exitCode: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), peakRssKb: rss });
    });
  });
}

/** One timed run of TOOL; EXTRA arguments go to rems-play only (e.g. -vvv for a profile). */
export async function runTool(tool: Tool, kind: RunKind, target: Target, extra: readonly string[] = []): Promise<TimedRun> {
  const command = tool === "rems-play" ? remsCommand(target, kind, extra) : ansibleCommand(target, kind);
  const { stdout, stderr, ...result } = await timed(command.args, command.env, target.repoRoot);
  // rems-play's stdout is the --json event stream; both tools print their recap on stdout.
  const recap = tool === "rems-play" ? remsRecap(stdout) : ansibleRecap(stdout);
  return { tool, kind, ...result, recap, output: stdout + stderr };
}

/**
 * A run that may be timed: rems-play must exit 0 with no failed or unreachable host, and report changed=0 on an
 * audit or re-run of the converged site; ansible-playbook must exit 0 with no failed or unreachable host (its
 * changed count is only reported: some of its modules report changes rems-play's do not).
 */
export function checkRun(run: TimedRun, hosts: number): void {
  const idempotent = run.tool === "rems-play" && run.kind !== "converge";
  const problem = runProblem(run.exitCode, run.recap, hosts, idempotent);
  if (problem === undefined) return;
  const tail = run.output.trim().split("\n").slice(-25).join("\n");
  throw new Error(`${run.tool} ${run.kind} on ${hosts} host(s) ${problem}; the end of its output:\n${tail}`);
}
