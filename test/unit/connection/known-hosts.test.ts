import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  appendKnownHost,
  checkHostKey,
  entryMatches,
  fingerprint,
  keyTypeOf,
  knownHostName,
  knownKeyTypes,
  parseKnownHosts,
  readKnownHosts,
} from "../../../engine/connection/known-hosts.js";

/** A wire-format public key blob: the type name and the key bytes, each length-prefixed (valid for ed25519). */
function blob(type: string, seed: number): Buffer {
  const string = (bytes: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return Buffer.concat([string(Buffer.from(type)), string(Buffer.alloc(32, seed))]);
}

const ED_A = blob("ssh-ed25519", 1);
const ED_B = blob("ssh-ed25519", 2);
const RSA = blob("ssh-rsa", 3);

function line(hosts: string, key: Buffer): string {
  return `${hosts} ${keyTypeOf(key)} ${key.toString("base64")}`;
}

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
}

describe("known_hosts parsing", () => {
  test("reads plain lines, comments, blank lines, markers and trailing comments", () => {
    const text = [
      "# a comment",
      "",
      line("web1,10.0.0.5", ED_A) + " root@laptop",
      "@revoked * " + `ssh-ed25519 ${ED_B.toString("base64")}`,
      "@cert-authority *.lab " + `ssh-rsa ${RSA.toString("base64")}`,
      "@bogus web1 " + `ssh-ed25519 ${ED_B.toString("base64")}`,
      "truncated-line ssh-ed25519",
      "   " + line("[db]:2222", RSA),
    ].join("\n");
    const entries = parseKnownHosts(text);
    assert.deepEqual(
      entries.map((e) => [e.line, e.marker, e.hosts, e.keyType]),
      [
        [3, undefined, "web1,10.0.0.5", "ssh-ed25519"],
        [4, "revoked", "*", "ssh-ed25519"],
        [5, "cert-authority", "*.lab", "ssh-rsa"],
        [8, undefined, "[db]:2222", "ssh-rsa"],
      ],
    );
    assert.ok(entries[0]?.key.equals(ED_A));
  });

  test("the looked-up name carries the port only when it is not 22, lower-cased", () => {
    assert.equal(knownHostName("Web1.Lab", 22), "web1.lab");
    assert.equal(knownHostName("127.0.0.1", 2222), "[127.0.0.1]:2222");
  });
});

