/**
 * A lab's state file is written before each resource is created (an intent log), so `down`, and `up` after a
 * killed run, can find and remove everything a lab ever added. One lock serialises lab changes on the machine.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { LabError } from "./lab-error.js";
import { labPaths, lockPath, stateRoot } from "./paths.js";
import type { Release } from "./release.js";

export interface HostState {
  name: string;
  index: number;
  netns: string;
  /** directory of the host's overlay: upper, work and the merged root */
  dir: string;
  /** the systemd-nspawn process and its start time (to tell it from a later process with the same pid) */
  pid?: number;
  pidStart?: string;
}

export interface LabState {
  lab: string;
  /** The Debian release its hosts run (absent in a lab claimed but not booted yet, and in labs of earlier versions: bookworm). */
  release?: Release | undefined;
  hosts: HostState[];
  /**
   * The process the lab belongs to, when it claimed a free name (a test, see claimLab): once that process is gone
   * the lab is a leftover, and its name is free again.
   */
  owner?: { pid: number; start: string } | undefined;
}

export function readState(lab: string): LabState | undefined {
  const path = labPaths(lab).state;
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as LabState;
}

export function writeState(state: LabState): void {
  const paths = labPaths(state.lab);
  mkdirSync(paths.dir, { recursive: true });
  const tmp = `${paths.state}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n");
  renameSync(tmp, paths.state);
}

/** Names of labs that have a state file. */
export function labNames(): string[] {
  if (!existsSync(stateRoot)) return [];
  return readdirSync(stateRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(stateRoot, entry.name, "state.json")))
    .map((entry) => entry.name)
    .sort();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs FN holding the machine-wide lab lock; a lock left by a dead process is taken over. */
export async function withLabLock<T>(fn: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  mkdirSync(stateRoot, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Written aside and linked into place, so the lock never exists without its holder's pid.
    const mine = `${lockPath}.${process.pid}`;
    writeFileSync(mine, String(process.pid));
    try {
      linkSync(mine, lockPath);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockPath, "utf8").trim());
      if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
        unlinkSync(lockPath);
        continue;
      }
      if (Date.now() > deadline) throw new LabError(`another lab command (pid ${holder}) holds ${lockPath}`);
      await sleep(250);
    } finally {
      unlinkSync(mine);
    }
  }
  try {
    return await fn();
  } finally {
    unlinkSync(lockPath);
  }
}
