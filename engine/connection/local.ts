/**
 * The `local` connection: scripts run on this machine with /bin/sh, with the same results, and the same command
 * line (stdin-script.ts), as over SSH.
 */

import { spawn } from "node:child_process";
import { connect as netConnect } from "node:net";
import { Readable, type Duplex } from "node:stream";
import { getSystemErrorMap } from "node:util";
import { ConnectionError, TunnelError } from "../errors.js";
import type { Connection, ConnectionSpec, ExecOptions, ExecResult } from "./connection.js";
import { collectOutput, exitCodeFor, execInterrupted, execTimedOut } from "./exec-result.js";
import { readerCommand, scriptInput } from "./stdin-script.js";

export class LocalConnection implements Connection {
  readonly hostName: string;
  private closed = false;

  constructor(spec: Pick<ConnectionSpec, "hostName">) {
    this.hostName = spec.hostName;
  }

  connect(): Promise<void> {
    return this.closed ? Promise.reject(this.closedError()) : Promise.resolve();
  }

  exec(script: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.closed) return Promise.reject(this.closedError());
    if (options.signal?.aborted) return Promise.reject(execInterrupted(this.hostName));
    return new Promise<ExecResult>((resolve, reject) => {
      // Its own process group, so a timeout kills the commands the shell started too.
      const child = spawn("/bin/sh", ["-c", readerCommand(options.runAs)], { detached: true, stdio: "pipe" });
      const stdout = collectOutput(child.stdout);
      const stderr = collectOutput(child.stderr);
      let stopped: Error | undefined;

      const stop = (error: Error): void => {
        stopped ??= error;
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
      };
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => stop(execTimedOut(this.hostName, options.timeoutMs ?? 0, stdout(), stderr())), options.timeoutMs);
      const onAbort = (): void => stop(execInterrupted(this.hostName));
      options.signal?.addEventListener("abort", onAbort, { once: true });
      const finish = (): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
      };

      child.on("error", (error) => {
        finish();
        reject(new ConnectionError(`${this.hostName} (local): cannot start /bin/sh: ${error.message}`, { host: this.hostName }, { cause: error }));
      });
      child.on("close", (status, signal) => {
        finish();
        if (stopped) reject(stopped);
        else resolve({ code: exitCodeFor(status, signal), stdout: stdout(), stderr: stderr() });
      });
      // A command that does not read its stdin closes the pipe early; that is not an error.
      child.stdin.on("error", () => undefined);
      if (options.onStdout) child.stdout.on("data", (chunk: Buffer) => options.onStdout?.(chunk.toString("utf8")));
      const stdin = scriptInput(script, options.stdin);
      if (stdin instanceof Readable) stdin.pipe(child.stdin);
      else child.stdin.end(stdin);
    });
  }

  openTcp(address: string, port: number): Promise<Duplex> {
    if (this.closed) return Promise.reject(this.closedError());
    return new Promise<Duplex>((resolve, reject) => {
      const socket = netConnect({ host: address, port, noDelay: true });
      socket.once("connect", () => {
        socket.off("error", failed);
        resolve(socket);
      });
      const failed = (error: NodeJS.ErrnoException): void => {
        // "connection refused", as sshd says it for an SSH host, rather than "connect ECONNREFUSED 127.0.0.1:9".
        const why = (error.errno === undefined ? undefined : getSystemErrorMap().get(error.errno)?.[1]) ?? error.message;
        reject(new TunnelError({ address, port }, why, false, { host: this.hostName }, { cause: error }));
      };
      socket.once("error", failed);
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private closedError(): ConnectionError {
    return new ConnectionError(`${this.hostName} (local): connection closed`, { host: this.hostName });
  }
}
