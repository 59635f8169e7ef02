/**
 * `npm run bench`: rems-play against ansible-playbook on the REMS site, side by side on the same lab hosts.
 *
 *   npm run bench [-- --rounds N] [--converge-rounds N] [--scale]
 *
 * Boots 8 lab hosts (lab "bench"), converges them with rems-play, installs python3-cryptography for
 * ansible-playbook (its x509_certificate_info imports it on the host), runs ansible-playbook once on them untimed
 * (its apt module needs python3-apt, which its first normal run installs), then times both tools alternately (the
 * order flips every round) on the audit (--check --diff) and the idempotent re-run, for 1 host (--limit lab1) and
 * for 8.
 * A fresh converge of 1 host is timed on a freshly booted host per tool and round (lab "bench-fresh"). --scale then
 * boots 32 hosts and times rems-play alone on them, with its peak RSS. Every rems-play run must exit 0, and the
 * audits and re-runs must report changed=0, so a broken run cannot look fast. Progress goes to stderr, the
 * Markdown results to stdout. The labs always go down at the end.
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { packageRoot } from "../engine/package-root.js";
import { runChecked } from "../lab/exec.js";
import { labDown, labUp } from "../lab/lab.js";
import { ssh } from "../lab/ssh.js";
import type { UpResult } from "../lab/lab.js";
import { describeMachine, formatMegabytes, formatRatio, formatSeconds, median, pairsTable, ratio, scaleTable } from "./bench/stats.js";
import type { PairResult, ScaleRow } from "./bench/stats.js";
import { formatProfile, remsProfile } from "./bench/recap.js";
import { checkRun, ensureTools, runTool } from "./bench/tools.js";
import type { RunKind, Target, TimedRun, Tool } from "./bench/tools.js";

const LAB = "bench";
const FRESH_LAB = "bench-fresh";
const HOSTS = 8;
const SCALE_HOSTS = 32;
/** How many of the slowest task results the profile lists. */
const PROFILE_TOP = 8;

interface BenchOptions {
  rounds: number;
  convergeRounds: number;
  scale: boolean;
}

function parseOptions(argv: readonly string[]): BenchOptions {
  // Five rounds: on a 2-core machine shared with the lab hosts, single runs vary by ±10%.
  const options: BenchOptions = { rounds: 5, convergeRounds: 1, scale: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const count = (): number => {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0) throw new Error(`${arg ?? ""} needs a whole number, not ${argv[i] ?? "nothing"}`);
      return value;
    };
    if (arg === "--rounds") options.rounds = Math.max(1, count());
    else if (arg === "--converge-rounds") options.convergeRounds = count();
    else if (arg === "--scale") options.scale = true;
    else throw new Error(`unknown option ${arg ?? ""}; use --rounds N, --converge-rounds N (0: none), --scale`);
  }
  return options;
}

const log = (line: string): void => {
  process.stderr.write(`bench: ${line}\n`);
};

function target(up: UpResult, hosts: number, remsForks?: number): Target {
  return {
    repoRoot: packageRoot,
    inventoryPath: up.inventoryPath,
    knownHostsPath: up.knownHostsPath,
    limit: hosts === up.hosts.length ? undefined : up.hosts.slice(0, hosts).map((h) => h.name).join(":"),
    hosts,
    ...(remsForks === undefined ? {} : { remsForks }),
  };
}

/** Runs, checks and logs one timed run. */
async function measured(tool: Tool, kind: RunKind, on: Target): Promise<TimedRun> {
  const run = await runTool(tool, kind, on);
  checkRun(run, on.hosts);
  const changed = run.recap === undefined ? "" : ` changed=${run.recap.changed}`;
  const rss = run.peakRssKb === undefined ? "" : ` peak RSS ${formatMegabytes(run.peakRssKb)}`;
  log(`${tool} ${kind} ${on.hosts} host(s): ${formatSeconds(run.wallMs)}${changed}${rss}`);
  return run;
}

const RUN_LABELS: Record<RunKind, string> = {
  audit: "audit (`--check --diff`)",
  rerun: "idempotent re-run",
  converge: "fresh converge",
};

/** One compared case while it is measured; the last rems-play output is kept for the profile. */
type Pair = PairResult & { kind: RunKind; lastRemsOutput?: string };

/**
 * A pause before each timed run, so what the previous run left going on the machine (sshd sessions closing,
 * journald writing the hosts' log lines, ansible's ControlPersist masters settling) is not timed into the next.
 */
