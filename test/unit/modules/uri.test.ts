import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import { createServer as createSecureServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ModuleError } from "../../../engine/errors.js";
import uri from "../../../modules/uri.js";
import { FakeContext, LocalShellContext, type CommandFixtures, type TunnelFixtures } from "../../helpers/fake-context.js";
import { runModuleCases } from "../../helpers/module-tester.js";
import { repoRoot } from "../../helpers/rems-play.js";

runModuleCases(uri);

/** The module must fail with this message, and the failed task must register these fields besides changed/failed/msg. */
async function assertFailure(run: Promise<unknown>, msg: string | RegExp, result: Record<string, unknown>): Promise<void> {
  await assert.rejects(run, (err: unknown) => {
    assert.ok(err instanceof ModuleError, `a ModuleError, not ${String(err)}`);
    if (typeof msg === "string") assert.equal(err.message, msg);
    else assert.match(err.message, msg);
    // elapsed is whole seconds of wall time: at least what the case takes (a timeout's), more on a busy machine.
    const { elapsed, ...rest } = err.result;
    const { elapsed: least, ...expected } = result;
    assert.deepEqual(rest, expected);
    assert.ok(Number.isInteger(elapsed) && (elapsed as number) >= (least as number), `elapsed ${String(elapsed)}, at least ${String(least)}`);
    return true;
  });
}

/**
 * A request that gets no answer is Ansible's failed result: status -1, the URL asked, elapsed seconds, not
 * redirected, and fetch_url's words in msg, so `until: r.status == 200` retries. Messages as ansible 2.14's uri
 * gives them (a closed port on 127.0.0.1, an unknown name); sshd reports the reasons as strerror() words.
 */
