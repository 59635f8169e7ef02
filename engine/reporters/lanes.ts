/**
 * The live part of the terminal view, under the task blocks: a lane per host saying where it is now (waiting for
 * a fork, connecting, at which task, done or failed) with its counts so far, and a first line with the elapsed
 * time and how many hosts are where. The task blocks above wait for the slowest host; the lanes show every host as
 * its results arrive. When the lanes do not fit in the lines they may take, hosts at the same task share a line.
 */
import type { HostStats, TaskResultEvent } from "../events.js";
import { MARKS } from "./marks.js";
import { formatElapsed } from "./recap.js";
import { truncate, visibleWidth, type Paint } from "./style.js";

type Phase = "waiting" | "connecting" | "running" | "done" | "failed";

interface Lane {
  phase: Phase;
  task: string | undefined;
  /** The last result was a failure (not ignored): the host stops unless a rescue follows. */
  failing: boolean;
  /** The host is past TASK, at one no host has announced yet. */
  ahead: boolean;
}

export interface LaneOptions {
  width: number;
  /** The most lines the lanes may take. */
  height: number;
  paint: Paint;
  /** The spinner's current frame. */
  frame: string;
  elapsedMs: number;
  stats: Readonly<Record<string, HostStats>>;
  /** The task a host is at (task-blocks.ts knows), when known. */
  taskOf: (host: string) => string | undefined;
}

const PHASE_WORDS: Readonly<Record<Phase, string>> = {
  waiting: "waiting for a fork",
  connecting: "connecting",
  running: "at work",
  done: "done",
  failed: "failed",
};

export class Lanes {
  private readonly lanes = new Map<string, Lane>();

  /** A play's hosts, all waiting until the engine starts on them. */
  playStart(hosts: readonly string[]): void {
    this.lanes.clear();
    for (const host of hosts) this.lanes.set(host, { phase: "waiting", task: undefined, failing: false, ahead: false });
  }

  start(host: string): void {
    this.set(host, { phase: "connecting" });
  }

  connected(host: string): void {
    this.set(host, { phase: "running" });
  }

  result(e: TaskResultEvent): void {
    this.set(e.host, { phase: "running", task: e.task, failing: (e.status === "failed" && e.ignored !== true) || e.status === "unreachable" });
  }

  end(host: string): void {
    this.set(host, { phase: this.lanes.get(host)?.failing === true ? "failed" : "done" });
  }

  lines(options: LaneOptions): string[] {
    const hosts = [...this.lanes.keys()];
    if (hosts.length === 0) return [];
    const { paint } = options;
    const nameWidth = Math.max(...hosts.map((h) => h.length));
    // A single host's lane is the whole area; several hosts' lanes are indented under the summary line.
    const indent = hosts.length === 1 ? "" : "  ";
    const laneLine = (host: string): string => {
      const lane = this.lane(host, options);
      const stats = options.stats[host];
      const counts = stats === undefined ? "" : countsText(stats, paint);
      const [symbol, what] = this.look(lane, options);
      const head = `${indent}${symbol} ${host.padEnd(nameWidth)}  `;
      const room = Math.max(1, options.width - visibleWidth(head) - visibleWidth(counts) - 2);
      const shown = truncate(what, room);
      return truncate(`${head}${shown}${" ".repeat(room - visibleWidth(shown) + 2)}${counts}`.trimEnd(), options.width);
    };
    if (hosts.length === 1) return hosts.map(laneLine);
    const summary = truncate(`${paint("bold", options.frame)} ${formatElapsed(options.elapsedMs)}  ${this.summary()}`, options.width);
    const lanes = hosts.length < options.height ? hosts.map(laneLine) : this.grouped(options).map((l) => truncate(`${indent}${l}`, options.width));
    return [summary, ...fitHeight(lanes, options.height - 1)];
  }

