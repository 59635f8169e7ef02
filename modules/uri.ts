/**
 * uri: an HTTP(S) request made from the host (Ansible's uri), for checks such as "the app answers on
 * 127.0.0.1:8000". The request travels over a TCP stream the host opens (SSH direct-tcpip), so no process starts
 * on the host; python3 on the host makes it instead (urllib, the script and request on stdin so headers and bodies
 * never appear in a displayed command) when a certificate must be verified against the host's trust store, or when
 * the host's sshd allows no forwarding. Either way redirects are followed for GET and HEAD only, and no proxy is
 * used. GET and HEAD are read-only: they run during check (also in check mode) and report ok; other methods are
 * planned as a change. A request that gets no answer fails as Ansible's does, with status -1 and fetch_url's words
 * ("Request failed: <urlopen error [Errno 111] Connection refused>"), so `until: r.status == 200` can wait for an app.
 */
import { sh } from "../engine/command.js";
import { ModuleError, RemsError, TunnelError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type NoChange } from "../engine/module-api.js";
import { fetchOverHost, NeedsHostTrust, type HttpResponse } from "./shared/http-over-host.js";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

export interface UriArgs {
  url: string;
  method?: HttpMethod;
  status_code?: number | number[];
  validate_certs?: boolean;
  return_content?: boolean;
  timeout?: number;
  headers?: Record<string, string>;
  body?: unknown;
  body_format?: "raw" | "json";
}

/** The arguments with Ansible's defaults filled in (the engine passes them as written). */
type FullArgs = Required<Pick<UriArgs, "method" | "status_code" | "validate_certs" | "return_content" | "timeout" | "body_format">> & UriArgs;

function withDefaults(args: UriArgs): FullArgs {
  return { ...args, method: args.method ?? "GET", status_code: args.status_code ?? [200], validate_certs: args.validate_certs ?? true, return_content: args.return_content ?? false, timeout: args.timeout ?? 30, body_format: args.body_format ?? "raw" };
}

/**
 * Reads the request (the first line of stdin is its JSON); prints one JSON line: status, content, content_type and
 * the final url, or error, why no answer came in the words of Ansible's fetch_url (it uses urllib too). Redirects
 * only for GET and HEAD: urllib would turn a redirected POST into a GET.
 */
const SCRIPT = `import json, ssl, sys, urllib.error, urllib.request
spec = json.loads(REQUEST)
class SafeRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if req.get_method() not in ("GET", "HEAD"):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)
context = None if spec["validate_certs"] else ssl._create_unverified_context()
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context), SafeRedirects())
body = spec["body"].encode("utf-8") if spec["body"] is not None else None
req = urllib.request.Request(spec["url"], data=body, method=spec["method"], headers=spec["headers"])
try:
    resp = opener.open(req, timeout=spec["timeout"])
    status, content, headers, url = resp.status, resp.read(), resp.headers, resp.url
except urllib.error.HTTPError as e:
    status, content, headers, url = e.code, e.read(), e.headers, e.url
except urllib.error.URLError as e:
    print(json.dumps({"error": "Request failed: %s" % e}))
    sys.exit(0)
except OSError as e:
    print(json.dumps({"error": "Connection failure: %s" % e}))
    sys.exit(0)
except Exception as e:
    print(json.dumps({"error": "An unknown error occurred: %s" % e}))
    sys.exit(0)
print(json.dumps({"status": status, "content": content.decode("utf-8", "replace"), "content_type": headers.get("Content-Type", ""), "url": url}))
`;

interface Request {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | null;
  validateCerts: boolean;
  timeoutMs: number;
}

/** What python3 prints. */
interface HostAnswer {
  status?: number;
  content?: string;
  content_type?: string;
  url?: string;
  error?: string;
}

