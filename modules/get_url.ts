/**
 * get_url: Ansible's get_url. The file is downloaded from the host (over a TCP stream the host opens, as uri's
 * requests; no process starts there) and written to dest as every file is (put-file: atomic, owner, group, mode,
 * backup), so a download whose bytes equal dest's is no change. As in Ansible: a dest that exists and has the
 * checksum asked for is not downloaded at all; one without a checksum is asked for with If-Modified-Since (304:
 * no change) unless force; a dest that is a directory gets the file under the name the server gives
 * (Content-Disposition) or the URL's last part; a download whose checksum differs from the one asked for fails.
 * Where Ansible's check mode sends HEAD and so reports any existing file changed, this one reads the file (GET is
 * read-only) and reports what a run would do. HTTPS with certificate verification needs the host's trust store,
 * which a stream from here cannot use: such a URL fails with that reason (validate_certs: false works).
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { ModuleError, RemsError, TunnelError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { fileStat, type FileStat } from "./facts/file-stat.js";
import { pathStat, type ChecksumAlgorithm, type PathStat } from "./facts/path-stat.js";
import { modeSchema, type ModeArg } from "./shared/file-mode.js";
import { fetchOverHost, NeedsHostTrust, type HttpResponse } from "./shared/http-over-host.js";
import { applyPutFile, attrCommands, attrSchemas, describeChanges, planAttrs, planPutFile } from "./shared/put-file.js";

export interface Args {
  url: string;
  dest: string;
  checksum?: string;
  force?: boolean;
  backup?: boolean;
  timeout?: number;
  headers?: Record<string, string>;
  http_agent?: string;
  validate_certs?: boolean;
  url_username?: string;
  url_password?: string;
  force_basic_auth?: boolean;
  owner?: string;
  group?: string;
  mode?: ModeArg;
}

const ALGORITHMS: readonly ChecksumAlgorithm[] = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"];

/** The `algorithm:value` of the checksum argument; value is a digest or the URL of a checksum file. */
function splitChecksum(checksum: string): { algorithm: ChecksumAlgorithm; value: string } {
  const colon = checksum.indexOf(":");
  if (colon < 0) throw new ModuleError("The checksum parameter has to be in format <algorithm>:<checksum>");
  const algorithm = checksum.slice(0, colon) as ChecksumAlgorithm;
  if (!ALGORITHMS.includes(algorithm)) throw new ModuleError(`unsupported checksum algorithm ${algorithm}: give one of ${ALGORITHMS.join(", ")}`);
  return { algorithm, value: checksum.slice(colon + 1) };
}

/** The URL's file name (its path's last part), as Ansible's url_filename; "index.html" for none. */
export function urlFilename(url: string): string {
  return posix.basename(new URL(url).pathname) || "index.html";
}

/** The digest for FILENAME in a checksum file (`digest  name` lines, or one digest alone), as Ansible reads it. */
export function digestFor(text: string, filename: string): string | undefined {
  const lines = text.split("\n").filter((line, i, all) => line !== "" || i < all.length - 1);
  if (lines.length === 1 && lines[0]?.trim().split(/\s+/).length === 1) return lines[0].trim();
  for (const line of lines) {
    const space = line.indexOf(" ");
    if (space < 0) continue;
    let name = line.slice(space + 1);
    if (name.startsWith(" ") || name.startsWith("*")) name = name.slice(1);
    if (name.replace(/^[./]+/, "") === filename) return line.slice(0, space);
  }
  return undefined;
}

/** The file name of a Content-Disposition header (`attachment; filename="x.tar.gz"`), if it gives one. */
export function dispositionFilename(header: string | undefined): string | undefined {
  const name = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(header ?? "");
  const found = name?.[1] ?? name?.[2];
  return found === undefined || found === "" ? undefined : posix.basename(found);
}

/** Makes a GET from the host; a stream that gets no answer fails the task, as Ansible's request failure does. */
async function get(ctx: ModuleContext, args: Args, url: string, headers: Record<string, string>): Promise<HttpResponse> {
  const auth: Record<string, string> = args.url_username === undefined ? {} : { Authorization: `Basic ${Buffer.from(`${args.url_username}:${args.url_password ?? ""}`).toString("base64")}` };
  if (args.url_password !== undefined) ctx.addSecret(args.url_password);
  try {
    return await fetchOverHost((address, port) => ctx.openTcp(address, port), {
      url,
      method: "GET",
      headers: { "User-Agent": args.http_agent ?? "ansible-httpget", ...auth, ...args.headers, ...headers },
      body: null,
      validateCerts: args.validate_certs ?? true,
      timeoutMs: (args.timeout ?? 10) * 1000,
      signal: ctx.signal,
    });
  } catch (error) {
    if (error instanceof NeedsHostTrust) throw new ModuleError(`${url}: verifying its certificate needs the host's trust store, which get_url does not use yet; give validate_certs: false or an http:// URL`);
    if (error instanceof RemsError && !(error instanceof TunnelError)) throw error; // the link to the host itself
    throw new ModuleError(`Request failed: ${(error as Error).message}`);
  }
}

