/**
 * One lab host: an overlay over the cached image, its own identity (SSH host keys, machine id, hostname, the lab
 * key for root and for the deploy users of deploy-users.ts), and a systemd-nspawn process booting it in the host's
 * network namespace. The machine has no systemd of its own, so nspawn runs as a detached child whose pid is kept in
 * the lab state.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { run, runChecked } from "./exec.js";
import { addDeployUsers } from "./deploy-users.js";
import { LabError } from "./lab-error.js";
import { mountsUnder, unmountUnder } from "./mounts.js";
import { processStart } from "./processes.js";
import { ssh } from "./ssh.js";
import type { SshTarget } from "./ssh.js";

export interface HostLayout {
  dir: string;
  root: string;
  upper: string;
  work: string;
  console: string;
}

export function hostLayout(dir: string): HostLayout {
  return { dir, root: join(dir, "root"), upper: join(dir, "upper"), work: join(dir, "work"), console: join(dir, "console.log") };
}

const HOST_KEY_TYPES = ["ed25519", "ecdsa"];

/** Mounts the host's overlay and gives it its own identity; returns its SSH host public keys. */
export async function prepareRoot(layout: HostLayout, image: string, name: string, resolvConf: string, authorizedKey: string): Promise<string[]> {
  for (const dir of [layout.root, layout.upper, layout.work]) mkdirSync(dir, { recursive: true });
  await runChecked("mount", ["-t", "overlay", "overlay", "-o", `lowerdir=${image},upperdir=${layout.upper},workdir=${layout.work}`, layout.root]);
  const etc = join(layout.root, "etc");
  const sshDir = join(etc, "ssh");
  for (const file of readdirSync(sshDir).filter((entry) => entry.startsWith("ssh_host_"))) rmSync(join(sshDir, file));
  // ed25519 and ECDSA only: an RSA key takes seconds to generate, which adds up over many hosts on two cores.
  await Promise.all(HOST_KEY_TYPES.map((type) => runChecked("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", `root@${name}`, "-f", join(sshDir, `ssh_host_${type}_key`)])));
  writeFileSync(join(sshDir, "sshd_config.d/rems-lab-host-keys.conf"), HOST_KEY_TYPES.map((type) => `HostKey /etc/ssh/ssh_host_${type}_key\n`).join(""));
  writeFileSync(join(etc, "machine-id"), randomBytes(16).toString("hex") + "\n");
  writeFileSync(join(etc, "hostname"), name + "\n");
  writeFileSync(join(etc, "hosts"), `127.0.0.1\tlocalhost\n127.0.1.1\t${name}\n::1\tlocalhost ip6-localhost ip6-loopback\n`);
  // Replaced, not written through: in an image it can be a symlink pointing out of the host's root.
  rmSync(join(etc, "resolv.conf"), { force: true });
  writeFileSync(join(etc, "resolv.conf"), resolvConf);
  const rootSsh = join(layout.root, "root/.ssh");
  mkdirSync(rootSsh, { recursive: true, mode: 0o700 });
  chmodSync(rootSsh, 0o700);
  writeFileSync(join(rootSsh, "authorized_keys"), authorizedKey, { mode: 0o600 });
  await addDeployUsers(layout.root, authorizedKey);
  return readdirSync(sshDir)
    .filter((entry) => entry.startsWith("ssh_host_") && entry.endsWith(".pub"))
    .sort()
    .map((entry) => readFileSync(join(sshDir, entry), "utf8"));
}

/** Starts systemd-nspawn booting the host, detached; its console goes to console.log. */
export function bootHost(layout: HostLayout, name: string, netns: string): { pid: number; pidStart: string } {
  const consoleFd = openSync(layout.console, "a");
  const child = spawn(
    "systemd-nspawn",
    [
      "--boot",
      `--directory=${layout.root}`,
      `--machine=${name}`,
      "--register=no",
      "--keep-unit",
      `--network-namespace-path=/run/netns/${netns}`,
      "--capability=CAP_NET_ADMIN",
      "--resolv-conf=off",
      "--timezone=off",
      "--console=read-only",
    ],
    // /proc/sys/net writable: each host has its own network namespace, so the network sysctls a hardening role
    // sets (rp_filter, redirects, syncookies) are the host's own; the rest of /proc/sys stays read-only.
    { detached: true, stdio: ["ignore", consoleFd, consoleFd], env: { ...process.env, SYSTEMD_NSPAWN_API_VFS_WRITABLE: "network" } },
  );
  closeSync(consoleFd);
  child.unref();
  if (child.pid === undefined) throw new LabError(`cannot start systemd-nspawn for ${name}`);
  return { pid: child.pid, pidStart: processStart(child.pid) ?? "" };
}

