import assert from "node:assert/strict";
/**
 * Lab hosts for e2e tests: real Debian hosts (12, or 13 when a test asks) booted by the project's lab (lab/), torn down after the test even
 * when it fails. A test names a prefix; its lab takes the first free name of it (PREFIX-1, PREFIX-2 ..., see
 * claimLab), so two runs on one machine never take each other's labs. Where the lab cannot run (not Linux, not
 * root) a test is skipped with the reason, except under CI=true, where that is a failure: CI must run the e2e suite
 * on real hosts.
 */
import { after } from "node:test";
import type { TestContext } from "node:test";
import { claimLab, labDown, labUp } from "../../lab/lab.js";
import { labUnavailableReason } from "../../lab/prerequisites.js";
import type { Release } from "../../lab/release.js";
import { ssh } from "../../lab/ssh.js";
import type { ExecResult } from "../../lab/exec.js";

export interface LabHost {
  name: string;
  address: string;
}

export interface Lab {
  name: string;
  hosts: LabHost[];
  inventoryPath: string;
  keyPath: string;
  knownHostsPath: string;
  /** Runs COMMAND as root on HOST (a host name) with the system ssh client; never throws for a non-zero exit. */
  ssh(host: string, command: string): Promise<ExecResult>;
  down(): Promise<void>;
}

/** COMMAND's stdout, run as root on HOST of LAB; a non-zero exit fails the test with the command and its stderr. */
export function rootShell(lab: Lab, host: string): (command: string) => Promise<string> {
  return async (command) => {
    const result = await lab.ssh(host, command);
    assert.equal(result.code, 0, `${command}\n${result.stderr}${result.stdout}`);
    return result.stdout;
  };
}

/**
 * True when the lab can run here. Otherwise the test T is skipped with the reason and false returned, except
 * under CI=true, where it throws.
 */
export function labAvailable(t: TestContext): boolean {
  return available(t, labUnavailableReason(), "the e2e tests on lab hosts");
}

/**
 * The one rule for what a test needs from the machine (the lab, ansible, tmux): with `reason` set, the test is
 * skipped with it, except under CI=true, where CI must run `what` and the missing piece is a failure.
 */
export function available(t: TestContext, reason: string | undefined, what: string): boolean {
  if (reason === undefined) return true;
  if (process.env["CI"] === "true") throw new Error(`CI must run ${what}, but ${reason}`);
  t.skip(reason);
  return false;
}

/** Boots COUNT hosts of RELEASE (the lab's default when undefined) in the lab NAME claimed. */
async function boot(name: string, count: number, release: Release | undefined): Promise<Lab> {
  const log = (line: string): void => {
    process.stderr.write(`# lab ${name}: ${line}\n`);
  };
  const up = await labUp(name, count, release === undefined ? { log } : { log, release });
  const hosts = up.hosts.map((host) => ({ name: host.name, address: host.address }));
  return {
    name,
    hosts,
    inventoryPath: up.inventoryPath,
    keyPath: up.keyPath,
    knownHostsPath: up.knownHostsPath,
    ssh(host, command) {
      const found = hosts.find((h) => h.name === host);
      if (found === undefined) throw new Error(`lab ${name} has no host ${host}`);
      return ssh({ address: found.address, keyPath: up.keyPath, knownHostsPath: up.knownHostsPath }, command);
    },
    down: () => labDown(name),
  };
}

/**
 * Boots COUNT hosts (of RELEASE, bookworm unless given) in a free lab named PREFIX-N for the test T, and downs them
 * when T ends. Undefined when T was skipped.
 */
export async function bootLab(t: TestContext, prefix: string, count: number, release?: Release): Promise<Lab | undefined> {
  if (!labAvailable(t)) return undefined;
  const name = await claimLab(prefix);
  t.after(() => labDown(name));
  return boot(name, count, release);
}

export interface SharedLab {
  /** The lab, booted by the first test that asks; undefined when the test was skipped. */
  use(t: TestContext): Promise<Lab | undefined>;
}

/**
 * One lab for several tests of a file: call at the file's top level (or in a describe body); the lab (a free one
 * named PREFIX-N, of RELEASE's hosts, bookworm unless given) boots on first use and goes down after the file's (or
 * describe's) last test.
 */
export function sharedLab(prefix: string, count: number, release?: Release): SharedLab {
  let claimed: Promise<string> | undefined;
  let booting: Promise<Lab> | undefined;
  after(async () => {
    if (claimed !== undefined) await labDown(await claimed);
  });
  return {
    async use(t) {
      if (!labAvailable(t)) return undefined;
      claimed ??= claimLab(prefix);
      booting ??= claimed.then((name) => boot(name, count, release));
      return booting;
    },
  };
}
