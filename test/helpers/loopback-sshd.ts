/**
 * A private sshd on 127.0.0.1 for e2e tests: its own host key, config, client key and known_hosts in a temp
 * directory, started directly (no systemd here) and stopped after the test. Any local account may log in with
 * `clientKeyFile` (one authorized_keys file for every user).
 */

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const SSHD = "/usr/sbin/sshd";
const run = promisify(execFile);

export interface LoopbackSshd {
  readonly address: "127.0.0.1";
  readonly port: number;
  /** Temp directory holding everything below; removed by stop(). */
  readonly dir: string;
  /** Private key accepted for every user. */
  readonly clientKeyFile: string;
  /** The server's public key line ("ssh-ed25519 AAAA..."). */
  readonly hostPublicKey: string;
  /** A known_hosts file that trusts this server. */
  readonly knownHostsFile: string;
  /** sshd's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

export interface LoopbackSshdOptions {
  maxSessions?: number;
  /** Allow password logins (for password auth tests). */
  passwordAuthentication?: boolean;
}

/** Why a loopback sshd cannot run here, or undefined when it can. */
export function loopbackSshdUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root to run a private sshd that lets test users log in";
  if (!existsSync(SSHD)) return `${SSHD} is missing (apt-get install -y openssh-server)`;
  return undefined;
}

/**
 * The test's skip option: outside CI a missing prerequisite skips with its reason; under CI=true it must not
 * be skipped, so the test runs and fails on it.
 */
export function skipUnlessLoopbackSshd(): { skip?: string } {
  const reason = loopbackSshdUnavailable();
  if (reason === undefined || process.env["CI"] === "true") return {};
  return { skip: reason };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Generates a key pair without passphrase; returns the public key line ("ssh-ed25519 AAAA..."). */
export async function generateKey(file: string, type: "ed25519" | "rsa" = "ed25519"): Promise<string> {
  await run("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "rems-play-test", "-f", file]);
  return (await readFile(`${file}.pub`, "utf8")).trim().split(" ").slice(0, 2).join(" ");
}

export async function startLoopbackSshd(options: LoopbackSshdOptions = {}): Promise<LoopbackSshd> {
  const unavailable = loopbackSshdUnavailable();
  if (unavailable !== undefined) throw new Error(`cannot start a loopback sshd: ${unavailable}`);
  // sshd's privilege separation directory; normally created by the service unit.
  await mkdir("/run/sshd", { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), "rems-sshd-"));
  // Test users other than root read authorized_keys with their own rights.
  await chmod(dir, 0o755);
  const hostKeyFile = join(dir, "host_ed25519_key");
  const clientKeyFile = join(dir, "client_ed25519_key");
  const hostPublicKey = await generateKey(hostKeyFile);
  const clientPublicKey = await generateKey(clientKeyFile);
  const authorizedKeys = join(dir, "authorized_keys");
  await writeFile(authorizedKeys, clientPublicKey + "\n", { mode: 0o644 });
  const port = await freePort();
  const knownHostsFile = join(dir, "known_hosts");
  await writeFile(knownHostsFile, `[127.0.0.1]:${port} ${hostPublicKey}\n`);
  const config = join(dir, "sshd_config");
  await writeFile(
    config,
    [
      `HostKey ${hostKeyFile}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      "PermitRootLogin yes",
      `PasswordAuthentication ${options.passwordAuthentication === true ? "yes" : "no"}`,
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      // The temp directory sits under world-writable /tmp, which StrictModes refuses.
      "StrictModes no",
      `MaxSessions ${options.maxSessions ?? 10}`,
      "LogLevel VERBOSE",
      "",
    ].join("\n"),
  );

  const child = spawn(SSHD, ["-D", "-e", "-f", config, "-p", String(port), "-o", "ListenAddress=127.0.0.1"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text: string) => (log += text));
  await waitForListening(child, () => log);

  return {
    address: "127.0.0.1",
    port,
    dir,
    clientKeyFile,
    hostPublicKey,
    knownHostsFile,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function waitForListening(child: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`sshd did not start listening within 10 s:\n${log()}`));
    }, 10_000);
    const check = (): void => {
      if (log().includes("Server listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with code ${String(code)}:\n${log()}`));
    });
  });
}
