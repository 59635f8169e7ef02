/**
 * The unit files and directories changed since systemd last read its units (its UnitsLoadTimestamp, renewed by
 * every daemon-reload), for a `daemon_reload` task without a unit: the reload has something to do only when there
 * is one. Unlike a unit's NeedDaemonReload, this sees new unit files and new drop-in directories too. At most 20
 * paths are listed: one is enough to decide.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

/** Where units and drop-ins are read from (systemd.unit(5)); generated and transient units are systemd's own. */
const UNIT_DIRS = ["/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system"];

export function parseReloadNeeded(output: ProbeOutput): string[] {
  if (output.code !== 0) throw new FactError(`systemd's last unit load time could not be read (exit code ${output.code}): ${JSON.stringify(output.stdout.slice(0, 300))}`);
  return output.stdout.split("\n").filter((line) => line !== "");
}

export const systemdReloadNeededFact = defineFact<string[], Record<string, never>>({
  name: "systemd_reload_needed",
  // The timestamp reads "Sun 2026-12-06 06:40:55.899908 UTC"; find takes it without the weekday, to the microsecond.
  command: () =>
    sh`ts=$(systemctl show -p UnitsLoadTimestamp --value --timestamp=us+utc) && [ -n "$ts" ] && { find ${UNIT_DIRS} -newermt "\${ts#* }" 2>/dev/null | head -n 20; }`,
  parse: parseReloadNeeded,
});
