/** The benchmark's arithmetic and its Markdown: medians, ratios, the results tables. Pure functions only. */

/** The median of VALUES (the mean of the middle two for an even count); a benchmark without samples is a bug. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no samples");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

/** How many times longer BASELINE took than CANDIDATE (ansible-playbook / rems-play: above 1, rems-play is faster). */
export function ratio(baselineMs: number, candidateMs: number): number {
  if (candidateMs <= 0) throw new Error(`a run cannot take ${candidateMs} ms`);
  return baselineMs / candidateMs;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatRatio(value: number): string {
  return `${value.toFixed(1)}×`;
}

export function formatMegabytes(kilobytes: number): string {
  return `${(kilobytes / 1024).toFixed(0)} MB`;
}

/** A Markdown table; every row has as many cells as HEADER. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`a table row has ${row.length} cells, the header ${header.length}`);
  }
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** One compared case: the wall times of every round, per tool. */
export interface PairResult {
  /** What was run, e.g. "audit (--check --diff)". */
  run: string;
  hosts: number;
  remsMs: readonly number[];
  ansibleMs: readonly number[];
}

/** The main table: medians per tool, the ratio of the medians, and the number of rounds behind them. */
export function pairsTable(pairs: readonly PairResult[]): string {
  return markdownTable(
    ["run", "hosts", "rems-play", "ansible-playbook", "ansible / rems-play", "rounds"],
    pairs.map((pair) => {
      const rems = median(pair.remsMs);
      const ansible = median(pair.ansibleMs);
      return [
        pair.run,
        String(pair.hosts),
        formatSeconds(rems),
        formatSeconds(ansible),
        formatRatio(ratio(ansible, rems)),
        String(Math.min(pair.remsMs.length, pair.ansibleMs.length)),
      ];
    }),
  );
}

/** rems-play's median wall time for one run kind at several host counts. */
export interface ScaleRow {
  run: string;
  /** Host count → rems-play median in ms. */
  byHosts: ReadonlyMap<number, number>;
}

/** How time grows with hosts: one column per host count, plus each count's factor over the smallest. */
export function scaleTable(rows: readonly ScaleRow[], hostCounts: readonly number[]): string {
  const [smallest] = hostCounts;
  if (smallest === undefined) throw new Error("a scale table needs host counts");
  return markdownTable(
    ["rems-play run", ...hostCounts.map((n) => `${n} host${n === 1 ? "" : "s"}`)],
    rows.map((row) => {
      const base = row.byHosts.get(smallest);
      return [
        row.run,
        ...hostCounts.map((n) => {
          const ms = row.byHosts.get(n);
          if (ms === undefined) return "–";
          return n === smallest || base === undefined ? formatSeconds(ms) : `${formatSeconds(ms)} (${formatRatio(ratio(ms, base))})`;
        }),
      ];
    }),
  );
}

/** The machine line of the README: CPU model and count, and memory, from /proc/cpuinfo and /proc/meminfo text. */
export function describeMachine(cpuinfo: string, meminfo: string, cpus: number): string {
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown CPU";
  const memKb = Number(/^MemTotal:\s*(\d+)\s*kB$/m.exec(meminfo)?.[1] ?? Number.NaN);
  const memory = Number.isFinite(memKb) ? `${(memKb / 1024 / 1024).toFixed(1)} GiB RAM` : "unknown memory";
  return `${cpus} × ${model}, ${memory}`;
}
