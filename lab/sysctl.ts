/**
 * The machine-wide switches the lab needs: forwarding (for the NAT), and more inotify instances (every host's
 * systemd takes several, and all hosts share root's limit of 128, which runs out at a dozen hosts). Each is raised
 * only when too low, its old value saved by the first lab and put back when the last lab goes down.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { savedSysctlsPath } from "./paths.js";

/** /proc/sys paths and the least value the lab needs. */
export const LAB_SYSCTLS: Readonly<Record<string, number>> = {
  "/proc/sys/net/ipv4/ip_forward": 1,
  "/proc/sys/fs/inotify/max_user_instances": 4096,
};

function saved(): Record<string, string> {
  return existsSync(savedSysctlsPath) ? (JSON.parse(readFileSync(savedSysctlsPath, "utf8")) as Record<string, string>) : {};
}

/** The values to write for CURRENT values so that each is at least what the lab needs; the rest left alone. */
export function sysctlRaises(current: Readonly<Record<string, string>>, needed: Readonly<Record<string, number>> = LAB_SYSCTLS): Record<string, string> {
  const raises: Record<string, string> = {};
  for (const [path, least] of Object.entries(needed)) {
    if (Number(current[path]) < least) raises[path] = String(least);
  }
  return raises;
}

export function raiseSysctls(): void {
  const current = Object.fromEntries(Object.keys(LAB_SYSCTLS).map((path) => [path, readFileSync(path, "utf8").trim()]));
  const raises = sysctlRaises(current);
  const before = saved();
  for (const path of Object.keys(raises)) before[path] ??= current[path] ?? "";
  writeFileSync(savedSysctlsPath, JSON.stringify(before, null, 2) + "\n");
  for (const [path, value] of Object.entries(raises)) writeFileSync(path, value + "\n");
}

/** Puts back what the first lab changed; called once no lab is left. */
export function restoreSysctls(): void {
  for (const [path, value] of Object.entries(saved())) writeFileSync(path, value + "\n");
  rmSync(savedSysctlsPath, { force: true });
}