const SETTLE_MS = 1500;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** Both tools on one case, alternately: rems-play first in even rounds, ansible-playbook first in odd ones. */
async function pairRound(pair: Pair, on: Target, round: number): Promise<void> {
  const order: Tool[] = round % 2 === 0 ? ["rems-play", "ansible-playbook"] : ["ansible-playbook", "rems-play"];
  for (const tool of order) {
    await settle();
    const run = await measured(tool, pair.kind, on);
    (tool === "rems-play" ? (pair.remsMs as number[]) : (pair.ansibleMs as number[])).push(run.wallMs);
    if (tool === "rems-play") pair.lastRemsOutput = run.output;
  }
}

function newPair(kind: RunKind, hosts: number): Pair {
  return { kind, run: RUN_LABELS[kind], hosts, remsMs: [], ansibleMs: [] };
}

interface Results {
  /** /proc/loadavg's 1-minute figure at the start and the end: other work on the machine skews every number. */
  load: string[];
  pairs: Pair[];
  /** rems-play's converge of the 8 freshly booted hosts (one sample). */
  converge8Ms?: number;
  scale?: { byKind: Map<RunKind, number>; peakRssKb: number };
}

async function comparePairs(options: BenchOptions, results: Results): Promise<void> {
  const up = await labUp(LAB, HOSTS, { log: (line) => log(`lab: ${line}`) });
  log(`converging ${HOSTS} hosts with rems-play`);
  results.converge8Ms = (await measured("rems-play", "converge", target(up, HOSTS))).wallMs;
  // Untimed: the site as ansible-playbook leaves it. Its apt module refuses check mode until python3-apt is on the
  // host, which only its normal run installs; the rounds' rems-play re-runs then also show the two tools agree.
  await prepareForAnsible(up);
  log(`running ansible-playbook once on the converged hosts (untimed)`);
  await measured("ansible-playbook", "rerun", target(up, HOSTS));
  const cases = [newPair("audit", 1), newPair("rerun", 1), newPair("audit", HOSTS), newPair("rerun", HOSTS)];
  results.pairs.push(...cases);
  for (let round = 0; round < options.rounds; round++) {
    log(`round ${round + 1} of ${options.rounds}`);
    for (const pair of cases) await pairRound(pair, target(up, pair.hosts), round);
  }
  await labDown(LAB);
}

/** Converge is one-shot: each tool and round gets a freshly booted host. */
async function compareConverge(options: BenchOptions, results: Results): Promise<void> {
  if (options.convergeRounds === 0) return;
  const pair = newPair("converge", 1);
  results.pairs.push(pair);
  for (let round = 0; round < options.convergeRounds; round++) {
    const order: Tool[] = round % 2 === 0 ? ["rems-play", "ansible-playbook"] : ["ansible-playbook", "rems-play"];
    for (const tool of order) {
      const up = await labUp(FRESH_LAB, 1, { log: (line) => log(`lab: ${line}`) });
      if (tool === "ansible-playbook") await prepareForAnsible(up);
      const run = await measured(tool, "converge", target(up, 1));
      (tool === "rems-play" ? (pair.remsMs as number[]) : (pair.ansibleMs as number[])).push(run.wallMs);
    }
  }
  await labDown(FRESH_LAB);
}

/**
 * Untimed: what ansible-playbook needs on a host and rems-play does not. The tls role's expiry check is
 * community.crypto's x509_certificate_info there, which imports python3-cryptography on the host (rems-play parses
 * the certificate on the controller).
 */
async function prepareForAnsible(up: UpResult): Promise<void> {
  log(`installing python3-cryptography for ansible-playbook on ${up.hosts.length} host(s) (untimed)`);
  const install = "apt-get install -y -q python3-cryptography >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q python3-cryptography >/dev/null; }";
  await Promise.all(
    up.hosts.map(async (host) => {
      const result = await ssh({ address: host.address, keyPath: up.keyPath, knownHostsPath: up.knownHostsPath }, install);
      if (result.code !== 0) throw new Error(`${host.name}: installing python3-cryptography failed: ${result.stderr.trim()}`);
    }),
  );
}

/** rems-play alone on 32 hosts, every host at once (--forks 32): converge, then audits and re-runs. */
async function scale(options: BenchOptions, results: Results): Promise<void> {
  const up = await labUp(LAB, SCALE_HOSTS, { log: (line) => log(`lab: ${line}`) });
  const on = target(up, SCALE_HOSTS, SCALE_HOSTS);
  const runs: TimedRun[] = [await measured("rems-play", "converge", on)];
  const samples = new Map<RunKind, number[]>([["converge", [runs[0]?.wallMs ?? 0]], ["audit", []], ["rerun", []]]);
  for (let round = 0; round < options.rounds; round++) {
    for (const kind of ["audit", "rerun"] as const) {
      const run = await measured("rems-play", kind, on);
      runs.push(run);
      samples.get(kind)?.push(run.wallMs);
    }
  }
  const peaks = runs.map((run) => run.peakRssKb);
  if (peaks.some((kb) => kb === undefined)) throw new Error("/usr/bin/time reported no peak RSS for a 32-host run");
  results.scale = {
    byKind: new Map([...samples].map(([kind, ms]) => [kind, median(ms)])),
    peakRssKb: Math.max(...peaks.map((kb) => kb ?? 0)),
  };
  await labDown(LAB);
}

