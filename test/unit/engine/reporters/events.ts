/** The recorded event sequence the reporter tests render (test/golden/reporters/run.events.json). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunEvent } from "../../../../engine/events.js";
import { repoRoot } from "../../../helpers/rems-play.js";

export function recordedRun(): RunEvent[] {
  return JSON.parse(readFileSync(join(repoRoot, "test/golden/reporters/run.events.json"), "utf8")) as RunEvent[];
}
