import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sh } from "../../../engine/command.js";
import type { Connection } from "../../../engine/connection/connection.js";
import { HostContext } from "../../../engine/execute/module-context.js";
import type { HostContextOptions } from "../../../engine/execute/module-context.js";
import { defineFact } from "../../../engine/facts.js";
import type { FactRequest } from "../../../engine/facts.js";
import { SecretRegistry } from "../../../engine/mask.js";
import { Vault } from "../../../engine/vault/vault.js";

const readable = defineFact<string, { path: string }>({
  name: "readable_test",
  command: ({ path }) => sh`test -r ${path} && echo yes || echo no`,
  parse: ({ stdout }) => stdout.trim(),
  perUser: true,
});
const plain = defineFact<string, { path: string }>({ name: "plain_test", command: ({ path }) => sh`cat ${path}`, parse: ({ stdout }) => stdout });

/** A context whose connection answers "no" and records what ran; its cache answers "cached:<fact>". */
function context(user: string): { ctx: HostContext; ran: { script: string; runAs: string | undefined }[]; cacheAsked: string[] } {
  const ran: { script: string; runAs: string | undefined }[] = [];
  const cacheAsked: string[] = [];
  const connection: Connection = {
    hostName: "h",
    connect: () => Promise.resolve(),
    exec: (script, options) => {
      ran.push({ script, runAs: options?.runAs });
      return Promise.resolve({ code: 0, stdout: "no\n", stderr: "" });
    },
    openTcp: () => Promise.reject(new Error("no tunnels here")),
    close: () => Promise.resolve(),
  };
  const secrets = new SecretRegistry();
  const options: HostContextOptions = {
    host: "h",
    user,
    probeUser: "root",
    connection,
    facts: {
      get: (requests: readonly FactRequest[]) => {
        cacheAsked.push(...requests.map((request) => request.fact.name));
        return Promise.resolve(requests.map((request) => `cached:${request.fact.name}`));
      },
    },
    runAs: () => Promise.resolve(user === "root" ? undefined : `sudo -u ${user}`),
    vars: {},
    checkMode: false,
    diffMode: false,
    changesPlanned: false,
    noLog: false,
    environment: {},
    role: undefined,
    taskDir: "/",
    playbookDir: "/",
    secrets,
    vault: new Vault([], secrets),
    signal: new AbortController().signal,
    task: "t",
    render: (text) => text,
  };
  return { ctx: new HostContext(options), ran, cacheAsked };
}

describe("HostContext facts", () => {
  test("a perUser fact of a task that becomes another user is probed as that user, apart from the cache", async () => {
    const { ctx, ran, cacheAsked } = context("alice");
    const values = await ctx.facts([
      { fact: plain, args: { path: "/a" } },
      { fact: readable, args: { path: "/b" } },
    ] as FactRequest[]);
    assert.deepEqual(values, ["cached:plain_test", "no"]);
    assert.deepEqual(cacheAsked, ["plain_test"]);
    assert.equal(ran.length, 1);
    assert.deepEqual(ran, [{ script: "test -r /b && echo yes || echo no", runAs: "sudo -u alice" }]);
  });

  test("a perUser fact of a task that runs as the probe user is read from the cache", async () => {
    const { ctx, ran, cacheAsked } = context("root");
    assert.equal(await ctx.fact(readable, { path: "/b" }), "cached:readable_test");
    assert.deepEqual(cacheAsked, ["readable_test"]);
    assert.deepEqual(ran, []);
  });
});
