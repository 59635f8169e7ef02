/**
 * One run at a time per host: a lock file on the host, held with flock(1) by a command that runs for the whole
 * run and reads its stdin until the controller closes it. The lock goes when that command ends, so a run that
 * dies, or whose connection drops, releases it by itself. Audits take it shared (any number at once), runs that
 * change the host exclusive. A run that finds the host locked says so and waits a bounded time, then fails.
 */
import { PassThrough } from "node:stream";
import { sh, type Command } from "../command.js";
import type { Connection } from "../connection/connection.js";
import { HostLockError } from "../errors.js";
import { RECORD_DIR } from "./run-record.js";

/** Exit code of the lock command when the wait ran out (EX_TEMPFAIL). */
const WAITED_TOO_LONG = 75;

export interface HostLock {
  release(): Promise<void>;
}

export interface LockOptions {
  exclusive: boolean;
  waitSeconds: number;
  /** Called once when another run holds the lock and this one starts waiting. */
  waiting: () => void;
  /** Called when the user has nowhere to keep a lock: the run goes on without one. */
  unlocked: () => void;
}

/**
 * The lock of one inventory host, in the run record's directory, or in ~/.rems-play for a login user that cannot
 * write there (no become). Named per inventory host, not per machine: inventory hosts that are one machine
 * (`ansible_connection: local` test hosts, aliases) run side by side within a run, and must not wait for each other.
 */
export function lockName(host: string): string {
  return `run-${host.replace(/[^A-Za-z0-9._-]/g, "_")}.lock`;
}

/**
 * The lock command: "waiting" when it must wait, "locked" once held, then holds it until stdin closes; "unlocked"
 * when the user has no place to keep a lock (no become, no writable home: `nobody`), and then runs unserialized.
 */
export function lockCommand(host: string, exclusive: boolean, waitSeconds: number): Command {
  const mode = exclusive ? "-x" : "-s";
  // `test -w` is the shell's own: no process to tell root from a user. A failed `exec 9>>` would end the shell,
  // so the directory is tested first.
  return sh`umask 077; if [ -w /var/lib ]; then d=${RECORD_DIR}; else d="$HOME/.rems-play"; fi; if mkdir -p "$d" 2>/dev/null && [ -w "$d" ]; then exec 9>>"$d/"${lockName(host)} && { flock -n ${mode} 9 || { echo waiting && flock -w ${String(waitSeconds)} ${mode} 9 || exit ${String(WAITED_TOO_LONG)}; }; } && echo locked; else echo unlocked; fi && exec cat >/dev/null`;
}

/** Takes the lock; `runAs` is become's words (ExecOptions.runAs) when the lock is kept as another user. */
export async function takeHostLock(connection: Connection, runAs: string | undefined, options: LockOptions): Promise<HostLock> {
  const host = connection.hostName;
  const command = lockCommand(host, options.exclusive, options.waitSeconds);
  const stdin = new PassThrough();
  let seen = "";
  let held: () => void = () => undefined;
  const locked = new Promise<void>((resolve) => (held = resolve));
  const running = connection.exec(command.text, {
    stdin,
    runAs,
    onStdout: (text) => {
      seen += text;
      if (seen.includes("waiting\n") && !seen.includes("locked\n")) options.waiting();
      if (seen.includes("unlocked\n")) {
        options.unlocked();
        held();
      } else if (seen.includes("locked\n")) held();
    },
  });
  // The command ends early only when it could not take the lock (or the connection died).
  const ended = running.then(
    (result) => {
      if (result.code === WAITED_TOO_LONG) {
        throw new HostLockError(`another rems-play run held ${host}'s run lock (${lockName(host)}) for more than ${options.waitSeconds} s; try again when it has finished`, { host });
      }
      throw new HostLockError(`cannot take the run lock ${lockName(host)} on ${host}: ${result.stderr.trim() || `exit code ${result.code}`}`, { host });
    },
    (error: unknown) => {
      throw error;
    },
  );
  await Promise.race([locked, ended]);
  ended.catch(() => undefined); // once held, the command's end is the release (or a dead connection: reported elsewhere)
  return {
    release: async () => {
      stdin.end();
      await running.catch(() => undefined);
    },
  };
}
