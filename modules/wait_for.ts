/**
 * wait_for: Ansible's wait_for, seen from the host. A port is tried with a TCP stream the host opens
 * (ctx.openTcp, as uri's requests leave from the host; where the host allows no forwarding, with bash's /dev/tcp
 * on it), a path with a probe on the host; `search_regex` (Python's, MULTILINE) is matched here against what the
 * port sends or the file holds. It never changes anything: the result is ok, or a failure with Ansible's message
 * when the timeout passes. Ansible skips it in check mode; here it reports ok without waiting.
 */
import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { raw, sh } from "../engine/command.js";
import { ModuleError, TunnelError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { pyRegex } from "../engine/template/regex.js";

export interface Args {
  host?: string;
  port?: number;
  path?: string;
  state?: "started" | "stopped" | "present" | "absent" | "drained";
  search_regex?: string;
  timeout?: number;
  delay?: number;
  sleep?: number;
  connect_timeout?: number;
  msg?: string;
}

/** One look at the host: whether the wait is over, and the search_regex's match when there is one. */
interface Look {
  met: boolean;
  match?: RegExpExecArray;
}

/** Bytes as one char each (latin1), as Ansible's regex searches bytes. */
const bytesText = (data: Buffer): string => data.toString("latin1");

async function lookAtPath(ctx: ModuleContext, path: string, regex: RegExp | undefined, wantPresent: boolean): Promise<Look> {
  const read = regex === undefined ? "" : ' && [ -f "$p" ] && [ -r "$p" ] && base64 -w0 -- "$p"';
  const { stdout } = await ctx.run(sh`p=${path}; if [ -e "$p" ]; then echo present${raw(read)}; else echo absent; fi`, { okCodes: [0, 1] });
  const [state = "", content = ""] = stdout.split("\n");
  if (!wantPresent) return { met: state === "absent" };
  if (state !== "present") return { met: false };
  if (regex === undefined) return { met: true };
  const match = regex.exec(bytesText(Buffer.from(content, "base64")));
  return match ? { met: true, match } : { met: false };
}

/** A TCP stream the host opened to host:port within `ms`, or undefined when it could not connect. */
async function connect(ctx: ModuleContext, host: string, port: number, ms: number): Promise<Duplex | undefined> {
  const timer = new AbortController();
  try {
    return await Promise.race([ctx.openTcp(host, port), sleep(ms, undefined, { signal: timer.signal })]);
  } catch (error) {
    if (error instanceof TunnelError && error.prohibited) throw error;
    return undefined;
  } finally {
    timer.abort();
  }
}

/** Whether what the stream sends matches the regex before the peer closes or `ms` pass. */
function sendsMatch(stream: Duplex, regex: RegExp, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const done = (matched: boolean): void => {
      clearTimeout(timer);
      stream.destroy();
      resolve(matched);
    };
    const timer = setTimeout(() => done(false), ms);
    stream.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (regex.test(bytesText(data))) done(true);
    });
    stream.on("end", () => done(false));
    stream.on("error", () => done(false));
  });
}

async function lookAtPort(ctx: ModuleContext, args: Required<Pick<Args, "host" | "port">>, regex: RegExp | undefined, wantOpen: boolean, connectMs: number, leftMs: number): Promise<Look> {
  let stream: Duplex | undefined;
  try {
    stream = await connect(ctx, args.host, args.port, Math.min(connectMs, Math.max(leftMs, 1)));
  } catch {
    // The host allows no forwarding: bash connects on the host instead.
    if (regex !== undefined) throw new ModuleError("search_regex on a port needs the host to allow TCP forwarding (AllowTcpForwarding), which it does not");
    const seconds = Math.ceil(Math.min(connectMs, leftMs) / 1000);
    const { code } = await ctx.run(sh`timeout ${seconds} bash -c ${`exec 3<>/dev/tcp/${args.host}/${args.port}`}`, { okCodes: [0, 1, 124] });
    return { met: (code === 0) === wantOpen };
  }
  if (stream === undefined) return { met: !wantOpen };
  if (!wantOpen || regex === undefined) {
    stream.destroy();
    return { met: wantOpen };
  }
  // Ansible returns no groups of what a port sent.
  return { met: await sendsMatch(stream, regex, leftMs) };
}

