import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { sh, secret } from "../../../engine/command.js";
import { Become } from "../../../engine/connection/become.js";
import type { Connection, ConnectionSpec } from "../../../engine/connection/connection.js";
import { openConnection } from "../../../engine/connection/open.js";
import { CommandFailedError, ConnectionError, InterruptedError } from "../../../engine/errors.js";
import { freePort, generateKey, skipUnlessLoopbackSshd, startLoopbackSshd } from "../../helpers/loopback-sshd.js";
import type { LoopbackSshd } from "../../helpers/loopback-sshd.js";

const run = promisify(execFile);

describe("ssh connection to a loopback sshd", skipUnlessLoopbackSshd(), () => {
  let sshd: LoopbackSshd;
  const opened: Connection[] = [];
  // Test accounts: one that needs its password for sudo, one with NOPASSWD. Most tests log in as the latter,
  // whose shell starts fast whatever root's dotfiles on this machine do.
  const suffix = randomBytes(3).toString("hex");
  const withPassword = `remspw${suffix}`;
  const withoutPassword = `remsnp${suffix}`;
  const password = `Pw-${randomBytes(9).toString("base64url")}'$x`;
  const sudoers = `/etc/sudoers.d/rems-play-test-${suffix}`;

  before(async () => {
    sshd = await startLoopbackSshd({ passwordAuthentication: true });
    for (const user of [withPassword, withoutPassword]) await run("useradd", ["-m", "-s", "/bin/bash", user]);
    const chpasswd = run("chpasswd");
    chpasswd.child.stdin?.end(`${withPassword}:${password}\n${withoutPassword}:${randomBytes(12).toString("hex")}\n`);
    await chpasswd;
    await writeFile(sudoers, `${withPassword} ALL=(ALL:ALL) ALL\n${withoutPassword} ALL=(ALL:ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    await run("visudo", ["-c", "-f", sudoers]);
  });
  after(async () => {
    await Promise.all(opened.map((c) => c.close()));
    await sshd.stop();
    await run("rm", ["-f", sudoers]);
    for (const user of [withPassword, withoutPassword]) await run("userdel", ["-r", "-f", user]);
  });

  function connection(overrides: Partial<ConnectionSpec> = {}): Connection {
    const conn = openConnection({
      hostName: "loop",
      type: "ssh",
      address: sshd.address,
      port: sshd.port,
      user: withoutPassword,
      privateKeyFile: sshd.clientKeyFile,
      knownHostsFile: sshd.knownHostsFile,
      hostKeyPolicy: "strict",
      connectTimeoutMs: 10_000,
      ...overrides,
    });
    opened.push(conn);
    return conn;
  }

  /** The client side of the TCP connection, as the host sees it: the same for every exec on one connection. */
  async function clientEndpoint(conn: Connection): Promise<string> {
    const { stdout } = await conn.exec("echo $SSH_CONNECTION");
    return stdout.split(" ").slice(0, 2).join(":");
  }

  test("connect is idempotent and exec returns exit code, stdout and stderr", async () => {
    const conn = connection();
    await Promise.all([conn.connect(), conn.connect()]);
    await conn.connect();
    assert.deepEqual(await conn.exec("printf out; printf err >&2; exit 3"), { code: 3, stdout: "out", stderr: "err" });
    assert.deepEqual(await conn.exec("id -un"), { code: 0, stdout: `${withoutPassword}\n`, stderr: "" });
  });

  test("root logs in with its key, as Ansible inventories usually do", async () => {
    assert.equal((await connection({ user: "root" }).exec("id -un")).stdout, "root\n");
  });

  test("commands run with /bin/sh, whatever the login shell", async () => {
    const conn = connection();
    assert.equal((await conn.exec("readlink /proc/$$/exe")).stdout.trim(), (await run("readlink", ["-f", "/bin/sh"])).stdout.trim());
  });

  test("50 execs in a row are all served on one connection", async () => {
    const conn = connection();
    const endpoint = await clientEndpoint(conn);
    for (let i = 0; i < 50; i++) {
      const result = await conn.exec(`echo ${i} $SSH_CONNECTION`);
      assert.equal(result.code, 0);
      assert.equal(result.stdout.split(" ").slice(0, 3).join(":"), `${i}:${endpoint}`);
    }
  });

  test("a command that exits 124 by itself is not taken for a timeout", async () => {
    assert.equal((await connection().exec("exit 124", { timeoutMs: 60_000 })).code, 124);
  });

  test("20 concurrent execs, more than MaxSessions=10, all succeed on one connection", async () => {
    const conn = connection();
    const endpoint = await clientEndpoint(conn);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => conn.exec(`sleep 0.1; echo ${i} $SSH_CONNECTION`)));
    results.forEach((result, i) => {
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.split(" ").slice(0, 3).join(":"), `${i}:${endpoint}`);
    });
  });

  test("refused channel opens are retried when sshd allows fewer sessions than we run at once", async () => {
    const tight = await startLoopbackSshd({ maxSessions: 3 });
    try {
      const conn = openConnection({
        hostName: "tight",
        type: "ssh",
        address: tight.address,
        port: tight.port,
        user: withoutPassword,
        privateKeyFile: tight.clientKeyFile,
        knownHostsFile: tight.knownHostsFile,
        hostKeyPolicy: "strict",
        connectTimeoutMs: 10_000,
      });
      try {
        const results = await Promise.all(Array.from({ length: 12 }, (_, i) => conn.exec(`sleep 0.2; echo ${i}`)));
        assert.deepEqual(
          results.map((r) => r.stdout),
          Array.from({ length: 12 }, (_, i) => `${i}\n`),
        );
      } finally {
        await conn.close();
      }
    } finally {
      await tight.stop();
    }
  });

  test("stdin carries 1 MB of binary data intact", async () => {
    const conn = connection();
    const data = randomBytes(1 << 20);
    const result = await conn.exec('f=$(mktemp) && cat > "$f" && sha256sum < "$f" && wc -c < "$f" && rm "$f"', { stdin: data });
    assert.equal(result.code, 0, result.stderr);
    const [sum, size] = result.stdout.split("\n");
    assert.equal(sum?.split(" ")[0], createHash("sha256").update(data).digest("hex"));
    assert.equal(size?.trim(), String(data.length));
  });

  test("UTF-8 output is decoded whole and a signal death reports 128 + signal", async () => {
    const conn = connection();
    assert.equal((await conn.exec("printf 'h\\303\\251\\342\\202\\254'")).stdout, "hé€");
    assert.equal((await conn.exec("kill -TERM $$")).code, 143);
  });

  test("a timeout kills the remote command and rejects; the connection stays usable", async () => {
    const conn = connection();
    const marker = "rems-timeout-marker";
    const started = Date.now();
    const error = await conn.exec(`rm -f ~/${marker}; echo started; sleep 5; sleep 5; touch ~/${marker}`, { timeoutMs: 300 }).catch((e: unknown) => e);
    assert.ok(error instanceof CommandFailedError, String(error));
    assert.equal(error.exitCode, 124);
    assert.match(error.message, /timed out after 300 ms/);
    assert.equal(error.stdout, "started\n");
    // Not a timing assertion on speed: the command would have run 10 s; it was stopped long before.
    assert.ok(Date.now() - started < 9_000, "the whole command was killed, not just its shell");
    assert.equal((await conn.exec("echo still here")).stdout, "still here\n");
    assert.equal((await conn.exec(`sleep 0.5; test -e ~/${marker}`)).code, 1, "the command's remaining steps never ran");
  });

  test("an abort signal rejects a running exec with InterruptedError; the connection stays usable", async () => {
    const conn = connection();
    await conn.connect();
    const controller = new AbortController();
    const running = conn.exec("sleep 5", { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(running, InterruptedError);
    await assert.rejects(conn.exec("true", { signal: AbortSignal.abort() }), InterruptedError);
    assert.equal((await conn.exec("echo ok")).stdout, "ok\n");
  });

  test("an unknown host key is refused under strict, with how to accept it", async () => {
    const knownHostsFile = join(sshd.dir, "empty_known_hosts");
    await writeFile(knownHostsFile, "");
    const error = await connection({ knownHostsFile }).connect().catch((e: unknown) => e);
    assert.ok(error instanceof ConnectionError, String(error));
    assert.equal(error.host, "loop");
    assert.match(error.message, /unknown host key ssh-ed25519 SHA256:/);
    assert.match(error.message, /ssh-keyscan -p \d+ 127\.0\.0\.1 >>/);
    assert.match(error.message, /remsnp\w+@127\.0\.0\.1:\d+/);
    assert.equal(await readFile(knownHostsFile, "utf8"), "");
  });

  test("accept-new records an unknown host key, which strict then accepts", async () => {
    const knownHostsFile = join(sshd.dir, "new_known_hosts");
    const conn = connection({ knownHostsFile, hostKeyPolicy: "accept-new" });
    await conn.connect();
    assert.equal(await readFile(knownHostsFile, "utf8"), `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    await connection({ knownHostsFile }).connect();
  });

  test("hashed known_hosts entries (ssh-keygen -H) are honoured", async () => {
    const knownHostsFile = join(sshd.dir, "hashed_known_hosts");
    await writeFile(knownHostsFile, await readFile(sshd.knownHostsFile));
    await run("ssh-keygen", ["-H", "-f", knownHostsFile]);
    assert.match(await readFile(knownHostsFile, "utf8"), /^\|1\|/);
    await connection({ knownHostsFile }).connect();
  });

  test("issue 16 item 4: a changed host key stops the host, even under accept-new, and ignore still says so", async () => {
    const knownHostsFile = join(sshd.dir, "changed_known_hosts");
    const otherKey = await generateKey(join(sshd.dir, "other_host_key"));
    await writeFile(knownHostsFile, `[127.0.0.1]:${sshd.port} ${otherKey}\n`);
    for (const hostKeyPolicy of ["strict", "accept-new"] as const) {
      const error = await connection({ knownHostsFile, hostKeyPolicy }).connect().catch((e: unknown) => e);
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, /host key changed/);
      assert.match(error.message, /changed_known_hosts:1/);
    }
    assert.equal(await readFile(knownHostsFile, "utf8"), `[127.0.0.1]:${sshd.port} ${otherKey}\n`);
    // "ignore" is the explicit opt-out, and it still says that the key changed.
    const warnings: string[] = [];
    await connection({ knownHostsFile, hostKeyPolicy: "ignore", warn: (message) => warnings.push(message) }).connect();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? "", /host key checking is off, and the host presented \S+ SHA256:\S+, which .*changed_known_hosts records as a different key: connecting anyway/);
  });

  test("a host that offers none of the key types recorded for it is stopped as a likely key change", async () => {
    const knownHostsFile = join(sshd.dir, "rsa_known_hosts");
    const rsaKey = await generateKey(join(sshd.dir, "rsa_host_key"), "rsa");
    await writeFile(knownHostsFile, `[127.0.0.1]:${sshd.port} ${rsaKey}\n`);
    const error = await connection({ knownHostsFile, hostKeyPolicy: "accept-new" }).connect().catch((e: unknown) => e);
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(error.message, /records only ssh-rsa keys for this host, and it offers none of them/);
  });

  test("a closed port fails fast as unreachable (ECONNREFUSED)", async () => {
    const port = await freePort();
    const error = await connection({ port }).connect().catch((e: unknown) => e);
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(error.message, new RegExp(`loop \\(${withoutPassword}@127\\.0\\.0\\.1:${port}\\): unreachable: connection refused \\(ECONNREFUSED\\)`));
    assert.ok(error.cause instanceof Error);
  });

  test("a host that accepts TCP but never speaks SSH times out as unreachable; execs then fail fast", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const address = silent.address();
      assert.ok(address && typeof address === "object");
      const conn = connection({ port: address.port, connectTimeoutMs: 300 });
      const error = await conn.connect().catch((e: unknown) => e);
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, /unreachable: no answer within 300 ms \(during SSH handshake\)/);
      assert.equal(await conn.exec("true").catch((e: unknown) => e), error);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test("a key the host does not accept fails authentication, naming what was tried", async () => {
    const wrongKey = join(sshd.dir, "wrong_client_key");
    await generateKey(wrongKey);
    const error = await connection({ privateKeyFile: wrongKey }).connect().catch((e: unknown) => e);
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(error.message, new RegExp(`authentication failed as ${withoutPassword} \\(tried: publickey ${wrongKey}\\)`));
  });

  test("a missing key file is reported as such", async () => {
    const error = await connection({ privateKeyFile: join(sshd.dir, "no-such-key") }).connect().catch((e: unknown) => e);
    assert.ok(error instanceof ConnectionError);
    assert.match(error.message, /cannot use the private key .*no-such-key: cannot read it \(ENOENT\)/);
  });

  test("a passphrase-protected key is refused with a hint instead of silently skipped", async () => {
    const encrypted = join(sshd.dir, "encrypted_key");
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "a passphrase", "-f", encrypted]);
    const error = await connection({ privateKeyFile: encrypted }).connect().catch((e: unknown) => e);
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(error.message, /encrypted_key: it is protected by a passphrase; load it into ssh-agent instead/);
  });

  test("a dropped connection fails running and later execs with ConnectionError", async () => {
    const conn = connection();
    await conn.connect();
    const pending = conn.exec("sleep 5").catch((e: unknown) => e);
    // Kill this connection's sshd session process (an ancestor of the command) from inside it. The walk starts
    // at the parent: this shell's own command line contains the pattern.
    const killSession =
      'p=$PPID; while [ "$p" -gt 1 ]; do case "$(ps -o args= -p "$p")" in sshd:*@notty*) kill -9 "$p"; exit 0;; esac; ' +
      'p=$(ps -o ppid= -p "$p" | tr -d " "); done; exit 1';
    const killed = await conn.exec(killSession).catch((e: unknown) => e);
    assert.ok(killed instanceof ConnectionError, String(killed));
    assert.match(killed.message, /connection lost/);
    const running = await pending;
    assert.ok(running instanceof ConnectionError, String(running));
    assert.equal(await conn.exec("true").catch((e: unknown) => e), killed);
  });

  describe("become through sudo", () => {
    test("a NOPASSWD user becomes root with sudo -n", async () => {
      const conn = connection({ user: withoutPassword });
      const become = new Become(conn);
      assert.equal((await conn.exec("id -un")).stdout, `${withoutPassword}\n`);
      const result = await conn.exec(`id -un; echo "$HOME"`, { runAs: await become.runAs("root") });
      assert.deepEqual(result, { code: 0, stdout: "root\n/root\n", stderr: "" });
      await become.close();
    });

    test("a user that needs a password becomes root through askpass; the password appears nowhere", async () => {
      const conn = connection({ user: withPassword });
      const become = new Become(conn, secret(password));
      // While sudo runs, list every process's command line on the host.
      const runAs = await become.runAs("root");
      assert.ok(!runAs.includes(password));
      const result = await conn.exec("id -un; ps -eo args", { runAs });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^root\n/);
      assert.ok(result.stdout.includes("ps -eo args"), "the process list was taken while the command ran");
      assert.ok(!result.stdout.includes("id -un"), "the script is in no command line (issue 16 item 2)");
      assert.ok(!result.stdout.includes(password) && !result.stderr.includes(password));

      const helper = /^SUDO_ASKPASS=(\S+) /.exec(runAs)?.[1];
      assert.ok(helper);
      const helperDir = helper.slice(0, helper.lastIndexOf("/"));
      assert.equal((await conn.exec(sh`stat -c '%a %U' ${helperDir} ${helper}`.text)).stdout, `700 ${withPassword}\n700 ${withPassword}\n`);
      await become.close();
      assert.equal((await conn.exec(sh`test -e ${helperDir}`.text)).code, 1, "the helper is removed on close");
    });

    test("without the password sudo -n fails cleanly; a wrong password fails without echoing it", async () => {
      const conn = connection({ user: withPassword });
      const noPassword = await conn.exec("id -un", { runAs: await new Become(conn).runAs("root") });
      assert.equal(noPassword.code, 1);
      assert.match(noPassword.stderr, /password is required/);

      const wrongPassword = `Wrong-${randomBytes(6).toString("hex")}`;
      const become = new Become(conn, secret(wrongPassword));
      const wrong = await conn.exec("id -un", { runAs: await become.runAs("root") });
      assert.notEqual(wrong.code, 0);
      assert.ok(!wrong.stdout.includes(wrongPassword) && !wrong.stderr.includes(wrongPassword));
      await become.close();
    });

    test("password authentication logs in without a key", async () => {
      const conn = connection({ user: withPassword, privateKeyFile: undefined, password });
      assert.equal((await conn.exec("id -un")).stdout, `${withPassword}\n`);
      const wrong = await connection({ user: withPassword, privateKeyFile: undefined, password: "not-it-1234" })
        .connect()
        .catch((e: unknown) => e);
      assert.ok(wrong instanceof ConnectionError);
      assert.match(wrong.message, /authentication failed as remspw\w+ \(tried: .*password, keyboard-interactive\)/);
      assert.ok(!wrong.message.includes("not-it-1234"));
    });
  });
});
