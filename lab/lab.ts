/**
 * Labs: `up` boots N hosts (in parallel) and writes their inventory, `down` removes exactly what `up` added.
 * `up` first cleans whatever an earlier run of the same lab left, so a killed run never blocks the next one.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allocateIndexes, hostNet } from "./addresses.js";
import { hostResolvConf } from "./dns.js";
import { bootHost, hostLayout, prepareRoot, removeRoot, stopHost, waitReady } from "./hosts.js";
import { processStart } from "./processes.js";
import type { Readiness } from "./hosts.js";
import { ensureImage, ensureKey } from "./image.js";
import { knownHostsLines, renderInventory } from "./inventory.js";
import { LabError } from "./lab-error.js";
import { createHostNetwork, deleteLabRules, deleteLink, deleteNetns, labNetnses, usedVethIndexes } from "./network.js";
import { raiseSysctls, restoreSysctls } from "./sysctl.js";
import { checkLabName, hostName, labPaths, netnsName, netnsPrefix } from "./paths.js";
import { ensurePrerequisites } from "./prerequisites.js";
import { DEFAULT_RELEASE } from "./release.js";
import type { Release } from "./release.js";
import { labNames, readState, withLabLock, writeState } from "./state.js";
import type { HostState, LabState } from "./state.js";

export interface UpHost {
  name: string;
  address: string;
  readiness: Readiness;
}

export interface UpResult {
  lab: string;
  release: Release;
  hosts: UpHost[];
  inventoryPath: string;
  keyPath: string;
  knownHostsPath: string;
}

export interface LabOptions {
  log?: (line: string) => void;
}

export interface UpOptions extends LabOptions {
  /** The Debian release of every host of the lab; bookworm unless given. */
  release?: Release;
}

const quiet = (): void => undefined;

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** What every host of a boot is made from. */
interface BootInputs {
  release: Release;
  image: string;
  key: string;
  authorizedKey: string;
  resolvConf: string;
}

export async function labUp(lab: string, count: number, options: UpOptions = {}): Promise<UpResult> {
  const log = options.log ?? quiet;
  const release = options.release ?? DEFAULT_RELEASE;
  if (!Number.isInteger(count) || count < 1) throw new LabError(`the number of lab hosts must be a positive integer, not ${count}`);
  await ensurePrerequisites(log);
  const image = await ensureImage(release, log);
  const key = await ensureKey();
  const resolvConf = hostResolvConf(readFileSync("/etc/resolv.conf", "utf8"));
  if (resolvConf === undefined) {
    throw new LabError("/etc/resolv.conf names no resolver a lab host can reach (only loopback ones); lab hosts need DNS");
  }
  const inputs: BootInputs = { release, image, key, authorizedKey: readFileSync(`${key}.pub`, "utf8"), resolvConf };
  return withLabLock(async () => {
    const owner = readState(lab)?.owner;
    await teardown(lab, log);
    try {
      return await boot(lab, count, inputs, log, owner);
    } catch (error) {
      log(`boot failed, removing lab "${lab}"`);
      await teardown(lab, log);
      throw error;
    }
  });
}

async function boot(lab: string, count: number, inputs: BootInputs, log: (line: string) => void, owner: LabState["owner"]): Promise<UpResult> {
  const paths = labPaths(lab);
  const used = new Set<number>(await usedVethIndexes());
  for (const other of labNames()) for (const host of readState(other)?.hosts ?? []) used.add(host.index);
  const state: LabState = {
    lab,
    release: inputs.release,
    owner,
    hosts: allocateIndexes(used, count).map((index, i) => {
      const name = hostName(i + 1);
      return { name, index, netns: netnsName(lab, name), dir: join(paths.hostsDir, name) };
    }),
  };
  writeState(state);
  raiseSysctls();
  const started = Date.now();
  log(`booting ${count} ${inputs.release} lab host${count === 1 ? "" : "s"} of lab "${lab}"`);
  const hostKeys = await Promise.all(
    state.hosts.map(async (host) => {
      await createHostNetwork(lab, host.name, host.netns, hostNet(host.index));
      return prepareRoot(hostLayout(host.dir), inputs.image, host.name, inputs.resolvConf, inputs.authorizedKey);
    }),
  );
  const knownHosts = state.hosts.flatMap((host, i) => knownHostsLines(hostNet(host.index).address, hostKeys[i] ?? []));
  writeFileSync(paths.knownHosts, knownHosts.join("\n") + "\n");
  for (const host of state.hosts) Object.assign(host, bootHost(hostLayout(host.dir), host.name, host.netns));
  writeState(state);
  const hosts = await Promise.all(
    state.hosts.map(async (host): Promise<UpHost> => {
      const address = hostNet(host.index).address;
      const target = { address, keyPath: inputs.key, knownHostsPath: paths.knownHosts };
      const readiness = await waitReady(hostLayout(host.dir), host.name, host.pid ?? 0, target);
      const failed = readiness.failedUnits.length > 0 ? ` (failed units: ${readiness.failedUnits.join(", ")})` : "";
      log(`${host.name} ${address} ${readiness.state}${failed} after ${seconds(started)}`);
      return { name: host.name, address, readiness };
    }),
  );
  writeFileSync(paths.inventory, renderInventory(hosts, inputs.key, paths.knownHosts));
  return { lab, release: inputs.release, hosts, inventoryPath: paths.inventory, keyPath: inputs.key, knownHostsPath: paths.knownHosts };
}

