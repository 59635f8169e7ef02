/**
 * `become` through sudo. sudo runs the host's /bin/sh reading the script from stdin (stdin-script.ts), so the
 * command line sudo logs is always the same, and holds no secret. Without a password: `sudo -H -n` (never waits for
 * a prompt that cannot come). With a password: sudo's askpass. The password travels once, on stdin, into a helper
 * script in a private mktemp directory of the login user; sudo runs the helper to read it. So it is never in a
 * command line (`ps`), an error or any output. The helper is removed by close().
 */

import { sh } from "../command.js";
import type { Secret } from "../command.js";
import { CommandFailedError } from "../errors.js";
import type { Connection } from "./connection.js";

/** The words that run a command as `user` through sudo; `askpass` is the helper's path when a password is needed. */
export function sudoWords(user: string, askpass?: string): string {
  return askpass === undefined ? sh`sudo -H -n -u ${user} --`.text : sh`SUDO_ASKPASS=${askpass} sudo -H -A -u ${user} --`.text;
}

/** The askpass helper: prints the password. Its text holds the password, so it only ever goes on stdin. */
export function askpassScript(password: Secret): string {
  return "#!/bin/sh\n" + sh`printf '%s\\n' ${password}`.text + "\n";
}

/** Writes stdin to an executable file in a fresh private directory and prints its path. */
const CREATE_HELPER = sh`umask 077 && d=$(mktemp -d) && cat > "$d/askpass" && chmod 700 "$d/askpass" && printf '%s\\n' "$d/askpass"`;

export class Become {
  private helper: Promise<string> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly password?: Secret,
  ) {}

  /** The words that run a script as `user` (ExecOptions.runAs); the first call with a password installs the askpass helper. */
  async runAs(user: string): Promise<string> {
    if (this.password === undefined) return sudoWords(user);
    this.helper ??= this.installHelper(this.password);
    return sudoWords(user, await this.helper);
  }

  /** Removes the askpass helper. Call before closing the connection. */
  async close(): Promise<void> {
    const helper = this.helper;
    this.helper = undefined;
    if (helper === undefined) return;
    const path = await helper.catch(() => undefined);
    if (path === undefined) return;
    const dir = path.slice(0, path.lastIndexOf("/"));
    await this.connection.exec(sh`rm -rf ${dir}`.text);
  }

  private async installHelper(password: Secret): Promise<string> {
    const result = await this.connection.exec(CREATE_HELPER.text, { stdin: askpassScript(password) });
    const path = result.stdout.trim();
    if (result.code !== 0 || !path.startsWith("/")) {
      throw new CommandFailedError("install the sudo askpass helper (mktemp -d)", result.code, result.stdout, result.stderr, {
        host: this.connection.hostName,
      });
    }
    return path;
  }
}
