/**
 * The non-root users a lab host has besides root, for tests of `become` as production runs it (a deploy user that
 * logs in with a key and uses sudo): `deploy` may sudo without a password, `deploy-pw` must give its password
 * (LAB_DEPLOY_PASSWORD). Both log in with the lab key. Made in the host's root before it boots, so nothing that
 * logs in as root sees a difference.
 */
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runChecked } from "./exec.js";

export interface DeployUser {
  name: string;
  /** The password sudo asks for; undefined when sudo asks for none. */
  sudoPassword: string | undefined;
}

/** The password of `deploy-pw`: public, like the rest of the lab, so it is only ever a test's. */
export const LAB_DEPLOY_PASSWORD = "lab-deploy-Pw-7f3c";

export const DEPLOY_USERS: readonly DeployUser[] = [
  { name: "deploy", sudoPassword: undefined },
  { name: "deploy-pw", sudoPassword: LAB_DEPLOY_PASSWORD },
];

/** Adds the deploy users to the host root ROOT, each with AUTHORIZED_KEY and its sudo rule. */
export async function addDeployUsers(root: string, authorizedKey: string): Promise<void> {
  for (const user of DEPLOY_USERS) {
    // "*": no password to log in with, yet not locked, so sshd takes the key.
    const hash = user.sudoPassword === undefined ? "*" : await cryptPassword(user.sudoPassword);
    await runChecked("useradd", ["--root", root, "--create-home", "--shell", "/bin/bash", "--password", hash, user.name]);
    const { uid, gid } = ids(root, user.name);
    const sshDir = join(root, "home", user.name, ".ssh");
    mkdirSync(sshDir, { mode: 0o700 });
    writeFileSync(join(sshDir, "authorized_keys"), authorizedKey, { mode: 0o600 });
    chownSync(sshDir, uid, gid);
    chownSync(join(sshDir, "authorized_keys"), uid, gid);
    const rule = user.sudoPassword === undefined ? "NOPASSWD: ALL" : "ALL";
    const sudoers = join(root, "etc/sudoers.d", `rems-lab-${user.name}`);
    writeFileSync(sudoers, `${user.name} ALL=(ALL:ALL) ${rule}\n`);
    chmodSync(sudoers, 0o440);
  }
}

function ids(root: string, name: string): { uid: number; gid: number } {
  const line = readFileSync(join(root, "etc/passwd"), "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`${name}:`));
  const [, , uid, gid] = (line ?? "").split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** A SHA-512 crypt hash of PASSWORD, made by openssl (the password is a public test value, so argv is fine). */
async function cryptPassword(password: string): Promise<string> {
  return (await runChecked("openssl", ["passwd", "-6", password])).trim();
}