/** The digest asked for, read from a checksum file when the checksum names one, as lowercase hex. */
async function wantedDigest(ctx: ModuleContext, args: Args, value: string): Promise<string> {
  let digest = value;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const answer = await get(ctx, args, value, {});
    if (answer.status !== 200) throw new ModuleError(`HTTP Error ${answer.status} for the checksum file ${value}`);
    const found = digestFor(answer.content, urlFilename(args.url));
    if (found === undefined) throw new ModuleError(`Unable to find a checksum for file '${urlFilename(args.url)}' in '${value}'`);
    digest = found;
  }
  digest = digest.replace(/\W+/g, "").toLowerCase();
  if (!/^[0-9a-f]+$/.test(digest)) throw new ModuleError("The checksum format is invalid");
  return digest;
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  if (!posix.isAbsolute(args.dest)) throw new ModuleError(`dest must be an absolute path: '${args.dest}'`);
  const wanted = args.checksum === undefined || args.checksum === "" ? undefined : splitChecksum(args.checksum);
  const [stat, link] = (await ctx.facts([
    { fact: pathStat, args: { path: args.dest, follow: true, checksum: wanted?.algorithm ?? null, md5: false, mime: false, attributes: false } },
    { fact: fileStat, args: { path: args.dest, follow: false } },
  ])) as [PathStat, FileStat];
  const digest = wanted === undefined ? undefined : await wantedDigest(ctx, args, wanted.value);
  const isDir = stat.exists && stat["isdir"] === true;
  let force = args.force === true;
  const output = { url: args.url, dest: args.dest };
  const want = { owner: args.owner, group: args.group, mode: args.mode };
  if (stat.exists && !isDir && !force && digest !== undefined) {
    if (stat["checksum"] === digest) {
      // Ansible's "file already exists": not downloaded, only its attributes set.
      const attrs = planAttrs(link.exists ? link : undefined, want, "file", 0o644);
      if (attrs.changes.length === 0) return { changed: false, reason: `${args.dest} exists with the checksum asked for`, output: { ...output, msg: "file already exists" } };
      const summary = describeChanges(attrs.changes, args.dest);
      return { changed: true, summary, commands: attrCommands(args.dest, want, attrs), output: { ...output, msg: "file already exists but file attributes changed" } };
    }
    force = true;
  }
  const since = stat.exists && !isDir && !force ? { "If-Modified-Since": new Date(Number(stat["mtime"]) * 1000).toUTCString() } : {};
  const answer = await get(ctx, args, args.url, since);
  if (answer.status === 304) return { changed: false, reason: `${args.url} is not modified since ${args.dest} was written`, output: { ...output, status_code: 304 } };
  if (answer.status !== 200) throw new ModuleError(`HTTP Error ${answer.status} for ${args.url}`, {}, { result: { ...output, status_code: answer.status } });
  const dest = isDir ? posix.join(args.dest, dispositionFilename(answer.contentDisposition) ?? urlFilename(answer.url)) : args.dest;
  if (wanted !== undefined && digest !== undefined) {
    const got = createHash(wanted.algorithm).update(answer.bytes).digest("hex");
    if (got !== digest) throw new ModuleError(`The checksum for ${dest} did not match ${digest}; it was ${got}.`);
  }
  const result = { ...output, dest, status_code: 200, checksum_src: createHash("sha1").update(answer.bytes).digest("hex"), msg: `OK (${answer.bytes.length} bytes)` };
  const plan = await planPutFile(ctx, { dest, content: answer.bytes, ...want, backup: args.backup });
  if (plan.changed !== true) return { changed: false, reason: `${dest} has the content of ${args.url}`, output: result };
  return { ...plan, summary: `download ${args.url} to ${dest}`, output: { ...plan.output, ...result } };
}

export default defineModule<Args>({
  name: "get_url",
  description: "Download a file from an HTTP(S) URL to the host (Ansible's get_url)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["url", "dest"],
    properties: {
      url: { type: "string", pattern: "^https?://", description: "The http:// or https:// URL of the file, as the host reaches it." },
      dest: { type: "string", minLength: 1, description: "The absolute path to save it to; a directory saves it under the name the server gives, or the URL's last part." },
      checksum: {
        type: "string",
        description: "`ALGORITHM:DIGEST` (md5, sha1, sha224, sha256, sha384, sha512) or `ALGORITHM:URL` of a checksum file: a dest with it is not downloaded again, a download without it fails.",
      },
      force: { type: "boolean", default: false, description: "Download even when dest exists and has the checksum (the file is still written only when its content differs)." },
      backup: { type: "boolean", default: false, description: "Keep a copy of the replaced file, with a timestamp in its name; its path is returned as `backup_file`." },
      timeout: { type: "integer", minimum: 1, default: 10, description: "Seconds the download may take." },
      headers: { type: "object", additionalProperties: { type: "string" }, description: "Request headers." },
      http_agent: { type: "string", default: "ansible-httpget", description: "The User-Agent header." },
      validate_certs: { type: "boolean", default: true, description: "Verify an https server's certificate; only `false` is supported for https URLs yet." },
      url_username: { type: "string", description: "User name for HTTP basic authentication (sent with the first request)." },
      url_password: { type: "string", description: "Password for HTTP basic authentication (never shown)." },
      force_basic_auth: { type: "boolean", default: false, description: "Accepted for Ansible's roles: basic authentication is always sent with the first request here." },
      ...attrSchemas,
      mode: modeSchema,
    },
  },
  aliases: { username: "url_username", password: "url_password" },
  examples: [
    "- get_url:\n    url: http://127.0.0.1:8080/rems.tar.gz\n    dest: /opt/rems/rems.tar.gz\n    checksum: sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n    mode: \"0640\"",
    "- get_url: { url: \"http://mirror.lab.example/keys/lab.asc\", dest: /etc/apt/keyrings/, force: true }",
  ],
  capabilities: { diff: true, idempotent: true },
  check,
  apply: (ctx, _args, plan) => applyPutFile(ctx, plan),
});
