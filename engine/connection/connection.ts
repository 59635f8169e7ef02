/**
 * How the engine reaches a host. Two implementations: ssh.ts (ssh2, one persistent connection per host) and
 * local.ts (this machine). Everything above this seam sends shell scripts and bytes on stdin; files travel
 * inside an exec (faster than SFTP for small files). A script itself travels on stdin too, ahead of those bytes,
 * never in a command line (stdin-script.ts), so no secret in it is seen in `ps` or logged by sudo. The one other thing a connection does is open a TCP
 * stream from the host (openTcp), so an HTTP check needs no process on the host.
 */
import type { Duplex, Readable } from "node:stream";

export interface ExecOptions {
  /**
   * Bytes written to the command's stdin, then stdin is closed; or a stream piped to it, closed when the stream
   * ends (a command that runs for as long as the controller keeps the stream open: the host lock).
   */
  stdin?: string | Buffer | Readable | undefined;
  /** Called with each piece of stdout as it arrives (the whole output is still in the result). */
  onStdout?: ((text: string) => void) | undefined;
  /**
   * Kill the command (its whole process group) after this many milliseconds and reject with
   * CommandFailedError (exit code 124, "timed out after N ms"; the command text is not in the message).
   */
  timeoutMs?: number | undefined;
  /** Aborting rejects the exec with InterruptedError at once (the channel is closed, not waited for). */
  signal?: AbortSignal | undefined;
  /**
   * Run the script as another user: the words that start the host's /bin/sh as that user (sudo's, from
   * become.ts). They are in the command line, so they never hold a secret.
   */
  runAs?: string | undefined;
}

export interface ExecResult {
  /** Exit status; 128 + the signal number when the command was killed by a signal; 255 when unknown. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface Connection {
  /** The inventory name of the host, for messages. */
  readonly hostName: string;
  /** Opens the connection; throws ConnectionError (unreachable, auth, host key). Idempotent. */
  connect(): Promise<void>;
  /**
   * Runs the shell script `script` with /bin/sh on the host (connecting first if needed); output decoded as UTF-8. Never throws
   * for a non-zero exit; throws ConnectionError when the link drops, and from then on fails fast with that same
   * error (no reconnect). Several execs may run at once.
   */
  exec(script: string, options?: ExecOptions): Promise<ExecResult>;
  /**
   * Opens a TCP stream to `address:port` made by the host itself: over SSH, sshd resolves the address and connects
   * (a direct-tcpip channel), so the stream reaches what the host reaches and no process starts there. Throws
   * TunnelError when it cannot (with `prohibited` when the host's sshd allows no forwarding); ConnectionError
   * when the link is down. The caller destroys the stream when done.
   */
  openTcp(address: string, port: number): Promise<Duplex>;
  /** Closes the link; later calls fail with ConnectionError. */
  close(): Promise<void>;
}

/** Connection settings, from Ansible's connection variables. */
export interface ConnectionSpec {
  hostName: string;
  type: "ssh" | "local";
  address: string;
  port: number;
  user: string;
  privateKeyFile?: string | undefined;
  password?: string | undefined;
  /** known_hosts file to check host keys against; undefined means ~/.ssh/known_hosts. */
  knownHostsFile?: string | undefined;
  /** Accept and record a host key never seen before (Ansible's host_key_checking=False is "ignore"; we only allow "accept-new"). */
  hostKeyPolicy: "strict" | "accept-new" | "ignore";
  connectTimeoutMs: number;
  /** Told what the user must know although the connection goes on (a changed host key under "ignore"). */
  warn?: ((message: string) => void) | undefined;
}
