/**
 * SSH through ssh2 (the only file that imports it): one connection per host for the whole run, several exec
 * channels on it at once. Speed facts that shaped this (issue 7): Nagle's algorithm costs ~40 ms per exec round
 * trip, so the TCP socket is ours, created with noDelay before the handshake; sshd refuses channels beyond
 * MaxSessions, so channels are capped and a refused open is retried.
 */

import { connect as tcpConnect } from "node:net";
import { readFile } from "node:fs/promises";
import { Readable, type Duplex } from "node:stream";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import ssh2 from "ssh2";
import type { AnyAuthMethod, Client as SshClient, ClientChannel, ConnectConfig, Prompt, ServerHostKeyAlgorithm } from "ssh2";
import { quote, sh } from "../command.js";
import { ConnectionError, TunnelError } from "../errors.js";
import { ChannelLimit, CHANNEL_OPEN_RETRY_DELAYS_MS } from "./channel-limit.js";
import type { Connection, ConnectionSpec, ExecOptions, ExecResult } from "./connection.js";
import { collectOutput, exitCodeFor, execInterrupted, execTimedOut, TIMEOUT_EXIT_CODE } from "./exec-result.js";
import { readerCommand, scriptInput } from "./stdin-script.js";
import {
  appendKnownHost,
  checkHostKey,
  fingerprint,
  knownHostName,
  knownKeyTypes,
  keyTypeOf,
  readKnownHosts,
} from "./known-hosts.js";

// ssh2 is CommonJS: only some of its exports are visible as ESM named imports.
const { Client, utils } = ssh2;

/** A dead peer is noticed after about KEEPALIVE_INTERVAL_MS * KEEPALIVE_COUNT_MAX. */
const KEEPALIVE_INTERVAL_MS = 5_000;
const KEEPALIVE_COUNT_MAX = 3;

/** RFC 4254's reason code for a channel the server's policy refuses (sshd: AllowTcpForwarding no). */
const SSH_OPEN_ADMINISTRATIVELY_PROHIBITED = 1;

/** After TERM, a timed-out command gets this long to exit before KILL. */
const TIMEOUT_KILL_GRACE_S = 2;
/** If even that does not end the channel (a host that stopped answering), give up on it locally this much later. */
const TIMEOUT_BACKSTOP_MS = TIMEOUT_KILL_GRACE_S * 1000 + 3_000;

/** Host key algorithms ssh2 can negotiate for each key type a known_hosts line can hold. */
const HOST_KEY_ALGORITHMS: Readonly<Record<string, readonly ServerHostKeyAlgorithm[]>> = {
  "ssh-ed25519": ["ssh-ed25519"],
  "ecdsa-sha2-nistp256": ["ecdsa-sha2-nistp256"],
  "ecdsa-sha2-nistp384": ["ecdsa-sha2-nistp384"],
  "ecdsa-sha2-nistp521": ["ecdsa-sha2-nistp521"],
  "ssh-rsa": ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
};

interface AuthPlan {
  methods: AnyAuthMethod[];
  /** What each method is, in order, for the "authentication failed" message. */
  described: string[];
}

interface Ssh2Error extends Error {
  level?: string;
  code?: string;
}

export class SshConnection implements Connection {
  readonly hostName: string;
  private client: SshClient | undefined;
  private connecting: Promise<void> | undefined;
  /** Once set, the connection is dead: every later call fails fast with this error (no reconnect). */
  private failure: ConnectionError | undefined;
  private readonly limit = new ChannelLimit();

  constructor(private readonly spec: ConnectionSpec) {
    this.hostName = spec.hostName;
  }

  connect(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.connecting ??= this.open().catch((error: unknown) => {
      this.failure = error instanceof ConnectionError ? error : this.error("unreachable", error);
      throw this.failure;
    });
    return this.connecting;
  }

  async exec(script: string, options: ExecOptions = {}): Promise<ExecResult> {
    await this.connect();
    return this.limit.run(async () => {
      if (options.signal?.aborted) throw execInterrupted(this.hostName);
      const command = remoteCommand(readerCommand(options.runAs), options.timeoutMs);
      return this.openChannel(command, (channel) => this.run(channel, scriptInput(script, options.stdin), options));
    });
  }

  /**
   * A direct-tcpip channel. Not counted against the session cap: sshd's MaxSessions limits shells, commands and
   * subsystems, not forwarded connections.
   */
  async openTcp(address: string, port: number): Promise<Duplex> {
    await this.connect();
    const client = this.client;
    if (!client || this.failure) throw this.failure ?? this.error("not connected", undefined);
    return new Promise<Duplex>((resolve, reject) => {
      const failed = (error: Error & { reason?: unknown }): void => {
        const dead = this.deadError();
        if (dead) return reject(dead);
        const why = error.message.replace(/^\(SSH\) Channel open failure: /, "");
        reject(new TunnelError({ address, port }, why, error.reason === SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, { host: this.hostName }, { cause: error }));
      };
      try {
        client.forwardOut("127.0.0.1", 0, address, port, (error, channel) => (error ? failed(error) : resolve(channel)));
      } catch (error) {
        failed(error instanceof Error ? error : new Error(String(error))); // "Not connected"
      }
    });
  }

