/**
 * Each lab host gets a private /24 of its own, 10.88.<index>.0/24: the machine end of its veth pair is .1, the host
 * is .2. Indexes are unique across all labs on the machine.
 */
import { LabError } from "./lab-error.js";

export const MAX_INDEX = 254;

/** Every lab host's subnet is inside it: traffic between lab hosts stays inside, not masqueraded (network.ts). */
export const LAB_SUPERNET = "10.88.0.0/16";

export interface HostNet {
  index: number;
  /** machine-side veth end */
  veth: string;
  gateway: string;
  address: string;
  subnet: string;
}

export function hostNet(index: number): HostNet {
  return {
    index,
    veth: `rlab${index}`,
    gateway: `10.88.${index}.1`,
    address: `10.88.${index}.2`,
    subnet: `10.88.${index}.0/24`,
  };
}

/** The lowest COUNT indexes in 1..254 not in USED. */
export function allocateIndexes(used: ReadonlySet<number>, count: number): number[] {
  const free: number[] = [];
  for (let index = 1; index <= MAX_INDEX && free.length < count; index++) {
    if (!used.has(index)) free.push(index);
  }
  if (free.length < count) {
    throw new LabError(`no room for ${count} more lab hosts: ${used.size} of ${MAX_INDEX} subnets are in use`);
  }
  return free;
}

/** Indexes of machine-side veth ends that exist now (from `ip -o link` output), including foreign leftovers. */
export function vethIndexes(ipLinkOutput: string): number[] {
  const indexes: number[] = [];
  for (const match of ipLinkOutput.matchAll(/^\d+:\s+rlab(\d+)[@:]/gm)) {
    indexes.push(Number(match[1]));
  }
  return indexes;
}