describe("known_hosts matching", () => {
  const entry = (hosts: string) => {
    const [parsed] = parseKnownHosts(line(hosts, ED_A));
    assert.ok(parsed);
    return parsed;
  };

  test("plain names and comma lists, case-insensitive", () => {
    assert.ok(entryMatches(entry("web1,web2"), "web2"));
    assert.ok(entryMatches(entry("WEB1"), "web1"));
    assert.ok(!entryMatches(entry("web1"), "web10"));
  });

  test("[host]:port is a different name from host", () => {
    assert.ok(entryMatches(entry("[127.0.0.1]:2222"), "[127.0.0.1]:2222"));
    assert.ok(!entryMatches(entry("[127.0.0.1]:2222"), "127.0.0.1"));
    assert.ok(!entryMatches(entry("127.0.0.1"), "[127.0.0.1]:2222"));
  });

  test("wildcards and negation", () => {
    assert.ok(entryMatches(entry("*.lab"), "web1.lab"));
    assert.ok(entryMatches(entry("web?.lab"), "web3.lab"));
    assert.ok(!entryMatches(entry("web?.lab"), "web10.lab"));
    assert.ok(!entryMatches(entry("*.lab,!db.lab"), "db.lab"));
    assert.ok(entryMatches(entry("*.lab,!db.lab"), "web.lab"));
    // Dots are literal, not regex wildcards.
    assert.ok(!entryMatches(entry("10.0.0.5"), "10x0y0z5"));
  });

  test("hashed entries match the exact name they were hashed from", () => {
    assert.ok(entryMatches(entry(hashed("web1")), "web1"));
    assert.ok(entryMatches(entry(hashed("[127.0.0.1]:2222")), "[127.0.0.1]:2222"));
    assert.ok(!entryMatches(entry(hashed("web1")), "web2"));
    assert.ok(!entryMatches(entry(hashed("127.0.0.1")), "[127.0.0.1]:2222"));
  });

  test("entries hashed by ssh-keygen -H match", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rems-kh-"));
    try {
      const file = join(dir, "known_hosts");
      await writeFile(file, [line("example.com", ED_A), line("[127.0.0.1]:2222", ED_B)].join("\n") + "\n");
      await promisify(execFile)("ssh-keygen", ["-H", "-f", file]);
      const entries = await readKnownHosts(file);
      assert.ok(entries.every((e) => e.hosts.startsWith("|1|")));
      assert.equal(checkHostKey(entries, "example.com", 22, ED_A).status, "known");
      assert.equal(checkHostKey(entries, "127.0.0.1", 2222, ED_B).status, "known");
      assert.equal(checkHostKey(entries, "127.0.0.1", 2222, ED_A).status, "changed");
      assert.equal(checkHostKey(entries, "127.0.0.1", 22, ED_B).status, "unknown");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("host key check", () => {
  const entries = parseKnownHosts(
    [line("web1", ED_A), line(hashed("[db]:2222"), ED_A), "@revoked web2 " + `ssh-ed25519 ${ED_B.toString("base64")}`, line("web2", ED_A)].join("\n"),
  );

  test("the recorded key is known", () => {
    assert.deepEqual(checkHostKey(entries, "web1", 22, ED_A), { status: "known" });
    assert.deepEqual(checkHostKey(entries, "db", 2222, ED_A), { status: "known" });
  });

  test("a host never seen is unknown, also on another port", () => {
    assert.deepEqual(checkHostKey(entries, "web9", 22, ED_A), { status: "unknown" });
    assert.deepEqual(checkHostKey(entries, "web1", 2200, ED_A), { status: "unknown" });
  });

  test("another key for a known host is a change, naming the recorded line", () => {
    const result = checkHostKey(entries, "web1", 22, ED_B);
    assert.ok(result.status === "changed");
    assert.deepEqual(result.known.map((e) => e.line), [1]);
    assert.equal(checkHostKey(entries, "db", 2222, RSA).status, "changed");
  });

  test("a revoked key is refused for its hosts", () => {
    const result = checkHostKey(entries, "web2", 22, ED_B);
    assert.equal(result.status, "revoked");
  });

  test("known key types for a host", () => {
    const mixed = parseKnownHosts([line("web1", ED_A), line("web1", RSA), line("web3", RSA)].join("\n"));
    assert.deepEqual(knownKeyTypes(mixed, "web1", 22), ["ssh-ed25519", "ssh-rsa"]);
    assert.deepEqual(knownKeyTypes(mixed, "web9", 22), []);
  });

  test("fingerprints are printed like ssh-keygen -l", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rems-kh-"));
    try {
      const file = join(dir, "key.pub");
      await writeFile(file, line("", ED_A).trim() + "\n");
      const { stdout } = await promisify(execFile)("ssh-keygen", ["-l", "-f", file]);
      assert.equal(stdout.split(" ")[1], fingerprint(ED_A));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("known_hosts files", () => {
  test("a missing file knows nothing; append creates it and adds lines that read back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rems-kh-"));
    try {
      const file = join(dir, "sub", "known_hosts");
      assert.deepEqual(await readKnownHosts(file), []);
      await appendKnownHost(file, "127.0.0.1", 2222, ED_A);
      await appendKnownHost(file, "web1", 22, RSA);
      assert.equal(
        await readFile(file, "utf8"),
        `[127.0.0.1]:2222 ssh-ed25519 ${ED_A.toString("base64")}\nweb1 ssh-rsa ${RSA.toString("base64")}\n`,
      );
      assert.equal(checkHostKey(await readKnownHosts(file), "127.0.0.1", 2222, ED_A).status, "known");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("append starts a new line when the file does not end with one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rems-kh-"));
    try {
      const file = join(dir, "known_hosts");
      await writeFile(file, line("web1", ED_A));
      await appendKnownHost(file, "web2", 22, ED_B);
      const entries = await readKnownHosts(file);
      assert.deepEqual(entries.map((e) => e.hosts), ["web1", "web2"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