export interface Readiness {
  state: "running" | "degraded";
  failedUnits: string[];
}

function consoleTail(layout: HostLayout): string {
  if (!existsSync(layout.console)) return "";
  return readFileSync(layout.console, "utf8").trim().split("\n").slice(-15).join("\n");
}

/** The host's failed units (a name as systemd lists it: letters, digits, @ . _ - : and backslash). */
async function failedUnits(target: SshTarget): Promise<string[]> {
  const listed = await ssh(target, "systemctl list-units --failed --plain --no-legend");
  return listed.stdout.split("\n").map((line) => line.split(" ")[0] ?? "").filter((unit) => /^[\w@.:\\-]+$/.test(unit));
}

/** Waits until sshd answers and systemd has finished booting (running, or degraded with the failed units named). */
export async function waitReady(layout: HostLayout, name: string, pid: number, target: SshTarget, timeoutMs = 180_000): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (!existsSync(`/proc/${pid}`)) {
      throw new LabError(`lab host ${name} stopped while booting; its console:\n${consoleTail(layout)}`, { host: name });
    }
    const result = await ssh(target, "systemctl is-system-running --wait", 120_000);
    const state = result.stdout.trim();
    if (state === "running") return { state, failedUnits: [] };
    if (state === "degraded") {
      // On a loaded machine a boot unit can time out. systemd-user-sessions is one, and it leaves /run/nologin, which
      // refuses every login but root's (the lab's deploy users, a test's own user): each failed unit starts again once.
      const failed = await failedUnits(target);
      if (failed.length > 0) await ssh(target, `systemctl restart ${failed.join(" ")}`, 120_000);
      const still = await failedUnits(target);
      return still.length === 0 ? { state: "running", failedUnits: [] } : { state, failedUnits: still };
    }
    last = (result.stderr || result.stdout).trim();
    await sleep(300);
  }
  throw new LabError(`lab host ${name} (${target.address}) was not ready after ${timeoutMs / 1000} s: ${last}\n${consoleTail(layout)}`, { host: name });
}

function processesRootedAt(root: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/root`) === root) pids.push(Number(entry));
    } catch {
      // the process ended while we looked, or is not ours to inspect
    }
  }
  return pids;
}

/** Every process that belongs to the host: those running in its root or in its network namespace. */
export async function hostProcesses(root: string, netns: string): Promise<number[]> {
  const inNetns = existsSync(`/run/netns/${netns}`) ? await run("ip", ["netns", "pids", netns]) : { stdout: "" };
  const fromNetns = inNetns.stdout.split("\n").filter(Boolean).map(Number);
  return [...new Set([...processesRootedAt(root), ...fromNetns])].filter((pid) => pid !== process.pid);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

async function waitGone(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(200);
  }
  return check();
}

/**
 * Powers the host off: SIGTERM makes nspawn send SIGRTMIN+3 to the host's systemd (an orderly shutdown); whatever
 * is still running after the grace period, or was left by a killed run, is killed.
 */
export async function stopHost(layout: HostLayout, netns: string, pid: number | undefined, pidStart: string | undefined): Promise<void> {
  const ours = pid !== undefined && processStart(pid) === pidStart;
  if (ours) {
    signal(pid, "SIGTERM");
    await waitGone(() => Promise.resolve(processStart(pid) !== pidStart), 20_000);
    if (processStart(pid) === pidStart) signal(pid, "SIGKILL");
  }
  const stopped = await waitGone(async () => {
    const left = await hostProcesses(layout.root, netns);
    for (const leftover of left) signal(leftover, "SIGKILL");
    return left.length === 0;
  }, 10_000);
  if (!stopped) throw new LabError(`processes of lab host ${layout.dir} survived SIGKILL`);
}

/** Unmounts the host's overlay and removes its layers. */
export async function removeRoot(layout: HostLayout): Promise<void> {
  await unmountUnder(layout.dir);
  if (mountsUnder(layout.dir).length > 0) throw new LabError(`cannot unmount ${layout.dir}`);
  rmSync(layout.dir, { recursive: true, force: true });
}