  /** HOST's lane, at the task it is at now where that is known (else at the last one it reported, `ahead`). */
  private lane(host: string, options: LaneOptions): Lane {
    const lane = this.lanes.get(host) ?? { phase: "waiting", task: undefined, failing: false, ahead: false };
    if (lane.phase !== "running" || lane.failing) return lane;
    const task = options.taskOf(host);
    return task === undefined ? { ...lane, ahead: true } : { ...lane, task, ahead: false };
  }

  /** "8 hosts: 5 at work, 2 done, 1 failed". */
  private summary(): string {
    const counts = new Map<Phase, number>();
    for (const lane of this.lanes.values()) counts.set(lane.phase, (counts.get(lane.phase) ?? 0) + 1);
    const parts = (["running", "connecting", "waiting", "done", "failed"] as const).flatMap((phase) => {
      const n = counts.get(phase) ?? 0;
      return n === 0 ? [] : [`${n} ${PHASE_WORDS[phase]}`];
    });
    return `${this.lanes.size} hosts: ${parts.join(", ")}`;
  }

  /** Hosts that are where others are share a line: "⠹ 12 at app : Step 4 … lab1 lab2 lab5 …". */
  private grouped(options: LaneOptions): string[] {
    const groups = new Map<string, { lane: Lane; hosts: string[] }>();
    for (const host of this.lanes.keys()) {
      const lane = this.lane(host, options);
      const key = lane.phase === "running" ? `running:${lane.task ?? ""}` : lane.phase;
      const group = groups.get(key) ?? { lane, hosts: [] };
      group.hosts.push(host);
      groups.set(key, group);
    }
    return [...groups.values()].map(({ lane, hosts }) => {
      const [symbol, what] = this.look(lane, options);
      const where = lane.phase === "running" ? `at ${what}` : PHASE_WORDS[lane.phase];
      const head = `${symbol} ${hosts.length} ${truncate(where, Math.max(10, Math.floor(options.width / 2)))}: `;
      return `${head}${hosts.join(" ")}`;
    });
  }

  private look(lane: Lane, options: LaneOptions): [string, string] {
    const { paint } = options;
    switch (lane.phase) {
      case "waiting":
        return [paint("dim", "·"), paint("dim", PHASE_WORDS.waiting)];
      case "connecting":
        return [paint("bold", options.frame), paint("dim", PHASE_WORDS.connecting)];
      case "running":
        if (lane.task === undefined) return [paint("bold", options.frame), paint("dim", "connected")];
        if (lane.ahead) return [paint("bold", options.frame), paint("dim", `past ${lane.task}`)];
        return [paint(lane.failing ? MARKS.failed.color : "bold", options.frame), lane.task];
      case "done":
        return [paint(MARKS.ok.color, MARKS.ok.symbol), PHASE_WORDS.done];
      case "failed":
        return [paint(MARKS.failed.color, MARKS.failed.symbol), paint(MARKS.failed.color, `failed at ${lane.task ?? "connecting"}`)];
    }
  }

  private set(host: string, change: Partial<Lane>): void {
    const lane = this.lanes.get(host) ?? { phase: "waiting", task: undefined, failing: false, ahead: false };
    this.lanes.set(host, { ...lane, ...change });
  }
}

/** "ok=21 changed=9 failed=1": the counts a host has, in their marks' colours. */
function countsText(stats: HostStats, paint: Paint): string {
  const cells: string[] = [`ok=${stats.ok}`];
  if (stats.changed > 0) cells.push(paint(MARKS.changed.color, `changed=${stats.changed}`));
  if (stats.unknown > 0) cells.push(paint(MARKS.unknown.color, `unknown=${stats.unknown}`));
  if (stats.failed > 0) cells.push(paint(MARKS.failed.color, `failed=${stats.failed}`));
  if (stats.unreachable > 0) cells.push(paint(MARKS.failed.color, `unreachable=${stats.unreachable}`));
  return cells.join(" ");
}

/** LINES cut to HEIGHT, the last line saying how many were left out. */
function fitHeight(lines: readonly string[], height: number): string[] {
  if (lines.length <= height) return [...lines];
  const kept = lines.slice(0, Math.max(0, height - 1));
  return [...kept, `  … ${lines.length - kept.length} more`];
}
