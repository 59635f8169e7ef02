/**
 * The recorded audit the report tests render (test/golden/reports/audit.events.json): a check run over four hosts,
 * lab1 with a vhost whose one hunk is both drift and pending, a drifted and a pending file, two unknown results and
 * a handler that would run; lab2 clean but for a warning finding, lab3 unreachable, lab4 never converged (pending
 * changes and a failure). Its recap event is what the engine counts of those results.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { HostStats, RunEvent } from "../../../../engine/events.js";
import { repoRoot } from "../../../helpers/rems-play.js";

export const AUDIT_HOSTS = ["lab1", "lab2", "lab3", "lab4"] as const;

export function recordedAudit(): RunEvent[] {
  return JSON.parse(readFileSync(join(repoRoot, "test/golden/reports/audit.events.json"), "utf8")) as RunEvent[];
}

/** The recap event of the recorded audit: the engine's counters per host. */
export function recordedRecap(): Readonly<Record<string, HostStats>> {
  const recap = recordedAudit().find((e) => e.type === "recap");
  if (recap?.type !== "recap") throw new Error("the recorded audit has no recap");
  return recap.hosts;
}
