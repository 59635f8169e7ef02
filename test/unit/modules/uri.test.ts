import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import { createServer as createSecureServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ModuleError } from "../../../engine/errors.js";
import uri from "../../../modules/uri.js";
import { LocalShellContext } from "../../helpers/fake-context.js";
import { runModuleCases } from "../../helpers/module-tester.js";
import { repoRoot } from "../../helpers/rems-play.js";

runModuleCases(uri);

/** Answers like the app: JSON health, a redirect, a POST target, a page that never answers; 404 otherwise. */
function app(received: { method: string; body: string; type: string }[]): RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", body: Buffer.concat(chunks).toString("utf8"), type: req.headers["content-type"] ?? "" });
      if (req.url === "/health") res.writeHead(200, { "Content-Type": "application/json" }).end('{"status": "ok"}');
      else if (req.url === "/old") res.writeHead(301, { Location: "/health" }).end();
      else if (req.url === "/reload") res.writeHead(204).end();
      else if (req.url !== "/hang") res.writeHead(404, { "Content-Type": "text/plain" }).end("not here");
    });
  };
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

describe("uri on a real shell against loopback servers", () => {
  const received: { method: string; body: string; type: string }[] = [];
  const tls = join(repoRoot, "test/fixtures/tls");
  const server = createServer(app(received));
  const secure = createSecureServer({ cert: readFileSync(join(tls, "localhost.crt")), key: readFileSync(join(tls, "localhost.key")) }, app(received));
  let base = "";
  let secureBase = "";
  before(async () => {
    base = `http://127.0.0.1:${await listening(server)}`;
    secureBase = `https://localhost:${await listening(secure)}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    secure.closeAllConnections();
    secure.close();
  });

  test("GET in check mode makes the request and reports ok with the parsed JSON", async () => {
    const plan = await uri.check(new LocalShellContext({ checkMode: true }), { url: `${base}/health`, return_content: true });
    assert.equal(plan.changed, false);
    assert.deepEqual("output" in plan ? plan.output : undefined, {
      url: `${base}/health`,
      redirected: false,
      status: 200,
      content_type: "application/json",
      content: '{"status": "ok"}',
      json: { status: "ok" },
    });
  });

  test("a GET follows a redirect, a HEAD too", async () => {
    for (const method of ["GET", "HEAD"] as const) {
      const plan = await uri.check(new LocalShellContext(), { url: `${base}/old`, method });
      assert.deepEqual("output" in plan ? { url: plan.output.url, redirected: plan.output.redirected } : undefined, { url: `${base}/health`, redirected: true });
    }
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
    assert.deepEqual(ctx.runs, [], "no command ran: the request went over a stream");
  });

  test("a closed port fails with the connection error", async () => {
    await assert.rejects(uri.check(new LocalShellContext(), { url: "http://127.0.0.1:9/", timeout: 5 }), {
      message: "GET http://127.0.0.1:9/ failed: cannot connect to 127.0.0.1:9: connection refused",
    });
  });

  test("a server that does not answer within timeout fails the task", async () => {
    await assert.rejects(uri.check(new LocalShellContext(), { url: `${base}/hang`, timeout: 1 }), { message: `GET ${base}/hang failed: timed out` });
  });

  test("https without certificate checks is spoken over the stream; with them, python3 on the host decides", async () => {
    const ctx = new LocalShellContext();
    const plan = await uri.check(ctx, { url: `${secureBase}/health`, validate_certs: false });
    assert.equal("output" in plan ? plan.output.status : undefined, 200);
    assert.deepEqual(ctx.runs, []);
    // The fixture certificate is self-signed: the host's trust store refuses it.
    await assert.rejects(uri.check(ctx, { url: `${secureBase}/health` }), /^ModuleError: GET https:\/\/localhost:\d+\/health failed: .*CERTIFICATE_VERIFY_FAILED/);
    assert.deepEqual(ctx.commands("check"), [`python3 - GET ${secureBase}/health`]);
  });
});
