/**
 * What the lab needs from the machine: Linux, root, and a few Debian packages, which it installs when missing.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { runChecked } from "./exec.js";
import { LabError } from "./lab-error.js";

/** Every program the lab runs, and the Debian package that provides it. One list, used to check and to install. */
export const REQUIRED_COMMANDS: Readonly<Record<string, string>> = {
  debootstrap: "debootstrap",
  "systemd-nspawn": "systemd-container",
  iptables: "iptables",
  ssh: "openssh-client",
  "ssh-keygen": "openssh-client",
  ip: "iproute2",
  mount: "mount",
  umount: "mount",
  useradd: "passwd",
  openssl: "openssl",
};

function onPath(command: string): boolean {
  return (process.env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Debian packages that provide the missing commands, each named once. */
export function missingPackages(isPresent: (command: string) => boolean = onPath): string[] {
  const packages = Object.entries(REQUIRED_COMMANDS)
    .filter(([command]) => !isPresent(command))
    .map(([, pkg]) => pkg);
  return [...new Set(packages)];
}

/** Why the lab cannot run on this machine, or undefined when it can (possibly after installing packages). */
export function labUnavailableReason(): string | undefined {
  if (process.platform !== "linux") {
    return `the lab needs Linux (Debian 12) with systemd-nspawn; this is ${process.platform}`;
  }
  if (process.getuid?.() !== 0) {
    return "the lab needs root (it creates network namespaces, NAT rules and containers): run it as root, e.g. sudo npm run lab -- up";
  }
  const missing = missingPackages();
  if (missing.length > 0 && !onPath("apt-get")) {
    return `the lab needs these Debian packages and there is no apt-get to install them: ${missing.join(" ")}`;
  }
  return undefined;
}

/** Fails with the reason when the lab cannot run; installs missing packages with apt-get. */
export async function ensurePrerequisites(log: (line: string) => void): Promise<void> {
  const reason = labUnavailableReason();
  if (reason !== undefined) throw new LabError(reason);
  const missing = missingPackages();
  if (missing.length === 0) return;
  log(`installing ${missing.join(" ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await runChecked("apt-get", ["update"], { env });
  await runChecked("apt-get", ["install", "-y", "--no-install-recommends", ...missing], { env });
}
