/**
 * The host's services as Ansible's service_facts sees them on a Debian host: the init scripts `service
 * --status-all` lists (when there is no chkconfig or OpenRC), and systemd's service units from `systemctl
 * list-units` and `list-unit-files`, with the ActiveState of the unit files no unit is loaded for. One probe asks
 * all of it, in the C locale as Ansible's modules run, so it travels in the play's batched probe; the parser
 * reads the lines exactly as service_facts does, down to which words mark a unit as broken.
 */
import { sh } from "../../engine/command.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

/** One entry of ansible_facts.services: `status` for systemd units (enabled, static, not-found ...), none for sysv. */
export interface ServiceEntry {
  name: string;
  state: string;
  status?: string;
  source: "sysv" | "systemd";
}

/** The statuses of a unit service_facts keeps over its unit file's state. */
const BAD_STATES = ["not-found", "masked", "failed"];

/** Section markers of the probe's output. */
const SECTION = /^#rems:(sysv|units|unit-files|active-states)$/;

// Unit files no unit is loaded for get their ActiveState from one `systemctl show` (a template such as getty@.service
// has none: Ansible's own `systemctl show` of it fails, and it reports "unknown").
const PROBE = sh`export LC_ALL=C
if command -v service >/dev/null 2>&1 && ! command -v chkconfig >/dev/null 2>&1 && ! command -v rc-status >/dev/null 2>&1; then echo '#rems:sysv'; service --status-all 2>/dev/null; fi
if grep -q systemd /proc/1/comm 2>/dev/null && command -v systemctl >/dev/null 2>&1; then
  echo '#rems:units'; systemctl list-units --no-pager --type service --all
  files=$(systemctl list-unit-files --no-pager --type service --all)
  echo '#rems:unit-files'; printf '%s\\n' "$files"
  names=$(printf '%s\\n' "$files" | awk 'index($0, ".service") && $1 !~ /@\\./ { print $1 }')
  if [ -n "$names" ]; then echo '#rems:active-states'; systemctl show --property=ActiveState -- $names; fi
fi
true`;

function sections(stdout: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split("\n")) {
    const marker = SECTION.exec(line);
    if (marker?.[1] !== undefined) {
      current = [];
      found.set(marker[1], current);
    } else current?.push(line);
  }
  return found;
}

/** `service --status-all` lines: "[ + ]  ssh" running, "[ - ]  procps" stopped. */
function sysvServices(lines: readonly string[], services: Map<string, ServiceEntry>): void {
  for (const line of lines) {
    const match = /^\s*\[ ([+-]) \]\s+(.+)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    services.set(match[2], { name: match[2], state: match[1] === "+" ? "running" : "stopped", source: "sysv" });
  }
}

/** list-units lines: a broken unit's line starts with a bullet and names its status; the others say active or inactive. */
function loadedUnits(lines: readonly string[], services: Map<string, ServiceEntry>): void {
  for (const line of lines.filter((l) => l.includes(".service"))) {
    let fields = line.split(/\s+/).filter((field) => field !== "");
    const bad = BAD_STATES.find((state) => fields.includes(state));
    if (bad !== undefined) fields = fields.slice(1);
    const [name, , active, sub] = fields;
    // Ansible's module would stop with an IndexError on a line this short; there is no such line in systemctl's output.
    if (name === undefined || active === undefined || sub === undefined) continue;
    services.set(name, { name, state: sub === "running" ? "running" : "stopped", status: bad ?? active, source: "systemd" });
  }
}

/** list-unit-files lines: a unit file's state is the status of its unit, unless that unit is broken. */
function unitFiles(lines: readonly string[], activeStates: readonly string[] | undefined, services: Map<string, ServiceEntry>): void {
  const files = lines.filter((l) => l.includes(".service")).map((l) => l.split(/\s+/).filter((field) => field !== ""));
  const shown = files.map(([name]) => name ?? "").filter((name) => !/@\./.test(name));
  const blocks = activeStates?.join("\n").trim().split(/\n\n+/) ?? [];
  const stateOf = new Map(blocks.length === shown.length ? shown.map((name, i) => [name, blocks[i]?.replace(/^ActiveState=/, "").trimEnd() ?? ""]) : []);
  for (const [name, status] of files) {
    if (name === undefined || status === undefined) continue;
    const known = services.get(name);
    if (known === undefined) {
      const state = stateOf.get(name);
      services.set(name, { name, state: state === undefined || state === "" ? "unknown" : state, status, source: "systemd" });
    } else if (!BAD_STATES.includes(known.status ?? "")) known.status = status;
  }
}

/** The probe's output as service_facts' `services`, keyed as Ansible keys them (init scripts by name, units by unit name). */
export function parseServices(output: ProbeOutput): Record<string, ServiceEntry> {
  const found = sections(output.stdout);
  const services = new Map<string, ServiceEntry>();
  sysvServices(found.get("sysv") ?? [], services);
  loadedUnits(found.get("units") ?? [], services);
  unitFiles(found.get("unit-files") ?? [], found.get("active-states"), services);
  return Object.fromEntries(services);
}

export const servicesFact = defineFact<Record<string, ServiceEntry>, Record<string, never>>({
  name: "services",
  command: () => PROBE,
  parse: parseServices,
});