/**
 * Removes everything of LAB: processes, NAT rules, namespaces and links, overlays, and its state directory. Hosts
 * are gathered from the state file and also from the lab's namespaces and host directories, so nothing escapes
 * even when the state file is gone.
 */
async function teardown(lab: string, log: (line: string) => void): Promise<void> {
  const paths = labPaths(lab);
  const hosts = new Map<string, HostState>();
  for (const host of readState(lab)?.hosts ?? []) hosts.set(host.name, host);
  const strayNames = [
    ...(await labNetnses(lab)).map((netns) => netns.slice(netnsPrefix(lab).length)),
    ...(existsSync(paths.hostsDir) ? readdirSync(paths.hostsDir) : []),
  ];
  for (const name of strayNames) {
    if (!hosts.has(name)) hosts.set(name, { name, index: 0, netns: netnsName(lab, name), dir: join(paths.hostsDir, name) });
  }
  if (hosts.size > 0) log(`stopping ${hosts.size} host${hosts.size === 1 ? "" : "s"} of lab "${lab}"`);
  await Promise.all([...hosts.values()].map((host) => stopHost(hostLayout(host.dir), host.netns, host.pid, host.pidStart)));
  await deleteLabRules(lab);
  for (const host of hosts.values()) {
    // The machine's veth end first: deleting it removes the pair at once, whereas a deleted namespace's links
    // are cleaned up by the kernel later.
    if (host.index > 0) await deleteLink(hostNet(host.index).veth);
    await deleteNetns(host.netns);
    await removeRoot(hostLayout(host.dir));
  }
  rmSync(paths.dir, { recursive: true, force: true });
  if (labNames().length === 0) restoreSysctls();
}

/**
 * Claims the first free lab name PREFIX-1, PREFIX-2 ... for this process, so that runs side by side on one machine
 * (two people's tests, a demo) never take each other's labs: a name is free when no lab has it, or when the process
 * that claimed it is gone (its leftovers are removed then). `labUp` of the name keeps the claim; `labDown` ends it.
 */
export async function claimLab(prefix: string, options: LabOptions = {}): Promise<string> {
  const log = options.log ?? quiet;
  const start = processStart(process.pid);
  if (start === undefined) throw new LabError("cannot read this process's start time from /proc");
  return withLabLock(async () => {
    for (let n = 1; ; n++) {
      const lab = checkLabName(`${prefix}-${n}`);
      const owner = readState(lab)?.owner;
      const free = !labNames().includes(lab) || (owner !== undefined && processStart(owner.pid) !== owner.start);
      if (!free) continue;
      await teardown(lab, log);
      writeState({ lab, hosts: [], owner: { pid: process.pid, start } });
      return lab;
    }
  });
}

export async function labDown(lab: string, options: LabOptions = {}): Promise<void> {
  const log = options.log ?? quiet;
  await withLabLock(() => teardown(lab, log));
}

export interface LabStatus {
  lab: string;
  release: Release;
  hosts: { name: string; address: string; running: boolean }[];
  inventoryPath: string | undefined;
}

export function labStatus(lab: string): LabStatus | undefined {
  const state = readState(lab);
  if (state === undefined) return undefined;
  const paths = labPaths(lab);
  return {
    lab,
    release: state.release ?? DEFAULT_RELEASE,
    hosts: state.hosts.map((host) => ({
      name: host.name,
      address: hostNet(host.index).address,
      running: host.pid !== undefined && processStart(host.pid) === host.pidStart,
    })),
    inventoryPath: existsSync(paths.inventory) ? paths.inventory : undefined,
  };
}
