/**
 * Where the lab keeps things and how its machine-side objects are named. The names carry the lab name so that
 * leftovers of a killed run can be found again, and several labs can live side by side.
 */
import { join } from "node:path";
import { LabError } from "./lab-error.js";

/** Image and lab key: built once, kept across labs and runs, outside the repository. */
export const cacheDir = "/var/cache/rems-play/lab";
/** One directory per lab: state.json, inventory, known_hosts, host layers. */
export const stateRoot = "/var/lib/rems-play-lab";

export const keyPath = join(cacheDir, "id_ed25519");
export const lockPath = join(stateRoot, ".lock");
/** The machine's sysctl values before the first lab raised them; restored when the last lab goes down. */
export const savedSysctlsPath = join(stateRoot, "sysctl.saved.json");

const LAB_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

export function checkLabName(name: string): string {
  if (!LAB_NAME.test(name)) {
    throw new LabError(`invalid lab name ${JSON.stringify(name)}: use lowercase letters, digits and "-" (at most 31)`);
  }
  return name;
}

export interface LabPaths {
  dir: string;
  state: string;
  inventory: string;
  knownHosts: string;
  hostsDir: string;
}

export function labPaths(lab: string): LabPaths {
  const dir = join(stateRoot, checkLabName(lab));
  return {
    dir,
    state: join(dir, "state.json"),
    inventory: join(dir, "inventory.yml"),
    knownHosts: join(dir, "known_hosts"),
    hostsDir: join(dir, "hosts"),
  };
}

/** Network namespace of a lab host; "." cannot occur in lab names, so the prefix of one lab never matches another. */
export function netnsName(lab: string, host: string): string {
  return `${netnsPrefix(lab)}${host}`;
}

export function netnsPrefix(lab: string): string {
  return `rems-${lab}.`;
}

/** The iptables comment that tags a lab's NAT rules. */
export function ruleTag(lab: string, host: string): string {
  return `rems-lab:${lab}:${host}`;
}

export function hostName(position: number): string {
  return `lab${position}`;
}
