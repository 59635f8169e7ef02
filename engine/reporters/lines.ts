/**
 * The lines the plain and TTY reporters print for a task: its banner, a result's status line and the details under
 * it (error, debug output, commands, diffs), and warnings.
 */
import { renderDiff } from "../diff.js";
import type { TaskResultEvent } from "../events.js";
import { describeDifferences, differencesOf } from "./differences.js";
import { banner, toJson } from "./text.js";

export interface LineOptions {
  verbosity: number;
  diff: boolean;
  /** Colored diffs, for a terminal only. */
  color?: boolean;
}

/**
 * "changed: [lab1] => (item=nginx) install nginx", "changed: [lab1] (1 drift, 1 pending) write
 * /etc/nginx/nginx.conf": the status, the host, and why or what in one line.
 */
export function statusLine(e: TaskResultEvent, options: LineOptions): string {
  const status = e.status === "failed" && e.ignored === true ? "failed (ignored)" : e.status;
  // As Ansible: "changed: [web1 -> db1]" for a delegated task.
  let line = `${status}: [${e.host}${e.delegatedTo === undefined ? "" : ` -> ${e.delegatedTo}`}]`;
  if (e.item !== undefined) line += ` => (item=${e.item})`;
  if (e.msg !== undefined || e.debugVar !== undefined) return `${line} => {`;
  const detail = statusDetail(e, options.verbosity);
  return detail === undefined || detail === "" ? line : `${line} ${detail}`;
}

function statusDetail(e: TaskResultEvent, verbosity: number): string | undefined {
  switch (e.status) {
    case "changed": {
      // Check mode says why a change is found: the host was edited (drift) or the playbook moved on (pending).
      const differences = differencesOf(e);
      return differences === undefined ? e.summary : `(${describeDifferences(differences)})${e.summary === undefined ? "" : ` ${e.summary}`}`;
    }
    case "ok":
      return verbosity >= 1 ? e.reason : undefined;
    case "skipped":
      return verbosity >= 1 && e.reason !== undefined ? `(${e.reason})` : undefined;
    case "unknown":
      return e.reason;
    case "failed":
    case "unreachable":
      return e.error === undefined ? undefined : `${e.error.code}: ${firstLine(e.error.message)}`;
  }
}

/** A line under a status line, and what it is (a terminal colours them by kind). */
export interface Detail {
  kind: "text" | "command" | "diff" | "warning";
  line: string;
}

/** What follows the status line: the rest of an error, debug output, commands (-vv), diffs (--diff), warnings. */
export function details(e: TaskResultEvent, options: LineOptions): Detail[] {
  const text = (line: string): Detail => ({ kind: "text", line });
  const found: Detail[] = [];
  if (e.error !== undefined) found.push(...restLines(e.error.message).map((l) => text(`    ${l}`)));
  if (e.msg !== undefined || e.debugVar !== undefined) found.push(...shown(e.debugVar ?? { msg: e.msg }).split("\n").slice(1).map(text));
  if (options.verbosity >= 2) found.push(...(e.commands ?? []).map((c): Detail => ({ kind: "command", line: `    $ ${c}` })));
  if (options.diff) {
    for (const d of e.diffs ?? []) {
      const diff = renderDiff(d, options.color === true ? { color: true } : {});
      if (diff !== "") found.push(...diff.slice(0, -1).split("\n").map((line): Detail => ({ kind: "diff", line })));
    }
  }
  found.push(...(e.warnings ?? []).map((w): Detail => ({ kind: "warning", line: warningLine(w, e.host) })));
  return found;
}

export function detailLines(e: TaskResultEvent, options: LineOptions): string[] {
  return details(e, options).map((d) => d.line);
}

/** Debug output as Ansible shows it: `{ "msg": ... }` (or `{ "var": ... }`) indented by 4; a value JSON cannot hold, as text. */
function shown(fields: Readonly<Record<string, unknown>>): string {
  try {
    return toJson(fields, 4);
  } catch {
    return toJson(Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, String(value)])), 4);
  }
}

export function warningLine(message: string, host?: string): string {
  return host === undefined ? `[WARNING]: ${message}` : `[WARNING]: [${host}] ${message}`;
}

function firstLine(text: string): string {
  const end = text.indexOf("\n");
  return end === -1 ? text : text.slice(0, end);
}

function restLines(text: string): string[] {
  return text.split("\n").slice(1).filter((l) => l.trim() !== "");
}

export function taskTitle(name: string, handler: boolean): string {
  return `${handler ? "RUNNING HANDLER" : "TASK"} [${name}]`;
}

export function taskBanner(name: string, handler: boolean): string {
  return banner(taskTitle(name, handler));
}