function compile(pattern: string): RegExp {
  try {
    return pyRegex(pattern, { multiline: true });
  } catch (error) {
    throw new ModuleError(`Invalid regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Ansible's argument checks, with its messages. */
function checkArgs(args: Args): void {
  if (args.port !== undefined && args.path !== undefined) throw new ModuleError("port and path parameter can not both be passed to wait_for");
  if (args.path !== undefined && (args.state === "stopped" || args.state === "drained")) throw new ModuleError(`state=${args.state} should only be used for checking a port in the wait_for module`);
  if (args.state === "drained") throw new ModuleError("state=drained is not supported here: wait for the port to stop instead");
}

function timeoutMessage(args: Args, host: string): string {
  const stopping = args.state === "stopped" || args.state === "absent";
  if (args.port !== undefined) {
    if (stopping) return `Timeout when waiting for ${host}:${args.port} to stop.`;
    return args.search_regex === undefined ? `Timeout when waiting for ${host}:${args.port}` : `Timeout when waiting for search string ${args.search_regex} in ${host}:${args.port}`;
  }
  if (stopping) return `Timeout when waiting for ${args.path ?? ""} to be absent.`;
  return args.search_regex === undefined ? `Timeout when waiting for file ${args.path ?? ""}` : `Timeout when waiting for search string ${args.search_regex} in ${args.path ?? ""}`;
}

function doneReason(args: Args, what: string, wanted: boolean): string {
  if (args.port === undefined && args.path === undefined) return `waited ${what}`;
  const found = args.search_regex === undefined ? "" : ` and ${args.port === undefined ? "holds" : "sends"} a match of ${args.search_regex}`;
  if (args.port !== undefined) return wanted ? `${what} accepts connections${found}` : `${what} refuses connections`;
  return wanted ? `${what} exists${found}` : `${what} does not exist`;
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  checkArgs(args);
  const state = args.state ?? "started";
  const host = args.host ?? "127.0.0.1";
  const regex = args.search_regex === undefined ? undefined : compile(args.search_regex);
  const what = args.port !== undefined ? `${host}:${args.port}` : args.path ?? `${args.timeout ?? 300} seconds`;
  if (ctx.checkMode) return { changed: false, reason: `wait_for does not wait in check mode (${what})` };
  const start = Date.now();
  // Sleeps run on the host: the prefetch pass, which runs no command, never waits.
  if (args.delay) await ctx.run(sh`sleep ${args.delay}`);
  const deadline = start + (args.timeout ?? 300) * 1000;
  let look: Look | undefined;
  if (args.port === undefined && args.path === undefined) {
    await ctx.run(sh`sleep ${args.timeout ?? 300}`);
    look = { met: true };
  }
  const wanted = state === "started" || state === "present";
  while (look?.met !== true && Date.now() < deadline) {
    const left = deadline - Date.now();
    look = args.port !== undefined
      ? await lookAtPort(ctx, { host, port: args.port }, regex, wanted, (args.connect_timeout ?? 5) * 1000, left)
      : await lookAtPath(ctx, args.path ?? "", regex, wanted);
    if (!look.met) await sleep((args.sleep ?? 1) * 1000, undefined, { signal: ctx.signal });
  }
  if (look?.met !== true) throw new ModuleError(args.msg ?? timeoutMessage(args, host));
  const { match } = look;
  const output = {
    state,
    port: args.port ?? null,
    path: args.path ?? null,
    search_regex: args.search_regex ?? null,
    // A group that took no part in the match is None in Python, undefined here.
    match_groups: match ? match.slice(1).map((group: string | undefined) => group ?? null) : [],
    match_groupdict: { ...match?.groups },
    elapsed: Math.floor((Date.now() - start) / 1000),
  };
  return { changed: false, reason: doneReason(args, what, wanted), output };
}

export default defineModule<Args>({
  name: "wait_for",
  description: "Wait, on the host, for a port to open or close, a file to appear (with some text) or go, or some time (Ansible's wait_for)",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      host: { type: "string", minLength: 1, default: "127.0.0.1", description: "The address or name the host connects to for `port`." },
      port: { type: "integer", minimum: 1, maximum: 65535, description: "A TCP port to wait for; not with `path`." },
      path: { type: "string", minLength: 1, description: "A file on the host to wait for (or, with `absent`, to go); not with `port`." },
      state: {
        type: "string",
        enum: ["started", "stopped", "present", "absent", "drained"],
        default: "started",
        description: "`started`/`present`: the port accepts connections or the path exists; `stopped`/`absent`: it no longer does. (`drained` is refused here.)",
      },
      search_regex: {
        type: "string",
        description: "A Python regular expression (MULTILINE) that what the port sends or the file holds must match; a file's match's groups are returned as `match_groups` and `match_groupdict`.",
      },
      timeout: { type: "integer", minimum: 0, default: 300, description: "Seconds to wait before failing; with neither port nor path, seconds to just wait." },
      delay: { type: "integer", minimum: 0, default: 0, description: "Seconds to wait before the first look." },
      sleep: { type: "integer", minimum: 0, default: 1, description: "Seconds between two looks." },
      connect_timeout: { type: "integer", minimum: 1, default: 5, description: "Seconds one connection attempt may take." },
      msg: { type: "string", description: "The failure's message instead of Ansible's." },
    },
  },
  examples: [
    "- wait_for: { port: 8080, timeout: 60 }",
    "- wait_for: { port: 22, search_regex: OpenSSH, delay: 2 }",
    "- wait_for: { path: /var/log/rems/app.log, search_regex: 'listening on (?P<port>\\d+)' }\n  register: started",
    "- wait_for: { path: /run/rems/upgrade.lock, state: absent, timeout: 600 }",
  ],
  capabilities: { diff: false, idempotent: true },
  check,
});
