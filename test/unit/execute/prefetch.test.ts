/**
 * The prefetch pass: which tasks' facts go into the one batched probe. A task whose `when` is already false is left
 * out; one whose condition or arguments need a result registered later probes for itself.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sh } from "../../../engine/command.js";
import type { Connection } from "../../../engine/connection/connection.js";
import { defineFact } from "../../../engine/facts.js";
import { HostRun } from "../../../engine/execute/host-run.js";
import { SecretRegistry } from "../../../engine/mask.js";
import { defineModule } from "../../../engine/module-api.js";
import { prefetchFacts } from "../../../engine/execute/prefetch.js";
import { resolveTask } from "../../../engine/execute/resolve.js";
import type { Task, Vars } from "../../../engine/types.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";

const marker = defineFact<string, { path: string }>({
  name: "marker",
  command: ({ path }) => sh`probe-marker ${path}`,
  parse: ({ stdout }) => stdout,
});

const reads = defineModule<{ path: string }>({
  name: "reads",
  description: "Read a marker",
  schema: { type: "object", properties: { path: { type: "string", description: "what to read" } } },
  examples: [],
  capabilities: { diff: false, idempotent: true },
  async check(ctx, args) {
    return { changed: false, reason: await ctx.fact(marker, { path: args.path }) };
  },
});

function task(path: string, when?: unknown[]): Task {
  return { kind: "task", name: path, action: "reads", args: { path }, kw: when ? { when } : {}, loc: { file: "t.yml", line: 1, col: 1 }, role: undefined, dir: "/" };
}

test("a task whose when is false now is not probed; one whose when needs a later result is", async () => {
  const sent: string[] = [];
  const connection: Connection = {
    hostName: "h",
    connect: () => Promise.resolve(),
    exec: (command) => {
      sent.push(command);
      return Promise.resolve({ code: 0, stdout: "", stderr: "" });
    },
    openTcp: () => Promise.reject(new Error("no tunnels here")),
    close: () => Promise.resolve(),
  };
  const host = new HostRun("h", connection, "root", (command) => Promise.resolve(command), () => Promise.resolve());
  const vars: Vars = { mode: "self_signed" };
  await prefetchFacts(
    [
      { resolved: resolveTask(task("/always"), []), vars },
      { resolved: resolveTask(task("/skipped", ["mode == 'internal_ca'"]), []), vars },
      { resolved: resolveTask(task("/wanted", ["mode == 'self_signed'"]), []), vars },
      { resolved: resolveTask(task("/later", ["_registered.stdout | length == 0"]), []), vars },
    ],
    { host, registry: new Map([["reads", reads]]), check: true, diff: false, playbookDir: "/", secrets: new SecretRegistry(), vault: NO_VAULT, signal: new AbortController().signal },
  );
  assert.equal(sent.length, 1, "one batched probe");
  const [script = ""] = sent;
  for (const path of ["/always", "/wanted", "/later"]) assert.ok(script.includes(`probe-marker ${path}`), `${path} is probed`);
  assert.ok(!script.includes("/skipped"), "the skipped task is not probed");
});
