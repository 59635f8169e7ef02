/**
 * The system ssh client pointed at a lab host, with the lab key and strict host key checking against the lab's
 * known_hosts. Used to wait for hosts, by `npm run lab -- ssh`, and by tests asserting host state.
 */
import { run } from "./exec.js";
import type { ExecResult } from "./exec.js";

export interface SshTarget {
  address: string;
  keyPath: string;
  knownHostsPath: string;
}

/** Arguments for `ssh`; COMMAND (one string, run by the host's login shell) is optional for an interactive login. */
export function sshArgs(target: SshTarget, command?: string, connectTimeoutSeconds = 5): string[] {
  const args = [
    "-i", target.keyPath,
    "-o", "IdentitiesOnly=yes",
    "-o", `UserKnownHostsFile=${target.knownHostsPath}`,
    "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", "StrictHostKeyChecking=yes",
    "-o", "BatchMode=yes",
    "-o", `ConnectTimeout=${connectTimeoutSeconds}`,
    "-o", "LogLevel=ERROR",
    `root@${target.address}`,
  ];
  return command === undefined ? args : [...args, "--", command];
}

export function ssh(target: SshTarget, command: string, timeoutMs = 10 * 60_000): Promise<ExecResult> {
  return run("ssh", sshArgs(target, command), { timeoutMs });
}
