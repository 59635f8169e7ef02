/**
 * The loaded units whose unit file changed on disk since systemd last read it (NeedDaemonReload), for a
 * `daemon_reload` task without a unit: the reload has something to do only when one of them exists.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export function parseReloadNeeded(output: ProbeOutput): string[] {
  if (output.code !== 0) throw new FactError(`systemctl show of every unit: exit code ${output.code}`);
  return output.stdout
    .split("\n\n")
    .filter((block) => /^NeedDaemonReload=yes$/m.test(block))
    .map((block) => /^Id=(.*)$/m.exec(block)?.[1] ?? "");
}

export const systemdReloadNeededFact = defineFact<string[], Record<string, never>>({
  name: "systemd_reload_needed",
  command: () => sh`systemctl show -p Id,NeedDaemonReload -- '*'`,
  parse: parseReloadNeeded,
});
