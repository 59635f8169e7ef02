/**
 * The audit report's content, built from a run's events by one pure function; report-json/-markdown/-html only
 * lay it out. It holds what an auditor files: when, from which sources, and per host every task with its status,
 * the one line of what differs and the diff. Its counts are the recap's: the same counters from the same results
 * (recap.ts), so a report never says another number than the terminal did. Debug output and commands are left out: an audit does not need them,
 * and they are where secrets a playbook did not declare would travel.
 */
import { renderDiff } from "../diff.js";
import { describeKind } from "../diff.js";
import type { DifferenceKind, Differences } from "../diff-types.js";
import { emptyStats, type HostStats, type LastApplied, type RunEvent, type RunInputs, type SourceVersion, type TaskResultEvent, type TaskStatus } from "../events.js";
import { formatElapsed, RecapTally } from "./recap.js";
import { describeDifferences, differencesOf } from "./differences.js";
import { sanitize } from "./text.js";

/** 2: counts are the recap's (a loop once, a handler's change too; drift and pending per difference). */
export const REPORT_VERSION = 2;

export interface ReportModel {
  reportVersion: typeof REPORT_VERSION;
  /** ISO time the run started. */
  startedAt: string;
  elapsedMs?: number;
  check: boolean;
  diff: boolean;
  playbooks: SourceVersion[];
  inventories: SourceVersion[];
  /** What the command line selected and set (-e by name only). */
  inputs: RunInputs;
  totals: ReportTotals;
  /** Warnings not about one host. */
  warnings: string[];
  /** Warning findings (tasks tagged `finding` that ran), host by host in name order: the top of the report. */
  warningFindings: WarningFinding[];
  /** Hosts in name order, unreachable ones included. */
  hosts: HostReport[];
}

export interface WarningFinding {
  host: string;
  task: string;
  /** "file:line:col" of the task. */
  where?: string;
  message: string;
}

export interface HostReport {
  name: string;
  reachable: boolean;
  /** Why the host could not be reached. */
  error?: { code: string; message: string };
  /**
   * The host's last converging run; null when the host has no record of one; absent when the run did not learn
   * it (the host was not reached, or no host_state event came).
   */
  lastConverged?: LastApplied | null;
  /**
   * The recap's counters of the host (recap.ts): tasks once (a loop's items as one), a changed task also as ok, a
   * handler's change too; `drift` and `pending` count an audit's differences, every loop item's.
   */
  counts: HostStats;
  warnings: string[];
  tasks: TaskReport[];
}

/** What a task result counts as in the report. */
export type Finding = "drift" | "pending" | "changed" | "unknown" | "failed" | "unreachable" | "warning";

export interface TaskReport {
  task: string;
  item?: string;
  /** "file:line:col" of the task. */
  where?: string;
  status: TaskStatus;
  drift?: "drift" | "pending";
  /** An audited change's drift and pending differences (engine/differences.ts). */
  differences?: Differences;
  /** A handler's result (it ran, or in check mode would run, because a change notified it). */
  handler?: boolean;
  ignored?: boolean;
  /**
   * The result is one an auditor must look at; absent for ok, skipped, ignored failures, and a handler an audit
   * would run (it follows from the findings that notified it, and is not counted).
   */
  finding?: Finding;
  /** One line: what differs (changed), why (ok, skipped, unknown), or the error's code and first line. */
  summary?: string;
  /** Failed or unreachable: the whole error message. */
  error?: { code: string; message: string };
  /** A warning finding: what it found. */
  warningFinding?: string;
  /** Rendered by engine/diff.ts, without color; empty diffs are left out. An audit's verdict on each hunk, in order. */
  diffs: { path: string; text: string; hunks?: DifferenceKind[] }[];
  warnings: string[];
}

export interface ReportTotals {
  hosts: number;
  unreachable: number;
  /** Hosts with at least one result of each kind. */
  hostsWithDrift: number;
  hostsWithPending: number;
  hostsWithUnknown: number;
  hostsWithFailed: number;
  hostsWithWarnings: number;
  /** The recap's counters summed over the hosts. */
  counts: HostStats;
}

