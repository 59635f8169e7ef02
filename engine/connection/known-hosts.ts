/**
 * OpenSSH known_hosts, read and appended the way ssh(1) does it, so the files users already trust keep working:
 * plain and hashed (`|1|salt|hash`) host fields, `[host]:port` for ports other than 22, comma-separated patterns
 * with `*`/`?` wildcards and `!` negation, `@revoked` lines. `@cert-authority` lines are skipped: we do not
 * verify host certificates. Keys are compared as the raw wire-format blob the server presents.
 */

import { createHash, createHmac } from "node:crypto";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";

export interface KnownHostEntry {
  marker: "revoked" | "cert-authority" | undefined;
  /** The host field as written: patterns or one hashed name. */
  hosts: string;
  keyType: string;
  key: Buffer;
  /** 1-based line number, for messages. */
  line: number;
}

export type HostKeyCheck =
  | { status: "known" }
  | { status: "unknown" }
  /** The host is known with other keys: the one presented is none of them. */
  | { status: "changed"; known: KnownHostEntry[] }
  | { status: "revoked"; entry: KnownHostEntry };

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split("\n").forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    const first = fields[0] ?? "";
    if (first === "" || first.startsWith("#")) return;
    let marker: KnownHostEntry["marker"];
    if (first.startsWith("@")) {
      if (first !== "@revoked" && first !== "@cert-authority") return; // an unknown marker: ssh(1) skips the line too
      marker = first === "@revoked" ? "revoked" : "cert-authority";
      fields.shift();
    }
    const [hosts, keyType, keyBase64] = fields;
    if (hosts === undefined || keyType === undefined || keyBase64 === undefined) return; // a marker alone, or a short line
    const key = Buffer.from(keyBase64, "base64");
    if (key.length === 0) return;
    entries.push({ marker, hosts, keyType, key, line: index + 1 });
  });
  return entries;
}

/** The name ssh(1) looks up: `host` on port 22, `[host]:port` elsewhere. */
export function knownHostName(host: string, port: number): string {
  const lower = host.toLowerCase();
  return port === 22 ? lower : `[${lower}]:${port}`;
}

export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hosts.startsWith("|1|")) return hashedMatches(entry.hosts, name);
  let matched = false;
  for (const pattern of entry.hosts.toLowerCase().split(",")) {
    const negated = pattern.startsWith("!");
    if (!globMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function hashedMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split("|");
  if (salt === undefined || hash === undefined) return false;
  const digest = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
  return digest === hash;
}

function globMatches(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${regex}$`).test(name);
}

/** Checks the key `host:port` presented against the entries. */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyCheck {
  const name = knownHostName(host, port);
  const mine = entries.filter((e) => entryMatches(e, name));
  const revoked = mine.find((e) => e.marker === "revoked" && e.key.equals(key));
  if (revoked) return { status: "revoked", entry: revoked };
  const known = mine.filter((e) => e.marker === undefined);
  if (known.some((e) => e.key.equals(key))) return { status: "known" };
  return known.length > 0 ? { status: "changed", known } : { status: "unknown" };
}

/** The key types known for a host, so the handshake can ask for one of those (as ssh(1) does) and not report a change. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostName(host, port);
  const types = entries.filter((e) => e.marker === undefined && entryMatches(e, name)).map((e) => e.keyType);
  return [...new Set(types)];
}

/** The key type named inside a wire-format public key blob (a length-prefixed string). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return "unknown";
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString("latin1");
}

/** `SHA256:...` as ssh-keygen -l prints it. */
export function fingerprint(key: Buffer): string {
  return "SHA256:" + createHash("sha256").update(key).digest("base64").replace(/=+$/, "");
}

export function formatKnownHostLine(host: string, port: number, key: Buffer): string {
  return `${knownHostName(host, port)} ${keyTypeOf(key)} ${key.toString("base64")}`;
}

/** Reads a known_hosts file; a missing file knows no hosts. */
export async function readKnownHosts(file: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Appends one host key, creating the file (and a private ~/.ssh) when missing. */
export async function appendKnownHost(file: string, host: string, port: number, key: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let existing = "";
  try {
    existing = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  await appendFile(file, `${separator}${formatKnownHostLine(host, port, key)}\n`, { mode: 0o600 });
}
