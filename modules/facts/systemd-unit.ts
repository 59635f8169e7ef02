/**
 * The state of one systemd unit from `systemctl show` (several units wanted at once share one `systemctl`). A
 * unit systemd cannot find has loadState "not-found".
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface SystemdUnitArgs {
  /** Full unit name: "rems.service". */
  unit: string;
}

export interface SystemdUnit {
  /** "loaded", "not-found", "masked", "error", "bad-setting". */
  loadState: string;
  /** "active", "inactive", "failed", "activating", "deactivating", "reloading". */
  activeState: string;
  subState: string;
  /** "enabled", "disabled", "static", "masked", "indirect", ... ; "" for a unit without a unit file. */
  unitFileState: string;
  /** The unit file changed on disk since systemd loaded it. */
  needDaemonReload: boolean;
  canReload: boolean;
}

const PROPERTIES = ["LoadState", "ActiveState", "SubState", "UnitFileState", "NeedDaemonReload", "CanReload"];

export function parseSystemdUnit(output: ProbeOutput, args: SystemdUnitArgs): SystemdUnit {
  const values = new Map<string, string>();
  for (const line of output.stdout.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1));
  }
  const get = (key: string): string => {
    const value = values.get(key);
    if (output.code !== 0 || value === undefined) {
      throw new FactError(`systemctl show ${args.unit}: no ${key} in ${JSON.stringify(output.stdout.slice(0, 300))} (exit code ${output.code})`);
    }
    return value;
  };
  return {
    loadState: get("LoadState"),
    activeState: get("ActiveState"),
    subState: get("SubState"),
    unitFileState: get("UnitFileState"),
    needDaemonReload: get("NeedDaemonReload") === "yes",
    canReload: get("CanReload") === "yes",
  };
}

export const systemdUnitFact = defineFact<SystemdUnit, SystemdUnitArgs>({
  name: "systemd_unit",
  command: (args) => sh`systemctl show -p ${PROPERTIES.join(",")} -- ${args.unit}`,
  parse: parseSystemdUnit,
  // `systemctl show` of several units prints their blocks in order, separated by an empty line.
  many: {
    command: (list) => sh`systemctl show -p ${PROPERTIES.join(",")} -- ${list.map((a) => a.unit)}`,
    split: (output, list) => {
      const blocks = output.stdout.replace(/\n$/, "").split("\n\n");
      if (output.code !== 0 || blocks.length !== list.length) {
        throw new FactError(`systemctl show of ${list.length} units: ${blocks.length} blocks (exit code ${output.code})`);
      }
      return blocks.map((block) => ({ stdout: `${block}\n`, code: 0 }));
    },
  },
});
