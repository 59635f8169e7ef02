/**
 * HTTP(S) over TCP streams the host opens (ctx.openTcp): the request leaves from the host, as with a client
 * running there, but no process starts on the host (python3 for urllib cost a host ~90 ms of CPU per request).
 * Redirects are followed for GET and HEAD only (Ansible's uri `follow_redirects: safe`), each hop over a new
 * stream. TLS is spoken here, on the controller, so only without certificate checks: a hop whose certificate must
 * be verified throws NeedsHostTrust, because only the host's own trust store can say what the host trusts.
 */
import { request as httpRequest } from "node:http";
import { isIP } from "node:net";
import type { Duplex } from "node:stream";
import { connect as tlsConnect } from "node:tls";

export type OpenStream = (address: string, port: number) => Promise<Duplex>;

export interface HttpRequest {
  url: string;
  method: string;
  headers: Readonly<Record<string, string>>;
  body: string | null;
  validateCerts: boolean;
  /** For the whole exchange, redirects included. */
  timeoutMs: number;
  signal: AbortSignal;
}

export interface HttpResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  content: string;
  /** The body's bytes as they came (content is them read as UTF-8), for a download. */
  bytes: Buffer;
  contentType: string;
  /** The Content-Disposition header, for the file name a download is saved under. */
  contentDisposition: string | undefined;
}

/** The request needs a certificate verified against the host's trust store: make it on the host instead. */
export class NeedsHostTrust extends Error {}

/** Statuses that redirect, as urllib follows them. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** urllib's limit, so both ways of asking give up at the same hop. */
export const MAX_REDIRECTS = 10;

interface Answer extends HttpResponse {
  location: string | undefined;
}

/** Makes the request (following safe redirects); throws the stream's or the host's error, or "timed out". */
export async function fetchOverHost(open: OpenStream, request: HttpRequest): Promise<HttpResponse> {
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([request.signal, deadline]);
  let url = new URL(request.url);
  let method = request.method;
  try {
    for (let hop = 0; ; hop++) {
      // Redirected requests carry no body (urllib's way too).
      const { location, ...response } = await exchange(open, url, method, hop === 0 ? request.body : null, request, signal);
      const safe = method === "GET" || method === "HEAD";
      if (location === undefined || !safe || !REDIRECTS.has(response.status) || hop >= MAX_REDIRECTS) return response;
      url = new URL(location, url);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`redirected to ${url.href}, which is not HTTP(S)`);
      if (response.status === 303 && method !== "HEAD") method = "GET";
    }
  } catch (error) {
    if (deadline.aborted) throw new Error("timed out", { cause: error });
    throw error;
  }
}

/** One request and its answer over a new stream. */
async function exchange(open: OpenStream, url: URL, method: string, body: string | null, request: HttpRequest, signal: AbortSignal): Promise<Answer> {
  const secure = url.protocol === "https:";
  if (secure && request.validateCerts) throw new NeedsHostTrust(url.href);
  const address = url.hostname.replace(/^\[(.*)\]$/, "$1"); // an IPv6 literal without its brackets
  const port = Number(url.port || (secure ? 443 : 80));
  const raw = await untilAborted(open(address, port), signal);
  const stream = secure ? tlsConnect({ socket: raw, rejectUnauthorized: false, ...(isIP(address) === 0 ? { servername: address } : {}) }) : raw;
  try {
    return await new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...request.headers, Connection: "close" };
      if (body !== null) headers["Content-Length"] = Buffer.byteLength(body);
      const req = httpRequest(
        {
          method,
          host: address,
          port,
          path: `${url.pathname}${url.search}`,
          headers,
          signal,
          // http accepts any Duplex here (documented); its type allows that too.
          createConnection: () => stream,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const bytes = Buffer.concat(chunks);
            resolve({
              url: url.href,
              status: res.statusCode ?? 0,
              content: bytes.toString("utf8"),
              bytes,
              contentType: res.headers["content-type"] ?? "",
              contentDisposition: res.headers["content-disposition"],
              location: res.headers.location,
            });
          });
        },
      );
      req.on("error", reject);
      req.end(body ?? undefined);
    });
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

/** The stream, unless the signal fires first (a stream that arrives after that is closed at once). */
function untilAborted(opening: Promise<Duplex>, signal: AbortSignal): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    opening.then(
      (stream) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) stream.destroy();
        else resolve(stream);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
