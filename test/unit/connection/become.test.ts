import type { Duplex } from "node:stream";
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { sh, secret } from "../../../engine/command.js";
import type { Connection, ExecOptions, ExecResult } from "../../../engine/connection/connection.js";
import { askpassScript, Become, sudoWords } from "../../../engine/connection/become.js";
import { LocalConnection } from "../../../engine/connection/local.js";
import { CommandFailedError } from "../../../engine/errors.js";

const PASSWORD = `pa ss'w"o$rd\\\`x\`;$(id)`;

/** Runs commands on this machine and keeps every command line and stdin it was given. */
class RecordingConnection implements Connection {
  readonly hostName = "rec";
  readonly calls: { command: string; stdin: string }[] = [];
  private readonly local = new LocalConnection({ hostName: "rec" });
  connect(): Promise<void> {
    return Promise.resolve();
  }
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.calls.push({ command, stdin: options.stdin === undefined ? "" : (options.stdin as string | Buffer).toString() });
    return this.local.exec(command, options);
  }
  openTcp(address: string, port: number): Promise<Duplex> {
    return this.local.openTcp(address, port);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe("sudoWords", () => {
  test("without a password: non-interactive sudo, the user quoted", () => {
    assert.equal(sudoWords("app user"), "sudo -H -n -u 'app user' --");
  });

  test("with an askpass helper: sudo -A and SUDO_ASKPASS", () => {
    assert.equal(sudoWords("postgres", "/tmp/tmp.X/askpass"), "SUDO_ASKPASS=/tmp/tmp.X/askpass sudo -H -A -u postgres --");
  });

  test("issue 16 item 2: the script runs behind sudo's words, yet is not in any command line", async () => {
    // A sudo that drops its options and records its own command line, so only what reaches sudo is exercised.
    const dir = (await new LocalConnection({ hostName: "l" }).exec("mktemp -d")).stdout.trim();
    const shim = `sudo() { printf '%s\\n' "$*" > ${dir}/argv; while [ "$1" != "--" ]; do shift; done; shift; "$@"; };`;
    const script = sh`printf '%s|' ${"a'b"} ${"$HOME"} ${secret("hunter22")}; cat`.text;
    const result = await new LocalConnection({ hostName: "l" }).exec(script, { runAs: `${shim} ${sudoWords("root")}`, stdin: "input" });
    assert.equal(result.stdout, "a'b|$HOME|hunter22|input");
    const argv = (await new LocalConnection({ hostName: "l" }).exec(`cat ${dir}/argv; rm -r ${dir}`)).stdout;
    assert.match(argv, /^-H -n -u root -- \/bin\/sh -c IFS= read/);
    assert.ok(!argv.includes("hunter22"), argv);
  });
});

describe("askpass helper script", () => {
  test("prints the password exactly, whatever characters it holds", async () => {
    const local = new LocalConnection({ hostName: "l" });
    const result = await local.exec("sh", { stdin: askpassScript(secret(PASSWORD)) });
    assert.equal(result.stdout, PASSWORD + "\n");
  });
});

describe("Become", () => {
  test("without a password it runs nothing on the host", async () => {
    const conn = new RecordingConnection();
    const become = new Become(conn);
    assert.equal(await become.runAs("root"), "sudo -H -n -u root --");
    await become.close();
    assert.deepEqual(conn.calls, []);
  });

  test("with a password: one private helper, password only on stdin, removed on close", async () => {
    const conn = new RecordingConnection();
    const become = new Become(conn, secret(PASSWORD));
    const [first, second] = await Promise.all([become.runAs("root"), become.runAs("nobody")]);
    assert.equal(conn.calls.length, 1, "the helper is installed once");
    const install = conn.calls[0];
    assert.ok(install);
    assert.ok(install.stdin.includes("printf"));
    const path = /^SUDO_ASKPASS=(\S+) sudo -H -A -u root --$/.exec(first)?.[1];
    assert.ok(path, first);
    assert.equal(second, `SUDO_ASKPASS=${path} sudo -H -A -u nobody --`);

    const dir = path.slice(0, path.lastIndexOf("/"));
    const modes = await new LocalConnection({ hostName: "l" }).exec(`stat -c %a ${dir} ${path}`);
    assert.equal(modes.stdout, "700\n700\n");
    const run = await new LocalConnection({ hostName: "l" }).exec(path);
    assert.equal(run.stdout, PASSWORD + "\n");

    await become.close();
    assert.equal((await new LocalConnection({ hostName: "l" }).exec(`test -e ${dir}`)).code, 1);
    for (const call of conn.calls) assert.ok(!call.command.includes(PASSWORD), call.command);
    for (const words of [first, second]) assert.ok(!words.includes(PASSWORD));
  });

  test("a helper that cannot be installed fails with a message that does not hold the password", async () => {
    const failing: Connection = {
      hostName: "broken",
      connect: () => Promise.resolve(),
      exec: () => Promise.resolve({ code: 1, stdout: "", stderr: "mktemp: failed to create directory" }),
      openTcp: () => Promise.reject(new Error("not used")),
      close: () => Promise.resolve(),
    };
    const become = new Become(failing, secret(PASSWORD));
    const error = await become.runAs("root").catch((e: unknown) => e);
    assert.ok(error instanceof CommandFailedError);
    assert.match(error.message, /askpass helper/);
    assert.ok(!error.message.includes(PASSWORD));
    assert.equal(error.host, "broken");
  });
});
