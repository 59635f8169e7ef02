/** Mounts the lab makes (host overlays) or inherits (debootstrap's /proc and /sys), found from mountinfo. */
import { readFileSync } from "node:fs";
import { runChecked } from "./exec.js";

/** Mount points from /proc/self/mountinfo text, with the kernel's octal escapes decoded. */
export function mountPoints(mountinfo: string): string[] {
  return mountinfo
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((point): point is string => point !== undefined)
    .map((point) => point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
}

export function mountsUnder(dir: string): string[] {
  const points = mountPoints(readFileSync("/proc/self/mountinfo", "utf8"));
  return points.filter((point) => point === dir || point.startsWith(`${dir}/`));
}

/** Unmounts everything at or below DIR, deepest first. */
export async function unmountUnder(dir: string): Promise<void> {
  const points = mountsUnder(dir).sort((a, b) => b.length - a.length);
  for (const point of points) await runChecked("umount", [point]);
}
