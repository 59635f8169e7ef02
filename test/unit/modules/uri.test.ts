import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ModuleError } from "../../../engine/errors.js";
import uri from "../../../modules/uri.js";
import { LocalShellContext } from "../../helpers/fake-context.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(uri);

describe("uri on a real shell against a loopback server", () => {
  let server: Server;
  let base = "";
  const received: { method: string; body: string; type: string }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ method: req.method ?? "", body: Buffer.concat(chunks).toString("utf8"), type: req.headers["content-type"] ?? "" });
        if (req.url === "/health") {
          res.writeHead(200, { "Content-Type": "application/json" }).end('{"status": "ok"}');
        } else if (req.url === "/reload") {
          res.writeHead(204).end();
        } else {
          res.writeHead(404, { "Content-Type": "text/plain" }).end("not here");
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  test("GET in check mode makes the request and reports ok with the parsed JSON", async () => {
    const plan = await uri.check(new LocalShellContext({ checkMode: true }), { url: `${base}/health`, return_content: true });
    assert.equal(plan.changed, false);
    assert.deepEqual("output" in plan ? plan.output : undefined, {
      url: `${base}/health`,
      status: 200,
      content_type: "application/json",
      content: '{"status": "ok"}',
      json: { status: "ok" },
    });
  });

  test("an unexpected status fails the task", async () => {
    await assert.rejects(uri.check(new LocalShellContext(), { url: `${base}/missing` }), (err: unknown) => {
      assert.ok(err instanceof ModuleError);
      assert.equal(err.message, `GET ${base}/missing returned status 404; expected 200`);
      return true;
    });
  });

  test("POST with a JSON body is made in apply and sends the body", async () => {
    const ctx = new LocalShellContext();
    const args = { url: `${base}/reload`, method: "POST" as const, body_format: "json" as const, body: { reason: "deploy" }, status_code: 204 };
    const plan = await uri.check(ctx, args);
    if (plan.changed !== true || !uri.apply) throw new assert.AssertionError({ message: "POST should be planned" });
    assert.equal(received.filter((r) => r.method === "POST").length, 0, "check does not send the POST");
    ctx.phase = "apply";
    const result = await uri.apply(ctx, args, plan);
    assert.equal(result.output?.status, 204);
    assert.deepEqual(received.at(-1), { method: "POST", body: '{"reason":"deploy"}', type: "application/json" });
  });

  test("a closed port fails with the connection error", async () => {
    await assert.rejects(uri.check(new LocalShellContext(), { url: "http://127.0.0.1:9/", timeout: 5 }), /failed: .*Connection refused/);
  });
});
