import type { Duplex } from "node:stream";
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { sh, secret } from "../../../engine/command.js";
import type { Connection, ExecOptions, ExecResult } from "../../../engine/connection/connection.js";
import { askpassScript, Become, sudoCommand } from "../../../engine/connection/become.js";
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

describe("sudoCommand", () => {
  test("without a password: non-interactive sudo, the command as one quoted word", () => {
    const wrapped = sudoCommand(sh`echo ${"it's"} > ${"/tmp/a b"}`, "app user");
    assert.equal(wrapped.text, `sudo -H -n -u 'app user' -- /bin/sh -c 'echo '"'"'it'"'"'"'"'"'"'"'"'s'"'"' > '"'"'/tmp/a b'"'"''`);
  });

  test("the quoted command survives a real shell unchanged", async () => {
    const inner = sh`printf '%s|' ${"a'b"} ${"$HOME"} ${"x y"}`;
    // Replace sudo with a function that drops its options, so only the quoting is exercised.
    const wrapped = sudoCommand(inner, "root");
    const shim = `sudo() { while [ "$1" != "--" ]; do shift; done; shift; "$@"; }; ${wrapped.text}`;
    const result = await new LocalConnection({ hostName: "l" }).exec(shim);
    assert.equal(result.stdout, "a'b|$HOME|x y|");
  });

  test("with an askpass helper: sudo -A and SUDO_ASKPASS", () => {
    const wrapped = sudoCommand(sh`id -un`, "postgres", "/tmp/tmp.X/askpass");
    assert.equal(wrapped.text, "SUDO_ASKPASS=/tmp/tmp.X/askpass sudo -H -A -u postgres -- /bin/sh -c 'id -un'");
  });

  test("secrets in the inner command stay masked in the display form", () => {
    const wrapped = sudoCommand(sh`mysql -p${secret("hunter22")}`, "root");
    assert.ok(wrapped.text.includes("hunter22"));
    assert.ok(!wrapped.display.includes("hunter22"));
    assert.match(wrapped.display, /\*{8}/);
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
    const wrapped = await become.wrap(sh`whoami`, "root");
    assert.equal(wrapped.text, "sudo -H -n -u root -- /bin/sh -c whoami");
    await become.close();
    assert.deepEqual(conn.calls, []);
  });

  test("with a password: one private helper, password only on stdin, removed on close", async () => {
    const conn = new RecordingConnection();
    const become = new Become(conn, secret(PASSWORD));
    const [first, second] = await Promise.all([become.wrap(sh`whoami`, "root"), become.wrap(sh`id`, "nobody")]);
    assert.equal(conn.calls.length, 1, "the helper is installed once");
    const install = conn.calls[0];
    assert.ok(install);
    assert.ok(install.stdin.includes("printf"));
    const path = /^SUDO_ASKPASS=(\S+) sudo -H -A -u root -- \/bin\/sh -c whoami$/.exec(first.text)?.[1];
    assert.ok(path, first.text);
    assert.ok(second.text.startsWith(`SUDO_ASKPASS=${path} sudo -H -A -u nobody`));

    const dir = path.slice(0, path.lastIndexOf("/"));
    const modes = await new LocalConnection({ hostName: "l" }).exec(`stat -c %a ${dir} ${path}`);
    assert.equal(modes.stdout, "700\n700\n");
    const run = await new LocalConnection({ hostName: "l" }).exec(path);
    assert.equal(run.stdout, PASSWORD + "\n");

    await become.close();
    assert.equal((await new LocalConnection({ hostName: "l" }).exec(`test -e ${dir}`)).code, 1);
    for (const call of conn.calls) assert.ok(!call.command.includes(PASSWORD), call.command);
    for (const command of [first, second]) {
      assert.ok(!command.text.includes(PASSWORD) && !command.display.includes(PASSWORD));
    }
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
    const error = await become.wrap(sh`id`, "root").catch((e: unknown) => e);
    assert.ok(error instanceof CommandFailedError);
    assert.match(error.message, /askpass helper/);
    assert.ok(!error.message.includes(PASSWORD));
    assert.equal(error.host, "broken");
  });
});