  async close(): Promise<void> {
    this.failure ??= this.error("connection closed", undefined);
    // A connect still in progress would otherwise hand us a client after we looked.
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await new Promise<void>((resolve) => {
      client.once("close", () => resolve());
      client.end();
    });
  }

  private async open(): Promise<void> {
    const { spec } = this;
    const auth = await authPlan(spec);
    const knownHostsFile = spec.knownHostsFile ?? join(homedir(), ".ssh", "known_hosts");
    // Under "ignore" the file is still read, as far as it can be, to say so when a recorded key no longer matches.
    const entries =
      spec.hostKeyPolicy === "ignore"
        ? await readKnownHosts(knownHostsFile).catch(() => [])
        : await readKnownHosts(knownHostsFile).catch((error: unknown) => {
            throw this.error(`cannot read ${knownHostsFile} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
          });
    const knownTypes = knownKeyTypes(entries, spec.address, spec.port);
    const hostKeyAlgorithms = knownTypes.flatMap((type) => HOST_KEY_ALGORITHMS[type] ?? []);
    let hostKeyFailure: ConnectionError | undefined;

    const hostVerifier = (key: Buffer, verify: (valid: boolean) => void): void => {
      const check = checkHostKey(entries, spec.address, spec.port, key);
      const name = knownHostName(spec.address, spec.port);
      const presented = `${keyTypeOf(key)} ${fingerprint(key)}`;
      if (spec.hostKeyPolicy === "ignore") {
        if (check.status === "changed" || check.status === "revoked") {
          spec.warn?.(`host key checking is off, and the host presented ${presented}, which ${knownHostsFile} records as ${check.status === "changed" ? "a different key" : "revoked"}: connecting anyway`);
        }
        return verify(true);
      }
      switch (check.status) {
        case "known":
          return verify(true);
        case "revoked":
          hostKeyFailure = this.error(`host key ${presented} is marked @revoked in ${knownHostsFile}:${check.entry.line}`, undefined);
          return verify(false);
        case "changed": {
          const lines = check.known.map((e) => `${knownHostsFile}:${e.line} (${e.keyType} ${fingerprint(e.key)})`).join(", ");
          hostKeyFailure = this.error(
            `host key changed: the host presented ${presented}, but ${lines} records a different key. ` +
              `This may be an attack, or the host was reinstalled; if the change is expected, remove the old key ` +
              `with: ssh-keygen -R ${quote(name)} -f ${quote(knownHostsFile)}`,
            undefined,
          );
          return verify(false);
        }
        case "unknown":
          if (spec.hostKeyPolicy === "accept-new") {
            appendKnownHost(knownHostsFile, spec.address, spec.port, key).then(
              () => verify(true),
              (error: unknown) => {
                hostKeyFailure = this.error(`cannot record the new host key in ${knownHostsFile}`, error);
                verify(false);
              },
            );
            return;
          }
          hostKeyFailure = this.error(
            `unknown host key ${presented}: ${name} is not in ${knownHostsFile}. After checking the fingerprint, ` +
              `accept it with: ssh-keyscan -p ${spec.port} ${quote(spec.address)} >> ${quote(knownHostsFile)} ` +
              `(or run with --host-key-checking accept-new)`,
            undefined,
          );
          return verify(false);
      }
    };

    const client = new Client();
    const sock = tcpConnect({ host: spec.address, port: spec.port, noDelay: true, keepAlive: true });
    let phase = "TCP connect";
    sock.once("connect", () => (phase = "SSH handshake"));
    client.once("handshake", () => (phase = "authentication"));

    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (reason: string, cause: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sock.destroy();
        reject(hostKeyFailure ?? this.error(reason, cause));
      };
      const timer = setTimeout(() => {
        fail(`unreachable: no answer within ${spec.connectTimeoutMs} ms (during ${phase})`, undefined);
      }, spec.connectTimeoutMs);

      client.on("ready", () => {
        settled = true;
        clearTimeout(timer);
        this.client = client;
        resolve();
      });
      client.on("error", (error: Ssh2Error) => {
        if (settled) this.lost(`connection lost: ${lostReason(error)}`, error);
        else fail(connectFailureReason(error, spec, auth, knownTypes), error);
      });
      client.on("end", () => {
        if (settled) this.lost("connection lost: the host closed the connection", undefined);
      });
      client.on("close", () => {
        if (settled) this.lost("connection lost: the host closed the connection", undefined);
        else fail(`unreachable: the connection closed during ${phase}`, undefined);
      });

      const config: ConnectConfig = {
        sock,
        username: spec.user,
        authHandler: auth.methods,
        hostVerifier,
        keepaliveInterval: KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: KEEPALIVE_COUNT_MAX,
        // Our timer covers TCP connect, handshake and authentication together.
        readyTimeout: 0,
      };
      if (hostKeyAlgorithms.length > 0) {
        // Ask for a key of a type we know for this host, as ssh(1) does, so another type is not taken for a change.
        config.algorithms = { serverHostKey: hostKeyAlgorithms };
      }
      client.connect(config);
    });
  }

  /** Read through a method: the link can die while we await, which TypeScript's narrowing of a field cannot see. */
  private deadError(): ConnectionError | undefined {
    return this.failure;
  }

  /** The link died after it was up: fail running and later execs with one error. */
  private lost(reason: string, cause: unknown): void {
    if (!this.failure) this.failure = this.error(reason, cause);
    this.client = undefined;
  }

  /**
   * Opens an exec channel and hands it to `use` at once: a fast command's exit status can arrive in the same
   * read as the channel's confirmation, so its listeners must be attached synchronously. Retries while sshd
   * refuses the channel for lack of a free session slot.
   */
  private async openChannel<T>(command: string, use: (channel: ClientChannel) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = this.client;
      if (!client || this.failure) throw this.failure ?? this.error("not connected", undefined);
      // The running command's promise travels wrapped, so only a failed open is handled here.
      const opened = await new Promise<{ running: Promise<T> } | { error: Error }>((resolve) => {
        try {
          client.exec(command, (error, channel) => resolve(error ? { error } : { running: use(channel) }));
        } catch (error) {
          resolve({ error: error instanceof Error ? error : new Error(String(error)) }); // "Not connected"
        }
      });
      if ("running" in opened) return opened.running;
      const dead = this.deadError();
      if (dead) throw dead;
      const delay = CHANNEL_OPEN_RETRY_DELAYS_MS[attempt];
      if (!opened.error.message.startsWith("(SSH) Channel open failure") || delay === undefined) {
        throw this.error(`cannot open an exec channel: ${opened.error.message}`, opened.error);
      }
      this.limit.refusedAt(this.limit.running);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private run(channel: ClientChannel, stdin: string | Buffer | Readable, options: ExecOptions): Promise<ExecResult> {
    const { timeoutMs, signal } = options;
    const started = performance.now();
    return new Promise<ExecResult>((resolve, reject) => {
      const stdout = collectOutput(channel);
      const stderr = collectOutput(channel.stderr);
      let code: number | undefined;
      let settled = false;
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(backstop);
        signal?.removeEventListener("abort", onAbort);
        finish();
      };
      // Give up on the channel without waiting for its close (a host that stopped answering, an interrupt).
      // No signal request: ssh2 sends none once stdin is closed, and sshd would signal the login shell only.
      // The command runs on until it ends or writes to the closed channel.
      const abandon = (error: Error): void => {
        channel.close();
        settle(() => reject(error));
      };
      const timedOut = (): Error => execTimedOut(this.hostName, timeoutMs ?? 0, stdout(), stderr());
      const backstop = timeoutMs === undefined ? undefined : setTimeout(() => abandon(timedOut()), timeoutMs + TIMEOUT_BACKSTOP_MS);
      const onAbort = (): void => abandon(execInterrupted(this.hostName));
      signal?.addEventListener("abort", onAbort, { once: true });

      channel.on("exit", (status: number | null, signalName?: string) => (code = exitCodeFor(status, signalName)));
      channel.on("error", () => undefined); // a channel's failure surfaces as its close (and the connection's error)
      channel.on("close", () => {
        // Let the connection's own close/error events run first, so a dropped link is reported as such.
        setImmediate(() =>
          settle(() => {
            const failure = this.deadError();
            if (code === undefined && failure) reject(failure);
            else if (timeoutMs !== undefined && isTimeoutExit(code) && performance.now() - started >= timeoutMs) reject(timedOut());
            else resolve({ code: code ?? 255, stdout: stdout(), stderr: stderr() });
          }),
        );
      });
      if (options.onStdout) channel.on("data", (chunk: Buffer) => options.onStdout?.(chunk.toString("utf8")));
      if (stdin instanceof Readable) stdin.pipe(channel);
      else channel.end(stdin);
    });
  }

  private error(reason: string, cause: unknown): ConnectionError {
    const { spec } = this;
    const message = `${spec.hostName} (${spec.user}@${spec.address}:${spec.port}): ${reason}`;
    return new ConnectionError(message, { host: spec.hostName }, cause === undefined ? undefined : { cause });
  }
}

/**
 * The command line as sent (readerCommand's, never a script): run by /bin/sh whatever the login shell is. With a
 * timeout, under timeout(1): sshd delivers a signal request to the login shell alone, and the commands it started
 * would keep the channel open; timeout(1) signals the command's whole process group (TERM, then KILL after a grace
 * period).
 */
function remoteCommand(command: string, timeoutMs: number | undefined): string {
  if (timeoutMs === undefined) return sh`/bin/sh -c ${command}`.text;
  return sh`timeout -k ${TIMEOUT_KILL_GRACE_S} ${(timeoutMs / 1000).toFixed(3)} /bin/sh -c ${command}`.text;
}

/** timeout(1) exits 124 after TERM, 137 when it had to KILL. */
function isTimeoutExit(code: number | undefined): boolean {
  return code === TIMEOUT_EXIT_CODE || code === 128 + 9;
}

/** Keys from the inventory, else the agent and the default key files; the password last (never in a message). */
async function authPlan(spec: ConnectionSpec): Promise<AuthPlan> {
  const username = spec.user;
  const plan: AuthPlan = { methods: [], described: [] };
  const keyError = (file: string, reason: string, cause?: unknown): ConnectionError =>
    new ConnectionError(`${spec.hostName}: cannot use the private key ${file}: ${reason}`, { host: spec.hostName }, { cause });
  const addKey = async (file: string): Promise<void> => {
    const key = await readFile(file).catch((error: unknown) => {
      throw keyError(file, `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
    });
    // ssh2 would skip a key it cannot parse without a word; say why instead.
    const parsed = utils.parseKey(key);
    if (parsed instanceof Error) {
      const reason = /encrypted/i.test(parsed.message)
        ? "it is protected by a passphrase; load it into ssh-agent instead"
        : parsed.message;
      throw keyError(file, reason, parsed);
    }
    plan.methods.push({ type: "publickey", username, key });
    plan.described.push(`publickey ${file}`);
  };
  if (spec.privateKeyFile !== undefined) {
    await addKey(spec.privateKeyFile);
  } else {
    const agent = process.env["SSH_AUTH_SOCK"];
    if (agent) {
      plan.methods.push({ type: "agent", username, agent });
      plan.described.push(`agent ${agent}`);
    }
    for (const name of ["id_ed25519", "id_rsa"]) {
      const file = join(homedir(), ".ssh", name);
      // A default key that cannot be used (passphrase) is left to the agent, as ssh(1) would prompt for it.
      if (existsSync(file)) await addKey(file).catch(() => undefined);
    }
  }
  const password = spec.password;
  if (password !== undefined) {
    plan.methods.push({ type: "password", username, password });
    plan.described.push("password");
    plan.methods.push({
      type: "keyboard-interactive",
      username,
      prompt: (_name: string, _instructions: string, _lang: string, prompts: Prompt[], finish: (answers: string[]) => void) =>
        finish(prompts.map(() => password)),
    });
    plan.described.push("keyboard-interactive");
  }
  return plan;
}

function lostReason(error: Ssh2Error): string {
  if (error.level === "client-timeout") {
    return `no answer to ${KEEPALIVE_COUNT_MAX} keepalives ${KEEPALIVE_INTERVAL_MS / 1000} s apart`;
  }
  return error.code ? `${error.message} (${error.code})` : error.message;
}

function connectFailureReason(error: Ssh2Error, spec: ConnectionSpec, auth: AuthPlan, knownTypes: readonly string[]): string {
  if (error.level === "client-authentication") {
    if (auth.described.length === 0) {
      return `authentication failed: nothing to try (no private key set, no SSH agent, no ~/.ssh/id_ed25519 or id_rsa, no password)`;
    }
    return `authentication failed as ${spec.user} (tried: ${auth.described.join(", ")})`;
  }
  if (error.level === "client-socket") {
    const known: Record<string, string> = {
      ECONNREFUSED: "connection refused",
      EHOSTUNREACH: "no route to host",
      ENETUNREACH: "network unreachable",
      ENOTFOUND: "cannot resolve the address",
      EAI_AGAIN: "cannot resolve the address (DNS not answering)",
      ECONNRESET: "connection reset",
      ETIMEDOUT: "timed out",
    };
    const code = error.code ?? "";
    return `unreachable: ${known[code] ?? error.message}${code ? ` (${code})` : ""}`;
  }
  if (error.level === "handshake" && knownTypes.length > 0 && /host key/i.test(error.message)) {
    // We asked only for the key types known_hosts records for this host.
    return `SSH handshake failed: ${error.message}; known_hosts records only ${knownTypes.join(", ")} keys for this host, ` +
      `and it offers none of them: its host key has probably changed`;
  }
  return `SSH handshake failed: ${error.message}`;
}
