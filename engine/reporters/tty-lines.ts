/**
 * What the TTY reporter leaves on the screen, as lines that fit the terminal: a play's header, a task's block
 * (its header, then each host's status line with its mark and the details under it), warnings, and the recap.
 * The words are Ansible's (lines.ts, shared with the plain output); the marks (marks.ts) and colours are the
 * terminal's own.
 */
import type { Differences } from "../diff-types.js";
import { emptyStats, type HostStats, type TaskResultEvent } from "../events.js";
import { addDifferences } from "../differences.js";
import { differencesOf } from "./differences.js";
import { details, statusLine, taskTitle, warningLine, type Detail, type LineOptions } from "./lines.js";
import { MARKS, markOf } from "./marks.js";
import { formatElapsed, recapFields, STATUS_WEIGHT } from "./recap.js";
import type { LayoutItem, TaskBlock } from "./task-blocks.js";
import { truncate, visibleWidth, wrap, type Color, type Paint } from "./style.js";
import { BANNER_WIDTH } from "./text.js";

export interface ScreenOptions extends LineOptions {
  width: number;
  paint: Paint;
}

/**
 * A header as the plain output's, stars up to column 80 (at least three of them), when the terminal is that wide;
 * a title too long for the terminal wraps, and the stars follow its last line.
 */
function header(title: string, options: ScreenOptions): string[] {
  const lines = wrap(title, options.width - 4, 6);
  const last = lines.pop() ?? "";
  const stars = "*".repeat(Math.max(3, Math.min(BANNER_WIDTH, options.width) - visibleWidth(last) - 1));
  return [...lines, `${last} ${stars}`].map((l) => options.paint("bold", truncate(l, options.width)));
}

export function itemLines(item: LayoutItem, options: ScreenOptions): string[] {
  switch (item.kind) {
    case "play":
      return ["", ...header(`PLAY [${item.text}]`, options)];
    case "warning":
      return warningLines(warningLine(item.text, item.host), options);
    case "task":
      return taskLines(item, options);
  }
}

/** A block no host reported to (all went another way) is left out. */
function taskLines(block: TaskBlock, options: ScreenOptions): string[] {
  const reported = [...block.results.keys()];
  if (reported.length === 0) return [];
  const order = [...block.hosts.filter((h) => reported.includes(h)), ...reported.filter((h) => !block.hosts.includes(h))];
  const lines = ["", ...header(taskTitle(block.name, block.handler), options)];
  for (const host of order) {
    lines.push(...hostLines(block.results.get(host) ?? [], options));
    for (const message of block.warnings.get(host) ?? []) lines.push(...warningLines(warningLine(message, host), options));
  }
  return lines;
}

/**
 * One host's results of a task: a status line, then the details. A loop's items are summed up in one status line,
 * each item's details under it, unless they are debug output, which reads only item by item.
 */
function hostLines(results: readonly TaskResultEvent[], options: ScreenOptions): string[] {
  const [first] = results;
  if (first === undefined) return [];
  if (results.length > 1 && results.some((r) => r.msg !== undefined || r.debugVar !== undefined)) return results.flatMap((r) => hostLines([r], options));
  const shown = results.length === 1 ? first : sumItems(results);
  const mark = markOf(shown);
  const lines = wrap(`${mark.symbol} ${statusLine(shown, options)}`, options.width).map((l) => options.paint(mark.color, l));
  for (const result of results) for (const detail of details(result, options)) lines.push(...detailLines(detail, options));
  return lines;
}

function detailLines(detail: Detail, options: ScreenOptions): string[] {
  const lines = wrap(expandTabs(detail.line), options.width);
  switch (detail.kind) {
    case "warning":
      return warningLines(detail.line, options);
    case "command":
      return lines.map((l) => options.paint("dim", l));
    case "text":
    case "diff":
      return lines;
  }
}

