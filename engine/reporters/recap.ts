/**
 * PLAY RECAP: one line per host with Ansible's counters, columns aligned across hosts, then the elapsed time.
 * Printed by every human-readable reporter, always (from the engine's recap event, or from its own tally when the
 * run ended without one).
 */
import type { Differences } from "../diff-types.js";
import { emptyStats, type HostStats, type TaskResultEvent, type TaskStatus } from "../events.js";
import { addDifferences } from "../differences.js";
import { differencesOf } from "./differences.js";
import { banner } from "./text.js";

export const RECAP_FIELDS = ["ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored", "unknown"] as const;

/**
 * The recap's counters: Ansible's and unknown, then each of `drift`, `pending` (an audit's differences) and
 * `warnings` (tasks with a warning finding or a module's or tool's warning) when a host has one.
 */
export function recapFields(hosts: Readonly<Record<string, HostStats>>): (keyof HostStats)[] {
  const extra = (["drift", "pending", "warnings"] as const).filter((field) => Object.values(hosts).some((s) => s[field] > 0));
  return [...RECAP_FIELDS, ...extra];
}

/** The recap block, each line ending in "\n"; hosts in name order as Ansible prints them. */
export function formatRecap(hosts: Readonly<Record<string, HostStats>>, elapsedMs: number): string {
  // Code point order, as Python's sorted() (localeCompare would also cost ICU's start-up, ~15 ms, on every run).
  const names = Object.keys(hosts).sort();
  const nameWidth = Math.max(0, ...names.map((n) => n.length));
  const valueWidth = (field: keyof HostStats): number => Math.max(1, ...names.map((n) => String(hosts[n]?.[field] ?? 0).length));
  const fields = recapFields(hosts);
  const widths = fields.map(valueWidth);
  let text = `${banner("PLAY RECAP")}\n`;
  for (const name of names) {
    const stats = hosts[name] ?? emptyStats();
    const cells = fields.map((field, i) => `${field}=${String(stats[field]).padEnd(widths[i] ?? 1)}`);
    text += `${`${name.padEnd(nameWidth)} : ${cells.join(" ")}`.trimEnd()}\n`;
  }
  return `${text}elapsed ${formatElapsed(elapsedMs)}\n`;
}

/** "0.4s", "42.0s", "3m 07.5s", "1h 02m 03.0s". */
export function formatElapsed(ms: number): string {
  const tenths = Math.round(Math.max(0, ms) / 100);
  const seconds = (tenths % 600) / 10;
  const minutes = Math.floor(tenths / 600) % 60;
  const hours = Math.floor(tenths / 36000);
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, "0")}m ${seconds.toFixed(1).padStart(4, "0")}s`;
  if (minutes > 0) return `${minutes}m ${seconds.toFixed(1).padStart(4, "0")}s`;
  return `${seconds.toFixed(1)}s`;
}

/** Which status stands for several (a loop's items): the most telling one. */
export const STATUS_WEIGHT: Readonly<Record<TaskStatus, number>> = { skipped: 0, ok: 1, unknown: 2, changed: 3, unreachable: 4, failed: 5 };

interface Outcome {
  task: string;
  status: TaskStatus;
  ignored: boolean;
  loop: boolean;
  /** A warning finding, or warnings came with the result. */
  warned: boolean;
}

/**
 * Counts results the way the engine's recap does (engine/execute/host-run.ts), for a run that ends without a recap
 * event and for the audit report: once per task and host (a loop's items count once, as their most telling
 * status), a changed task also as ok, an ignored failure only as ignored; an audit's drift and pending differences
 * over every result, each loop item's included. Rescues are not visible in results.
 */
export class RecapTally {
  private readonly outcomes = new Map<string, Outcome[]>();
  private readonly differences = new Map<string, Differences>();

  add(result: TaskResultEvent): void {
    const differences = differencesOf(result);
    if (differences !== undefined) this.differences.set(result.host, addDifferences(this.differences.get(result.host), differences));
    const list = this.outcomes.get(result.host) ?? [];
    this.outcomes.set(result.host, list);
    const last = list.at(-1);
    const outcome: Outcome = { task: result.task, status: result.status, ignored: result.ignored === true, loop: result.item !== undefined, warned: result.finding !== undefined || (result.warnings?.length ?? 0) > 0 };
    if (outcome.loop && last?.loop === true && last.task === outcome.task) {
      outcome.warned ||= last.warned;
      if (STATUS_WEIGHT[outcome.status] > STATUS_WEIGHT[last.status]) list[list.length - 1] = outcome;
      else last.warned = outcome.warned;
    } else list.push(outcome);
  }

  stats(): Readonly<Record<string, HostStats>> {
    const hosts: Record<string, HostStats> = {};
    for (const [host, list] of this.outcomes) {
      const stats = { ...emptyStats(), ...this.differences.get(host) };
      for (const { status, ignored, warned } of list) {
        if (warned) stats.warnings++;
        if (status === "failed" && ignored) stats.ignored++;
        else if (status === "changed") {
          stats.ok++;
          stats.changed++;
        } else stats[status]++;
      }
      hosts[host] = stats;
    }
    return hosts;
  }
}
