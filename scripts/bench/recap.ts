/**
 * What a timed run reported, so that a broken run cannot look fast: rems-play's recap event from its --json output,
 * ansible-playbook's PLAY RECAP lines, and /usr/bin/time's peak RSS. Pure functions only.
 */
import type { HostStats, RunEvent } from "../../engine/events.js";

/** Sums over every host of a recap. */
export interface RecapTotals {
  hosts: number;
  changed: number;
  failed: number;
  unreachable: number;
}

function totals(stats: readonly Pick<HostStats, "changed" | "failed" | "unreachable">[]): RecapTotals {
  return {
    hosts: stats.length,
    changed: stats.reduce((sum, s) => sum + s.changed, 0),
    failed: stats.reduce((sum, s) => sum + s.failed, 0),
    unreachable: stats.reduce((sum, s) => sum + s.unreachable, 0),
  };
}

/** The totals of the recap event in rems-play's --json output (one event per line); undefined without one. */
export function remsRecap(jsonLines: string): RecapTotals | undefined {
  let found: RecapTotals | undefined;
  for (const line of jsonLines.split("\n")) {
    if (!line.startsWith("{")) continue;
    const event = JSON.parse(line) as RunEvent;
    if (event.type === "recap") found = totals(Object.values(event.hosts));
  }
  return found;
}

const ANSIBLE_RECAP_LINE = /^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/;

/** The totals of ansible-playbook's PLAY RECAP; undefined when the output has none. */
export function ansibleRecap(output: string): RecapTotals | undefined {
  const stats = output
    .split("\n")
    .map((line) => ANSIBLE_RECAP_LINE.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ changed: Number(match[3]), unreachable: Number(match[4]), failed: Number(match[5]) }));
  return stats.length === 0 ? undefined : totals(stats);
}

/**
 * Why a run's result must not be timed, or undefined when it may: it exited non-zero, reported no recap, not every
 * host, a failed or unreachable host, or (when IDEMPOTENT: an audit or re-run of a converged site) a change.
 */
export function runProblem(exitCode: number, recap: RecapTotals | undefined, hosts: number, idempotent: boolean): string | undefined {
  if (exitCode !== 0) return `exited with code ${exitCode}`;
  if (recap === undefined) return "printed no recap";
  if (recap.hosts !== hosts) return `recapped ${recap.hosts} hosts, expected ${hosts}`;
  if (recap.failed > 0 || recap.unreachable > 0) return `reported failed=${recap.failed} unreachable=${recap.unreachable}`;
  if (idempotent && recap.changed > 0) return `reported changed=${recap.changed} on a converged site`;
  return undefined;
}

/** The peak resident set size in kB that `/usr/bin/time -f %M -o FILE` wrote; undefined when FILE holds none. */
export function peakRssKb(timeOutput: string): number | undefined {
  const lines = timeOutput.trim().split("\n");
  const last = lines[lines.length - 1]?.trim() ?? "";
  return /^\d+$/.test(last) ? Number(last) : undefined;
}

/** Where a rems-play run's time went, from its --json events: the connection, and the slowest task results. */
export interface RunProfile {
  elapsedMs: number | undefined;
  connectMs: number[];
  /** Sum of all task results' durations (one host's tasks run one after another). */
  tasksMs: number;
  slowest: { task: string; host: string; ms: number }[];
}

export function remsProfile(jsonLines: string, top: number): RunProfile {
  const profile: RunProfile = { elapsedMs: undefined, connectMs: [], tasksMs: 0, slowest: [] };
  const results: { task: string; host: string; ms: number }[] = [];
  for (const line of jsonLines.split("\n")) {
    if (!line.startsWith("{")) continue;
    const event = JSON.parse(line) as RunEvent;
    if (event.type === "host_connected") profile.connectMs.push(event.durationMs);
    else if (event.type === "recap") profile.elapsedMs = event.elapsedMs;
    else if (event.type === "task_result") {
      const task = event.item === undefined ? event.task : `${event.task} (${event.item})`;
      results.push({ task, host: event.host, ms: event.durationMs });
      profile.tasksMs += event.durationMs;
    }
  }
  profile.slowest = results.sort((a, b) => b.ms - a.ms).slice(0, top);
  return profile;
}

/** The profile as Markdown lines for the report. */
export function formatProfile(title: string, profile: RunProfile): string {
  const ms = (value: number): string => `${Math.round(value)} ms`;
  const lines = [
    `${title}: elapsed ${profile.elapsedMs === undefined ? "?" : ms(profile.elapsedMs)}, connect ${profile.connectMs.map(ms).join(", ") || "?"}, task results ${ms(profile.tasksMs)} in all; slowest:`,
    "",
    ...profile.slowest.map((r) => `- ${ms(r.ms)} ${r.task} [${r.host}]`),
  ];
  return lines.join("\n");
}
