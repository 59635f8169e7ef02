/** A login attempt with a password only, to see what a hardened sshd offers. */
import { execFile } from "node:child_process";
import type { LabHost } from "./lab.js";

/**
 * What sshd answers a client that offers only a password: its stderr, which names the methods the server allows
 * ("Permission denied (publickey,password)" before hardening, "(publickey)" after).
 */
export function passwordLogin(host: LabHost): Promise<string> {
  const options = ["-o", "BatchMode=yes", "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=30"];
  return new Promise((resolve) => {
    execFile("ssh", [...options, `root@${host.address}`, "true"], { timeout: 60_000 }, (_error, _stdout, stderr) => {
      resolve(stderr);
    });
  });
}