describe("a request that gets no answer fails as in Ansible, with status -1", () => {
  const url = "http://127.0.0.1:8000/health";
  const noAnswer = { status: -1, url, elapsed: 0, redirected: false };
  const cases: { name: string; args?: Record<string, unknown>; tunnels?: TunnelFixtures; probes?: CommandFixtures; msg: string; result?: Record<string, unknown> }[] = [
    {
      name: "a refused connection",
      tunnels: { "127.0.0.1:8000": { error: "Connection refused" } },
      msg: "Status code was -1 and not [200]: Request failed: <urlopen error [Errno 111] Connection refused>",
    },
    {
      name: "a name the host cannot resolve",
      args: { url: "http://app.invalid/" },
      tunnels: { "app.invalid:80": { error: "Name or service not known" } },
      msg: "Status code was -1 and not [200]: Request failed: <urlopen error [Errno -2] Name or service not known>",
      result: { ...noAnswer, url: "http://app.invalid/" },
    },
    {
      name: "an unreachable network",
      tunnels: { "127.0.0.1:8000": { error: "Network is unreachable" } },
      msg: "Status code was -1 and not [200]: Request failed: <urlopen error [Errno 101] Network is unreachable>",
    },
    {
      name: "a reason Python has no errno for keeps the host's words",
      tunnels: { "127.0.0.1:8000": { error: "open failed" } },
      msg: "Status code was -1 and not [200]: Request failed: <urlopen error cannot connect to 127.0.0.1:8000: open failed>",
    },
    {
      name: "the wanted statuses as Python writes a list",
      args: { url, status_code: [200, 302] },
      tunnels: { "127.0.0.1:8000": { error: "Connection refused" } },
      msg: "Status code was -1 and not [200, 302]: Request failed: <urlopen error [Errno 111] Connection refused>",
    },
    {
      name: "a single wanted status is a list of one",
      args: { url, status_code: 204 },
      tunnels: { "127.0.0.1:8000": { error: "Connection refused" } },
      msg: "Status code was -1 and not [204]: Request failed: <urlopen error [Errno 111] Connection refused>",
    },
    {
      name: "python3 on the host (no forwarding) words it itself",
      tunnels: { "127.0.0.1:8000": { prohibited: true } },
      probes: { [`python3 - GET ${url}`]: { stdout: '{"error": "Request failed: <urlopen error [Errno 111] Connection refused>"}\n' } },
      msg: "Status code was -1 and not [200]: Request failed: <urlopen error [Errno 111] Connection refused>",
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const ctx = new FakeContext({ tunnels: structuredClone(c.tunnels ?? {}), probes: c.probes ?? {} });
      await assertFailure(uri.check(ctx, { url, ...c.args }), c.msg, c.result ?? noAnswer);
    });
  }

  test("a POST that gets no answer fails in apply the same way", async () => {
    const ctx = new FakeContext({ tunnels: { "127.0.0.1:8000": { error: "Connection refused" } } });
    const args = { url, method: "POST" as const, body: "x", status_code: 204 };
    const plan = await uri.check(ctx, args);
    if (plan.changed !== true || !uri.apply) throw new assert.AssertionError({ message: "POST should be planned" });
    ctx.phase = "apply";
    await assertFailure(uri.apply(ctx, args, plan), "Status code was -1 and not [204]: Request failed: <urlopen error [Errno 111] Connection refused>", noAnswer);
  });

  test("a status not wanted registers the response's fields too", async () => {
    const response = "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbad";
    const ctx = new FakeContext({ tunnels: { "127.0.0.1:8000": { responses: [response] } } });
    await assertFailure(uri.check(ctx, { url, return_content: true }), `GET ${url} returned status 502; expected 200`, {
      url,
      redirected: false,
      status: 502,
      content_type: "text/plain",
      elapsed: 0,
      content: "bad",
    });
  });
});

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
      elapsed: 0,
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

  test("a closed port fails as ansible 2.14's uri does", async () => {
    const url = "http://127.0.0.1:9/";
    await assertFailure(
      uri.check(new LocalShellContext(), { url, timeout: 5 }),
      "Status code was -1 and not [200]: Request failed: <urlopen error [Errno 111] Connection refused>",
      { status: -1, url, elapsed: 0, redirected: false },
    );
  });

  test("python3 on the host words a closed port as ansible 2.14's uri does", async () => {
    // https with certificate checks goes through python3 (here this machine's), whose urllib says why.
    const url = "https://127.0.0.1:9/";
    const ctx = new LocalShellContext();
    await assertFailure(
      uri.check(ctx, { url, timeout: 5 }),
      "Status code was -1 and not [200]: Request failed: <urlopen error [Errno 111] Connection refused>",
      { status: -1, url, elapsed: 0, redirected: false },
    );
    assert.deepEqual(ctx.commands("check"), [`python3 - GET ${url}`]);
  });

  test("a server that does not answer within timeout fails as ansible 2.14's uri does", async () => {
    const url = `${base}/hang`;
    await assertFailure(uri.check(new LocalShellContext(), { url, timeout: 1 }), "Status code was -1 and not [200]: Connection failure: timed out", {
      status: -1,
      url,
      elapsed: 1,
      redirected: false,
    });
  });

  test("https without certificate checks is spoken over the stream; with them, python3 on the host decides", async () => {
    const ctx = new LocalShellContext();
    const plan = await uri.check(ctx, { url: `${secureBase}/health`, validate_certs: false });
    assert.equal("output" in plan ? plan.output.status : undefined, 200);
    assert.deepEqual(ctx.runs, []);
    // The fixture certificate is self-signed: the host's trust store refuses it.
    await assertFailure(uri.check(ctx, { url: `${secureBase}/health` }), /^Status code was -1 and not \[200\]: Request failed: <urlopen error \[SSL: CERTIFICATE_VERIFY_FAILED\]/, {
      status: -1,
      url: `${secureBase}/health`,
      elapsed: 0,
      redirected: false,
    });
    assert.deepEqual(ctx.commands("check"), [`python3 - GET ${secureBase}/health`]);
  });
});