interface HostDraft {
  name: string;
  unreachable?: { code: string; message: string };
  recapUnreachable: boolean;
  lastConverged?: LastApplied | null;
  tasks: TaskReport[];
  warnings: string[];
}

/** The report of a run's events, in the order the engine emitted them. */
export function buildReportModel(events: readonly RunEvent[]): ReportModel {
  const hosts = new Map<string, HostDraft>();
  const tally = new RecapTally();
  // Results do not say they are a handler's; the task_start before them does.
  const handlers = new Set<string>();
  const host = (name: string): HostDraft => {
    let draft = hosts.get(name);
    if (draft === undefined) {
      draft = { name, recapUnreachable: false, tasks: [], warnings: [] };
      hosts.set(name, draft);
    }
    return draft;
  };
  const run: Omit<ReportModel, "hosts" | "totals" | "warningFindings"> = {
    reportVersion: REPORT_VERSION,
    startedAt: "",
    check: false,
    diff: false,
    playbooks: [],
    inventories: [],
    inputs: { tags: [], skipTags: [], extraVars: [] },
    warnings: [],
  };

  for (const e of events) {
    switch (e.type) {
      case "run_start": {
        run.startedAt = sanitize(e.startedAt);
        run.check = e.check;
        run.diff = e.diff;
        const version = (path: string): SourceVersion => cleanSource(e.sources.find((s) => s.path === path) ?? { path });
        run.playbooks = e.playbooks.map(version);
        run.inventories = e.inventories.map(version);
        run.inputs = cleanInputs(e.inputs);
        break;
      }
      case "play_start":
        for (const name of e.hosts) host(name);
        break;
      case "host_state":
        host(e.host).lastConverged = e.lastApplied === undefined ? null : cleanLastApplied(e.lastApplied);
        break;
      case "task_result": {
        const draft = host(e.host);
        if (e.status === "unreachable" && e.error !== undefined) draft.unreachable ??= cleanError(e.error);
        draft.tasks.push(taskReport(e, handlers.has(e.task), run.check));
        tally.add(e);
        break;
      }
      case "warning":
        if (e.host === undefined) run.warnings.push(sanitize(e.message));
        else host(e.host).warnings.push(sanitize(e.message));
        break;
      case "recap":
        for (const [name, stats] of Object.entries(e.hosts)) if (stats.unreachable > 0) host(name).recapUnreachable = true;
        break;
      case "run_end":
        run.elapsedMs = e.elapsedMs;
        break;
      case "task_start":
        if (e.handler) handlers.add(e.name);
        break;
      case "host_connected":
      case "host_play_start":
      case "host_play_end":
        break;
    }
  }

  // Code point order, as the recap lists hosts.
  const stats = tally.stats();
  const finished = [...hosts.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((draft) => finishHost(draft, stats[draft.name] ?? emptyStats()));
  // Fields in reading order: the JSON report lists them as built.
  return {
    reportVersion: run.reportVersion,
    startedAt: run.startedAt,
    ...(run.elapsedMs === undefined ? {} : { elapsedMs: run.elapsedMs }),
    check: run.check,
    diff: run.diff,
    playbooks: run.playbooks,
    inventories: run.inventories,
    inputs: run.inputs,
    totals: totalsOf(finished),
    warnings: run.warnings,
    warningFindings: finished.flatMap((h) =>
      h.tasks.flatMap((t) => (t.warningFinding === undefined ? [] : [{ host: h.name, task: t.task, ...(t.where === undefined ? {} : { where: t.where }), message: t.warningFinding }])),
    ),
    hosts: finished,
  };
}

function finishHost(draft: HostDraft, counts: HostStats): HostReport {
  // Fields in reading order: the JSON report lists them as built.
  return {
    name: sanitize(draft.name),
    reachable: draft.unreachable === undefined && !draft.recapUnreachable,
    ...(draft.unreachable === undefined ? {} : { error: draft.unreachable }),
    ...(draft.lastConverged === undefined ? {} : { lastConverged: draft.lastConverged }),
    counts,
    warnings: draft.warnings,
    tasks: draft.tasks,
  };
}

function totalsOf(hosts: readonly HostReport[]): ReportTotals {
  const counts = emptyStats();
  for (const h of hosts) for (const key of Object.keys(counts) as (keyof HostStats)[]) counts[key] += h.counts[key];
  return {
    hosts: hosts.length,
    unreachable: hosts.filter((h) => !h.reachable).length,
    hostsWithDrift: hosts.filter((h) => h.counts.drift > 0).length,
    hostsWithPending: hosts.filter((h) => h.counts.pending > 0).length,
    hostsWithUnknown: hosts.filter((h) => h.counts.unknown > 0).length,
    hostsWithFailed: hosts.filter((h) => h.counts.failed > 0).length,
    hostsWithWarnings: hosts.filter((h) => h.counts.warnings > 0).length,
    counts,
  };
}

function taskReport(e: TaskResultEvent, handler: boolean, check: boolean): TaskReport {
  const finding = findingOf(e, handler && check);
  const summary = summaryOf(e);
  const differences = differencesOf(e);
  // Fields in reading order: the JSON report lists them as built.
  return {
    task: sanitize(e.task),
    ...(e.item === undefined ? {} : { item: sanitize(e.item) }),
    ...(e.where === undefined ? {} : { where: sanitize(e.where) }),
    status: e.status,
    ...(e.drift === undefined ? {} : { drift: e.drift }),
    ...(differences === undefined ? {} : { differences: { drift: differences.drift, pending: differences.pending } }),
    ...(handler ? { handler: true } : {}),
    ...(e.ignored === true ? { ignored: true } : {}),
    ...(finding === undefined ? {} : { finding }),
    ...(summary === undefined || summary === "" ? {} : { summary: sanitize(summary) }),
    ...(e.error === undefined ? {} : { error: cleanError(e.error) }),
    ...(e.finding === undefined ? {} : { warningFinding: sanitize(e.finding) }),
    diffs: (e.diffs ?? [])
      .map((d) => ({ path: sanitize(d.path), text: sanitize(renderDiff(d)), ...(d.hunks === undefined ? {} : { hunks: [...d.hunks] }) }))
      .filter((d) => d.text !== ""),
    warnings: (e.warnings ?? []).map(sanitize),
  };
}

function findingOf(e: TaskResultEvent, auditedHandler: boolean): Finding | undefined {
  switch (e.status) {
    case "changed":
      return e.drift ?? (auditedHandler ? undefined : "changed");
    case "failed":
      return e.ignored === true ? undefined : "failed";
    case "unknown":
    case "unreachable":
      return e.status;
    case "ok":
    case "skipped":
      // A warning finding, or a tool's or module's warning (nginx -t's [warn]): seen in the report, not only counted.
      return e.finding === undefined && (e.warnings?.length ?? 0) === 0 ? undefined : "warning";
  }
}

function summaryOf(e: TaskResultEvent): string | undefined {
  switch (e.status) {
    case "changed":
      return e.summary;
    case "ok":
      return e.finding ?? e.reason;
    case "skipped":
    case "unknown":
      return e.reason;
    case "failed":
    case "unreachable":
      return e.error === undefined ? undefined : `${e.error.code}: ${e.error.message.split("\n", 1)[0] ?? ""}`;
  }
}

/** Only the fields the report names, so nothing else an event object may carry reaches the file. */
function cleanSource(source: SourceVersion): SourceVersion {
  const clean: SourceVersion = { path: sanitize(source.path) };
  if (source.commit !== undefined) clean.commit = sanitize(source.commit);
  if (source.dirty !== undefined) clean.dirty = source.dirty;
  return clean;
}

function cleanInputs(inputs: RunInputs): RunInputs {
  return {
    ...(inputs.limit === undefined ? {} : { limit: sanitize(inputs.limit) }),
    tags: inputs.tags.map(sanitize),
    skipTags: inputs.skipTags.map(sanitize),
    extraVars: inputs.extraVars.map(sanitize),
  };
}

function cleanLastApplied(last: LastApplied): LastApplied {
  const clean: LastApplied = { at: sanitize(last.at), playbook: sanitize(last.playbook) };
  if (last.commit !== undefined) clean.commit = sanitize(last.commit);
  return clean;
}

function cleanError(error: { code: string; message: string }): { code: string; message: string } {
  return { code: sanitize(error.code), message: sanitize(error.message) };
}

/** "2026-11-27 09:00:00 UTC" for an ISO time; the text as it came when it is not one. */
export function formatTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : `${new Date(time).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "commit abc123def456", "commit abc123def456 with uncommitted changes", "not in a git repository". */
export function describeVersion(source: SourceVersion): string {
  if (source.commit === undefined) return "not in a git repository";
  return `commit ${source.commit.slice(0, 12)}${source.dirty === true ? " with uncommitted changes" : ""}`;
}

/** "2026-11-27 08:00:00 UTC from commit abc123def456 (playbooks/site.yml)", "never (no record on the host)". */
export function describeLastConverged(host: HostReport): string {
  if (host.lastConverged === undefined) return host.reachable ? "not known" : "not known (host not reached)";
  if (host.lastConverged === null) return "never (no record on the host)";
  const { at, playbook, commit } = host.lastConverged;
  return `${formatTime(at)}${commit === undefined ? "" : ` from commit ${commit.slice(0, 12)}`} (${playbook})`;
}

/**
 * The one-line verdict of the whole run, for the top of the report, in the recap's numbers: "1 host audited: 1 task
 * would change (changed=1), with 1 drift and 1 pending difference; 1 warning finding".
 */
export function verdict(model: ReportModel): string {
  const t = model.totals;
  const c = t.counts;
  const parts: string[] = [];
  const hosts = (n: number): string => `${n} host${n === 1 ? "" : "s"}`;
  const tasks = (n: number): string => `${n} task${n === 1 ? "" : "s"}`;
  if (c.changed > 0 && model.check) {
    const kinds = [...(c.drift > 0 ? [`${c.drift} drift`] : []), ...(c.pending > 0 ? [`${c.pending} pending`] : [])];
    // "1 drift and 1 pending difference", "2 drift and 4 pending differences": the noun follows the count before it.
    const last = c.pending > 0 ? c.pending : c.drift;
    const differences = kinds.length === 0 ? "" : `, with ${kinds.join(" and ")} difference${last === 1 ? "" : "s"}`;
    parts.push(`${tasks(c.changed)} would change (changed=${c.changed})${differences}`);
  } else if (c.changed > 0) parts.push(`${tasks(c.changed)} changed (changed=${c.changed})`);
  const findings = model.warningFindings.length;
  if (findings > 0) parts.push(`${findings} warning finding${findings === 1 ? "" : "s"}`);
  // The other tasks counted as warnings came with a tool's or module's warning (nginx -t's [warn]).
  const warned = c.warnings - findings;
  if (warned > 0) parts.push(`${tasks(warned)} with warnings`);
  if (t.hostsWithUnknown > 0) parts.push(`${hosts(t.hostsWithUnknown)} with unknown results`);
  if (t.hostsWithFailed > 0) parts.push(`${hosts(t.hostsWithFailed)} failed`);
  if (t.unreachable > 0) parts.push(`${hosts(t.unreachable)} unreachable`);
  const what = model.check ? "audited" : "run";
  if (parts.length === 0) return `${hosts(t.hosts)} ${what}: ${model.check ? "no drift" : "no changes"}, nothing unknown, nothing failed`;
  return `${hosts(t.hosts)} ${what}: ${parts.join("; ")}`;
}

/** Label of a result's status as the report shows it: "1 drift, 1 pending", "changed (handler)", "failed (ignored)", "ok". */
export function statusLabel(task: TaskReport): string {
  if (task.differences !== undefined) return describeDifferences(task.differences);
  if (task.finding === "warning") return "warning";
  if (task.status === "changed" && task.handler === true) return "changed (handler)";
  return task.status === "failed" && task.ignored === true ? "failed (ignored)" : task.status;
}

/** The summary table of hosts, one row per host, shared by the Markdown and HTML layouts. */
export function hostColumns(model: ReportModel): string[] {
  return ["Host", "Reachable", "Last converged", ...changeColumns(model), "Unknown", "Failed", ...warningColumn(model)];
}

export function hostRow(model: ReportModel, host: HostReport): string[] {
  const c = host.counts;
  const reachable = host.reachable ? "yes" : `no${host.error === undefined ? "" : ` (${host.error.code})`}`;
  const changes = changeColumns(model).map((column) => (column === "Drift" ? c.drift : column === "Pending" ? c.pending : c.changed));
  return [host.name, reachable, describeLastConverged(host), ...changes.map(String), String(c.unknown), String(c.failed), ...warningColumn(model).map(() => String(c.warnings))];
}

/** Warnings, when the run has a warning finding. */
function warningColumn(model: ReportModel): string[] {
  return model.totals.counts.warnings > 0 ? ["Warnings"] : [];
}

/**
 * The audited changes with drift or pending differences, host by host in run order, as one line each for the top
 * of the report: "lab1: nginx : vhost — 1 drift, 1 pending (hunks: drift; pending)", then the task's change summary
 * ("remove rogue from /etc/nginx/sites-enabled"), so the top says what differs without the diff. At most LIMIT
 * lines, then how many more, so the top stays one screen.
 */
export function differenceLines(model: ReportModel, limit = 8): string[] {
  const lines = model.hosts.flatMap((host) =>
    host.tasks.flatMap((task) => {
      if (task.differences === undefined || task.differences.drift + task.differences.pending === 0) return [];
      const hunks = task.diffs.flatMap((d) => d.hunks ?? []);
      const kinds = `${describeDifferences(task.differences)}${hunks.length === 0 ? "" : ` (hunks: ${hunks.map(describeKind).join("; ")})`}`;
      return [`${host.name}: ${taskTitle(task)} — ${kinds}${task.summary === undefined ? "" : `: ${task.summary}`}`];
    }),
  );
  return lines.length <= limit ? lines : [...lines.slice(0, limit - 1), `… and ${lines.length - limit + 1} more below`];
}

/** "host: message (task at file:line:col)", one per warning finding, for the top of the report. */
export function describeWarningFinding(finding: WarningFinding): string {
  return `${finding.host}: ${finding.message}${finding.where === undefined ? "" : ` (task at ${finding.where})`}`;
}

/** The recap's changed tasks; an audit's drift and pending differences too. */
function changeColumns(model: ReportModel): string[] {
  return ["Changed", ...(model.check ? ["Drift", "Pending"] : [])];
}

/** The results an auditor must look at, in run order. */
export function findings(host: HostReport): TaskReport[] {
  return host.tasks.filter((t) => t.finding !== undefined);
}

export function reportTitle(model: ReportModel): string {
  return model.check ? "rems-play audit report" : "rems-play run report";
}

/** The run's facts as label/value rows: when, mode, sources, duration. */
export function runFacts(model: ReportModel): [string, string][] {
  const source = (s: SourceVersion): string => `${s.path} (${describeVersion(s)})`;
  const modes = [model.check ? "check (nothing was changed)" : "apply", ...(model.diff ? ["diff"] : [])];
  const { limit, tags, skipTags, extraVars } = model.inputs;
  const rows: [string, string][] = [
    ["Started", formatTime(model.startedAt)],
    ["Mode", modes.join(", ")],
    ...model.playbooks.map((s): [string, string] => ["Playbook", source(s)]),
    ...model.inventories.map((s): [string, string] => ["Inventory", source(s)]),
    ["Hosts", limit === undefined ? "all the plays target (no --limit)" : `limited to ${limit}`],
    ["Tags", tags.length === 0 && skipTags.length === 0 ? "all tasks" : [tags.length > 0 ? `only ${tags.join(", ")}` : "", skipTags.length > 0 ? `skipping ${skipTags.join(", ")}` : ""].filter(Boolean).join("; ")],
    ["Extra variables (-e)", extraVars.length === 0 ? "none" : `${extraVars.join(", ")} (values not shown)`],
  ];
  if (model.elapsedMs !== undefined) rows.push(["Duration", formatElapsed(model.elapsedMs)]);
  return rows;
}

/** "common : install packages (item=nginx)". */
export function taskTitle(task: TaskReport): string {
  return task.item === undefined ? task.task : `${task.task} (item=${task.item})`;
}