function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ")[0] ?? "?";
}

function medianOf(results: Results, kind: RunKind, hosts: number): number | undefined {
  const pair = results.pairs.find((p) => p.kind === kind && p.hosts === hosts);
  return pair === undefined || pair.remsMs.length === 0 ? undefined : median(pair.remsMs);
}

async function report(options: BenchOptions, results: Results): Promise<string> {
  const machine = describeMachine(readFileSync("/proc/cpuinfo", "utf8"), readFileSync("/proc/meminfo", "utf8"), cpus().length);
  const ansibleVersion = (await runChecked("ansible-playbook", ["--version"])).split("\n")[0] ?? "";
  const node = process.version;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine}; Debian 12 lab hosts (systemd-nspawn) on the same machine; load average ${results.load.join(" at the start, ")} at the end.`,
    `rems-play on Node ${node}; ${ansibleVersion.trim()} with pipelining, ControlPersist=60s, --forks 10. Medians of ${options.rounds} round(s) (converge: ${options.convergeRounds}), the two tools alternating on the same hosts.`,
    "",
    pairsTable(results.pairs),
    "",
  ];
  const audit1 = medianOf(results, "audit", 1);
  const audit8 = medianOf(results, "audit", HOSTS);
  const rerun1 = medianOf(results, "rerun", 1);
  const rerun8 = medianOf(results, "rerun", HOSTS);
  if (audit1 !== undefined && audit8 !== undefined && rerun1 !== undefined && rerun8 !== undefined) {
    lines.push(
      `Scale: rems-play on ${HOSTS} hosts takes ${formatRatio(ratio(audit8, audit1))} the wall time of 1 host for the audit, ${formatRatio(ratio(rerun8, rerun1))} for the re-run.`,
      "",
    );
  }
  if (results.scale !== undefined) {
    const converge1 = medianOf(results, "converge", 1);
    const byHosts = (kind: RunKind, one: number | undefined, eight: number | undefined): ScaleRow => {
      const map = new Map<number, number>();
      if (one !== undefined) map.set(1, one);
      if (eight !== undefined) map.set(HOSTS, eight);
      const many = results.scale?.byKind.get(kind);
      if (many !== undefined) map.set(SCALE_HOSTS, many);
      return { run: RUN_LABELS[kind], byHosts: map };
    };
    lines.push(
      `How rems-play's wall time grows with hosts (medians; the factor is over 1 host; ${SCALE_HOSTS} hosts with --forks ${SCALE_HOSTS}; converge at 8 and ${SCALE_HOSTS} hosts is one run):`,
      "",
      scaleTable(
        [byHosts("audit", audit1, audit8), byHosts("rerun", rerun1, rerun8), byHosts("converge", converge1, results.converge8Ms)],
        [1, HOSTS, SCALE_HOSTS],
      ),
      "",
      `Controller peak RSS (rems-play process, /usr/bin/time %M) over the ${SCALE_HOSTS}-host runs: ${formatMegabytes(results.scale.peakRssKb)}.`,
      "",
    );
  }
  for (const pair of results.pairs) {
    if (pair.hosts !== 1 || pair.kind === "converge" || pair.lastRemsOutput === undefined) continue;
    lines.push(formatProfile(`Where rems-play's last 1-host ${RUN_LABELS[pair.kind]} spent its time`, remsProfile(pair.lastRemsOutput, PROFILE_TOP)), "");
  }
  return lines.join("\n");
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  await ensureTools(log);
  const results: Results = { load: [loadAverage()], pairs: [] };
  let failure: unknown;
  try {
    await comparePairs(options, results);
    await compareConverge(options, results);
    if (options.scale) await scale(options, results);
  } catch (error) {
    failure = error;
  } finally {
    log("downing the bench labs");
    await labDown(FRESH_LAB);
    await labDown(LAB);
  }
  results.load.push(loadAverage());
  // What was measured before a failure is still worth reading; the failure then decides the exit code.
  results.pairs = results.pairs.filter((pair) => pair.remsMs.length > 0 && pair.ansibleMs.length > 0);
  if (results.pairs.length > 0) process.stdout.write(await report(options, results));
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error("the benchmark failed", { cause: failure });
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
