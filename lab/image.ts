/**
 * The host images (one per Debian release) and the lab's SSH key, built once and cached outside the repository. Both are made in a
 * temporary place and renamed into the cache, so a killed build never leaves a half-made image or key behind.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runChecked } from "./exec.js";
import { LabError } from "./lab-error.js";
import { machineMirrorFor } from "./mirror.js";
import { processStart } from "./processes.js";
import { unmountUnder } from "./mounts.js";
import { cacheDir, keyPath } from "./paths.js";
import { RELEASES } from "./release.js";
import type { Release } from "./release.js";

const DEBOOTSTRAP_SCRIPTS = "/usr/share/debootstrap/scripts";
export const IMAGE_PACKAGES = ["systemd", "systemd-sysv", "dbus", "openssh-server", "python3", "sudo", "iproute2", "ca-certificates"];

/** The image directory; its name changes with the package list, so a changed list builds a new image. */
export function imageDir(release: Release): string {
  const digest = createHash("sha256").update(IMAGE_PACKAGES.join(",")).digest("hex").slice(0, 8);
  return join(cacheDir, "images", `${release}-minbase-${digest}`);
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/** The machine's configured Debian mirror, for RELEASE. */
export function machineMirror(release: Release): string {
  const sourcesDir = "/etc/apt/sources.list.d";
  const deb822 = existsSync(sourcesDir)
    ? readdirSync(sourcesDir)
        .filter((name) => name.endsWith(".sources"))
        .map((name) => readFileSync(join(sourcesDir, name), "utf8"))
        .join("\n\n")
    : "";
  const others = RELEASES.filter((other) => other !== release);
  return machineMirrorFor(release, others, deb822, readIfExists("/etc/apt/sources.list"));
}

/** Builds RELEASE's image with debootstrap unless it is cached; returns its directory. */
export async function ensureImage(release: Release, log: (line: string) => void): Promise<string> {
  const dir = imageDir(release);
  if (existsSync(dir)) return dir;
  const parent = join(cacheDir, "images");
  mkdirSync(parent, { recursive: true });
  // Leftovers of killed builds (a build dir is named after its builder's pid; a live builder's is left alone).
  // debootstrap mounts /proc and /sys inside its target, so those come off first.
  const leftovers = readdirSync(parent).filter((entry) => /^\.build-\d+$/.test(entry) && processStart(Number(entry.slice(7))) === undefined);
  for (const name of leftovers) {
    await unmountUnder(join(parent, name));
    rmSync(join(parent, name), { recursive: true, force: true });
  }
  // An older debootstrap does not know a newer release: say so, rather than let it fail on its missing script.
  const script = join(DEBOOTSTRAP_SCRIPTS, release);
  if (!existsSync(script)) throw new LabError(`this machine's debootstrap cannot build ${release} (no ${script}): install a newer debootstrap`);
  const tmp = join(parent, `.build-${process.pid}`);
  const mirror = machineMirror(release);
  log(`building the ${release} image with debootstrap from ${mirror} (a minute or a few, once)`);
  const started = Date.now();
  try {
    await runChecked("debootstrap", ["--variant=minbase", `--include=${IMAGE_PACKAGES.join(",")}`, release, tmp, mirror]);
    // Every host gets its own SSH host keys and machine id at boot; the image must not carry shared ones.
    for (const name of readdirSync(join(tmp, "etc/ssh")).filter((entry) => entry.startsWith("ssh_host_"))) {
      rmSync(join(tmp, "etc/ssh", name));
    }
    rmSync(join(tmp, "var/cache/apt/archives"), { recursive: true, force: true });
    mkdirSync(join(tmp, "var/cache/apt/archives/partial"), { recursive: true });
  } catch (error) {
    await unmountUnder(tmp);
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  renameSync(tmp, dir);
  log(`image built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${dir}`);
  return dir;
}

/** The lab's SSH key (ed25519), generated once. */
export async function ensureKey(): Promise<string> {
  if (existsSync(keyPath) && existsSync(`${keyPath}.pub`)) return keyPath;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${keyPath}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  rmSync(`${tmp}.pub`, { force: true });
  await runChecked("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "rems-play-lab", "-f", tmp]);
  renameSync(`${tmp}.pub`, `${keyPath}.pub`);
  renameSync(tmp, keyPath);
  return keyPath;
}
