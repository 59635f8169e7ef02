/**
 * How the engine reaches a host. Two implementations: ssh.ts (ssh2, one persistent connection per host) and
 * local.ts (this machine). Everything above this seam sends shell command strings and bytes on stdin; files
 * travel inside an exec (faster than SFTP for small files), so a connection needs nothing else.
 */

export interface ExecOptions {
  /** Bytes written to the command's stdin, then stdin is closed. */
  stdin?: string | Buffer | undefined;
  /**
   * Kill the command (its whole process group) after this many milliseconds and reject with
   * CommandFailedError (exit code 124, "timed out after N ms"; the command text is not in the message).
   */
  timeoutMs?: number | undefined;
  /** Aborting rejects the exec with InterruptedError at once (the channel is closed, not waited for). */
  signal?: AbortSignal | undefined;
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
   * Runs `command` with /bin/sh on the host (connecting first if needed); output decoded as UTF-8. Never throws
   * for a non-zero exit; throws ConnectionError when the link drops, and from then on fails fast with that same
   * error (no reconnect). Several execs may run at once.
   */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
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
}
