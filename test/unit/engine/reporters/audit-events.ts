/**
 * The recorded audit the report tests render (test/golden/reports/audit.events.json): a check run over four hosts,
 * lab1 with two drifts, a pending change and two unknown results, lab2 clean, lab3 unreachable, lab4 never
 * converged (pending changes and a failure).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunEvent } from "../../../../engine/events.js";
import { repoRoot } from "../../../helpers/rems-play.js";

export const AUDIT_HOSTS = ["lab1", "lab2", "lab3", "lab4"] as const;

export function recordedAudit(): RunEvent[] {
  return JSON.parse(readFileSync(join(repoRoot, "test/golden/reports/audit.events.json"), "utf8")) as RunEvent[];
}
