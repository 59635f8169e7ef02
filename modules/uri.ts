/**
 * uri: an HTTP(S) request made from the host (Ansible's uri), for checks such as "the app answers on
 * 127.0.0.1:8000". python3 (on every lab host) makes the request with urllib; the script and the request travel on
 * stdin so headers and bodies never appear in a displayed command. GET and HEAD are read-only: they run during
 * check (also in check mode) and report ok; other methods are planned as a change.
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type NoChange } from "../engine/module-api.js";

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

/** Reads the request (first line of stdin is its JSON), prints one JSON line: status, content, content_type or error. */
const SCRIPT = `import json, ssl, sys, urllib.error, urllib.request
spec = json.loads(REQUEST)
body = spec["body"].encode("utf-8") if spec["body"] is not None else None
req = urllib.request.Request(spec["url"], data=body, method=spec["method"], headers=spec["headers"])
context = None if spec["validate_certs"] else ssl._create_unverified_context()
try:
    resp = urllib.request.urlopen(req, timeout=spec["timeout"], context=context)
    status, content, headers = resp.status, resp.read(), resp.headers
except urllib.error.HTTPError as e:
    status, content, headers = e.code, e.read(), e.headers
except Exception as e:
    print(json.dumps({"error": str(getattr(e, "reason", e))}))
    sys.exit(0)
print(json.dumps({"status": status, "content": content.decode("utf-8", "replace"), "content_type": headers.get("Content-Type", "")}))
`;

interface Request {
  command: Command;
  stdin: string;
  timeoutMs: number;
}

interface Response {
  status?: number;
  content?: string;
  content_type?: string;
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
  const spec = { url: args.url, method: args.method, headers, body, validate_certs: args.validate_certs, timeout: args.timeout };
  // A JSON string literal is also a valid Python string literal.
  const stdin = `REQUEST = ${JSON.stringify(JSON.stringify(spec))}\n${SCRIPT}`;
  return { command: sh`python3 - ${args.method} ${args.url}`, stdin, timeoutMs: (args.timeout + 10) * 1000 };
}

/** Runs the request on the host and checks its status; returns the registered fields. */
async function perform(ctx: ModuleContext, args: FullArgs, request: Request): Promise<Record<string, unknown>> {
  const result = await ctx.run(request.command, { stdin: request.stdin, timeoutMs: request.timeoutMs });
  let response: Response;
  try {
    response = JSON.parse(result.stdout) as Response;
  } catch (cause) {
    throw new ModuleError(`${args.method} ${args.url}: unexpected output from python3: ${result.stdout.slice(0, 200)}`, {}, { cause });
  }
  if (response.error !== undefined || response.status === undefined) {
    throw new ModuleError(`${args.method} ${args.url} failed: ${response.error ?? "no status"}`);
  }
  const wanted = Array.isArray(args.status_code) ? args.status_code : [args.status_code];
  if (!wanted.includes(response.status)) {
    throw new ModuleError(`${args.method} ${args.url} returned status ${response.status}; expected ${wanted.join(" or ")}`);
  }
  const output: Record<string, unknown> = { url: args.url, status: response.status, content_type: response.content_type ?? "" };
  const content = response.content ?? "";
  if (args.return_content) output.content = content;
  if ((response.content_type ?? "").includes("json")) {
    try {
      output.json = JSON.parse(content) as unknown;
    } catch {
      // A body labelled JSON that does not parse is still returned as content; json is just absent.
    }
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
      validate_certs: { type: "boolean", default: true, description: "Verify the server's TLS certificate" },
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
    return { changed: true, summary: `${args.method} ${args.url}`, commands: [request.command], data: request };
  },
  async apply(ctx, args, plan) {
    return { changed: true, output: await perform(ctx, withDefaults(args), plan.data as Request) };
  },
});