function buildRequest(args: FullArgs): Request {
  const headers = { ...args.headers };
  let body: string | null = null;
  if (args.body !== undefined) {
    if (args.body_format === "json") {
      body = JSON.stringify(args.body);
      headers["Content-Type"] ??= "application/json";
    } else if (typeof args.body === "string") {
      body = args.body;
    } else {
      throw new ModuleError("body must be a string unless body_format is json");
    }
  }
  return { url: args.url, method: args.method, headers, body, validateCerts: args.validate_certs, timeoutMs: args.timeout * 1000 };
}

/** No answer came: why, in the words of Ansible's fetch_url ("Connection failure: timed out"). */
interface NoAnswer {
  failure: string;
}

/**
 * Python's words (errno and strerror, as urllib prints an OSError) for the reasons a Linux host gives, in strerror()
 * words, for a TCP stream it could not open.
 */
const PYTHON_REASONS: Readonly<Record<string, string>> = {
  "connection refused": "[Errno 111] Connection refused",
  "connection timed out": "[Errno 110] Connection timed out",
  "network is unreachable": "[Errno 101] Network is unreachable",
  "no route to host": "[Errno 113] No route to host",
  "name or service not known": "[Errno -2] Name or service not known",
  "temporary failure in name resolution": "[Errno -3] Temporary failure in name resolution",
};

/**
 * Why a request over a stream got no answer, as fetch_url says it: a stream the host could not open is urllib's
 * "Request failed: <urlopen error ...>" (with the host's words where Python has none), a failure once the stream
 * was open (a timeout, a reset) is "Connection failure: ...".
 */
function noAnswer(error: Error): NoAnswer {
  if (!(error instanceof TunnelError)) return { failure: `Connection failure: ${error.message}` };
  const reason = Object.keys(PYTHON_REASONS).find((words) => error.message.toLowerCase().endsWith(`: ${words}`));
  return { failure: `Request failed: <urlopen error ${reason === undefined ? error.message : PYTHON_REASONS[reason]}>` };
}

/** The response, over a stream the host opens, or from python3 on the host when that cannot be; or why none came. */
async function respond(ctx: ModuleContext, request: Request): Promise<HttpResponse | NoAnswer> {
  try {
    return await fetchOverHost((address, port) => ctx.openTcp(address, port), { ...request, signal: ctx.signal });
  } catch (error) {
    if (error instanceof NeedsHostTrust || (error instanceof TunnelError && error.prohibited)) return respondOnHost(ctx, request);
    if (error instanceof RemsError && !(error instanceof TunnelError)) throw error; // the link to the host itself
    return noAnswer(error as Error);
  }
}

async function respondOnHost(ctx: ModuleContext, request: Request): Promise<HttpResponse | NoAnswer> {
  const spec = { url: request.url, method: request.method, headers: request.headers, body: request.body, validate_certs: request.validateCerts, timeout: request.timeoutMs / 1000 };
  // A JSON string literal is also a valid Python string literal.
  const stdin = `REQUEST = ${JSON.stringify(JSON.stringify(spec))}\n${SCRIPT}`;
  const result = await ctx.run(sh`python3 - ${request.method} ${request.url}`, { stdin, timeoutMs: request.timeoutMs + 10_000 });
  let answer: HostAnswer;
  try {
    answer = JSON.parse(result.stdout) as HostAnswer;
  } catch (cause) {
    throw new ModuleError(`${request.method} ${request.url}: unexpected output from python3: ${result.stdout.slice(0, 200)}`, {}, { cause });
  }
  if (answer.error !== undefined) return { failure: answer.error };
  if (answer.status === undefined) throw new ModuleError(`${request.method} ${request.url} failed: no status`);
  // Written as the stream's answer writes it ("http://host/" for "http://host"), so `redirected` compares like with like.
  const content = answer.content ?? "";
  return { url: new URL(answer.url ?? request.url).href, status: answer.status, content, bytes: Buffer.from(content, "utf8"), contentType: answer.content_type ?? "", contentDisposition: undefined };
}