function warningLines(text: string, options: ScreenOptions): string[] {
  return wrap(`${MARKS.warning.symbol} ${text}`, options.width).map((l) => options.paint(MARKS.warning.color, l));
}

/**
 * A loop's items as one result: "changed: [lab1] install nginx, install sqlite3" (the most telling status, what
 * changed over all items); each item's details still follow it.
 */
function sumItems(items: readonly TaskResultEvent[]): TaskResultEvent {
  const worst = items.reduce((a, b) => (STATUS_WEIGHT[b.status] > STATUS_WEIGHT[a.status] ? b : a));
  const summaries = items.flatMap((i) => (i.status === "changed" && i.summary !== undefined ? [i.summary] : []));
  const warnings = items.flatMap((i) => i.warnings ?? []);
  const drift = items.some((i) => i.drift === "drift") ? "drift" : worst.drift;
  const differences = items.map(differencesOf).reduce<Differences | undefined>((sum, d) => (d === undefined ? sum : addDifferences(sum, d)), undefined);
  return { ...worst, item: undefined, msg: undefined, debugVar: undefined, summary: summaries.join(", "), reason: `${items.length} items`, warnings, drift, differences };
}

/** Tabs to spaces (at stops of 8), so that a line's width on the screen is its length. */
function expandTabs(line: string): string {
  let column = 0;
  let out = "";
  for (const char of line) {
    if (char === "\t") {
      const spaces = 8 - (column % 8);
      out += " ".repeat(spaces);
      column += spaces;
    } else {
      out += char;
      column++;
    }
  }
  return out;
}

/**
 * PLAY RECAP as Ansible prints it, in colour; counters no host has are left out when the full line would not fit
 * (ok, changed and failed always stay), and a line still too wide wraps.
 */
export function recapLines(hosts: Readonly<Record<string, HostStats>>, elapsedMs: number, options: ScreenOptions): string[] {
  const { paint } = options;
  const names = Object.keys(hosts).sort();
  const nameWidth = Math.max(0, ...names.map((n) => n.length));
  const stats = (name: string): HostStats => hosts[name] ?? emptyStats();
  const all = recapFields(hosts);
  const fullWidth = nameWidth + 3 + all.reduce((sum, f) => sum + f.length + 2 + Math.max(...names.map((n) => String(stats(n)[f]).length)), 0);
  const always = new Set<keyof HostStats>(["ok", "changed", "failed"]);
  const fields = fullWidth <= options.width ? all : all.filter((f) => always.has(f) || names.some((n) => stats(n)[f] > 0));
  const widths = fields.map((f) => Math.max(1, ...names.map((n) => String(stats(n)[f]).length)));
  const lines = ["", ...header("PLAY RECAP", options)];
  for (const name of names) {
    const s = stats(name);
    const cells = fields.map((f, i) => {
      const cell = `${f}=${String(s[f]).padEnd(widths[i] ?? 1)}`;
      const color = FIELD_COLORS[f];
      return s[f] > 0 && color !== undefined ? paint(color, cell) : cell;
    });
    const hostColor = s.failed > 0 || s.unreachable > 0 ? "red" : s.changed > 0 ? "yellow" : "green";
    lines.push(...wrap(`${paint(hostColor, name.padEnd(nameWidth))} : ${cells.join(" ")}`.trimEnd(), options.width, nameWidth + 3));
  }
  lines.push(`elapsed ${formatElapsed(elapsedMs)}`);
  return lines;
}

/** Counters coloured when not zero, as Ansible colours them (unknown, ignored, drift and pending in their marks' colours). */
const FIELD_COLORS: Partial<Record<keyof HostStats, Color>> = {
  ok: "green",
  changed: "yellow",
  unreachable: "red",
  failed: "red",
  unknown: MARKS.unknown.color,
  warnings: MARKS.warning.color,
  ignored: MARKS.warning.color,
  drift: MARKS.drift.color,
  pending: MARKS.changed.color,
};
