/** Telling processes apart across pid reuse. */
import { readFileSync } from "node:fs";

/** Process start time from /proc/PID/stat, which tells a process from a later one that reuses its pid. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}
