/**
 * The unit files that enable a unit, as `systemctl is-enabled --full` lists them under its state. For an
 * "indirect" unit (its [Install] names other units with Also=) the state alone does not say whether those are
 * enabled: the listed links do, and Ansible's systemd counts an indirect unit without links as disabled.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface SystemdLinksArgs {
  /** Full unit name: "dummy.service". */
  unit: string;
}

export interface SystemdLinks {
  /** The state is-enabled prints first ("indirect", "enabled", ...). */
  state: string;
  /** The symlinks listed after it. */
  links: string[];
}

export function parseSystemdLinks(output: ProbeOutput, args: SystemdLinksArgs): SystemdLinks {
  const [state, ...links] = output.stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  // Exit code 1 is "not enabled"; a state is printed either way. Anything else is systemctl failing.
  if (state === undefined || output.code > 1) throw new FactError(`systemctl is-enabled --full ${args.unit}: ${JSON.stringify(output.stdout.slice(0, 300))} (exit code ${output.code})`);
  return { state, links };
}

export const systemdLinksFact = defineFact<SystemdLinks, SystemdLinksArgs>({
  name: "systemd_links",
  command: (args) => sh`systemctl is-enabled --full -- ${args.unit}`,
  parse: parseSystemdLinks,
});