/**
 * Makes the request and checks its status; returns the registered fields. A failure carries them too (Ansible's
 * result shape), so register, failed_when and until see the status: -1 when no answer came.
 */
async function perform(ctx: ModuleContext, args: FullArgs, request: Request): Promise<Record<string, unknown>> {
  const started = Date.now();
  const response = await respond(ctx, request);
  // Whole seconds, as Ansible counts them.
  const elapsed = Math.floor((Date.now() - started) / 1000);
  const wanted = Array.isArray(args.status_code) ? args.status_code : [args.status_code];
  if ("failure" in response) {
    const result = { status: -1, url: args.url, elapsed, redirected: false };
    throw new ModuleError(`Status code was -1 and not [${wanted.join(", ")}]: ${response.failure}`, {}, { result });
  }
  const output: Record<string, unknown> = { url: response.url, redirected: response.url !== new URL(args.url).href, status: response.status, content_type: response.contentType, elapsed };
  if (args.return_content) output.content = response.content;
  if (response.contentType.includes("json")) {
    try {
      output.json = JSON.parse(response.content) as unknown;
    } catch {
      // A body labelled JSON that does not parse is still returned as content; json is just absent.
    }
  }
  if (!wanted.includes(response.status)) {
    throw new ModuleError(`${args.method} ${args.url} returned status ${response.status}; expected ${wanted.join(" or ")}`, {}, { result: output });
  }
  return output;
}

export default defineModule<UriArgs>({
  name: "uri",
  description: "Make an HTTP(S) request from the host and check its status",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["url"],
    properties: {
      url: { type: "string", pattern: "^https?://", description: "http:// or https:// URL, as seen from the host (http://127.0.0.1:8000/health)" },
      method: { type: "string", enum: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], default: "GET", description: "HTTP method; GET and HEAD only read and are run in check mode too" },
      status_code: {
        description: "Status code(s) that count as success",
        default: [200],
        anyOf: [{ type: "integer" }, { type: "array", items: { type: "integer" }, minItems: 1 }],
      },
      validate_certs: { type: "boolean", default: true, description: "Verify the server's TLS certificate against the host's trust store" },
      return_content: { type: "boolean", default: false, description: "Return the response body as content (a JSON body is always returned as json)" },
      timeout: { type: "integer", minimum: 1, default: 30, description: "Seconds to wait for the response" },
      headers: { type: "object", additionalProperties: { type: "string" }, description: "Request headers" },
      body: { description: "Request body: text, or any value with body_format json", anyOf: [{ type: "string" }, { type: "object" }, { type: "array" }, { type: "number" }, { type: "boolean" }] },
      body_format: { type: "string", enum: ["raw", "json"], default: "raw", description: "json: send body as JSON with Content-Type application/json" },
    },
  },
  examples: [
    "- uri: { url: \"http://127.0.0.1:8000/health\", return_content: true }",
    "- uri:\n    url: https://rems.lab.example/login\n    status_code: [200, 302]\n    validate_certs: false",
    "- uri:\n    url: http://127.0.0.1:8000/api/reload\n    method: POST\n    body_format: json\n    body: { reason: deploy }\n    status_code: 204",
  ],
  capabilities: { diff: false, idempotent: true },
  async check(ctx, written) {
    const args = withDefaults(written);
    const request = buildRequest(args);
    if (args.method === "GET" || args.method === "HEAD") {
      const output = await perform(ctx, args, request);
      const noop: NoChange = { changed: false, reason: `${args.method} ${args.url} returned ${String(output.status)}`, output };
      return noop;
    }
    // No command to show: the request usually needs none on the host (see respond).
    return { changed: true, summary: `${args.method} ${args.url}`, commands: [], data: request };
  },
  async apply(ctx, args, plan) {
    return { changed: true, output: await perform(ctx, withDefaults(args), plan.data as Request) };
  },
});
