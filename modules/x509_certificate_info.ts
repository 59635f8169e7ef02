/**
 * x509_certificate_info: what a PEM certificate on the host says, as community.crypto's x509_certificate_info:
 * its validity window, whether it is valid at given points in time, its names, serial and fingerprints. The file
 * is read through the file_content fact, so it travels in the play's one batched probe with the other file reads;
 * the certificate is parsed here, on the controller, with Node's X509Certificate: no openssl runs on the host.
 * Read-only: it runs in check mode too (against a certificate an earlier task would write, when one predicts it)
 * and always reports ok.
 *
 * Registered fields, with Ansible's names and formats: not_before and not_after (ASN.1 TIME, 20261127134500Z),
 * expired, valid_at (name → boolean), subject and issuer (long attribute names: commonName, organizationName),
 * subject_ordered and issuer_ordered ([name, value] pairs), serial_number, subject_alt_name (DNS:…, IP:…),
 * fingerprints (sha1, sha256, sha512), public_key (PEM) and public_key_type. serial_number is the decimal digits
 * as a string: Ansible returns an integer, but serials are usually 20 random bytes, beyond what a JavaScript
 * number holds exactly; the string prints the same in a template.
 */
import { X509Certificate } from "node:crypto";
import { ModuleError } from "../engine/errors.js";
import { defineModule } from "../engine/module-api.js";
import { fileContent, MAX_DIFF_BYTES, type FileContent } from "./facts/file-content.js";

export interface X509CertificateInfoArgs {
  path: string;
  valid_at?: Record<string, string>;
}

// --- Time specs (community.crypto's valid_at): relative to now, or an absolute ASN.1 TIME, always UTC.

/** `[+-]` then weeks, days, hours, minutes, seconds in that order, each optional; the seconds' unit may be left out. */
const RELATIVE = /^([+-])(?:(\d+)[wW])?(?:(\d+)[dD])?(?:(\d+)[hH])?(?:(\d+)[mM])?(?:(\d+)[sS]?)?$/;
const UNIT_SECONDS = [7 * 86400, 86400, 3600, 60, 1];
/** YYYYMMDDHHMM[SS] then Z or an offset ±hhmm: the four ASN.1 TIME forms community.crypto accepts. */
const ABSOLUTE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:Z|([+-])(\d{2})(\d{2}))$/;

function relativeTime(spec: string, now: Date): Date | undefined {
  const match = RELATIVE.exec(spec);
  // A sign alone matches the pattern but says nothing.
  if (!match || spec.length === 1) return undefined;
  const seconds = UNIT_SECONDS.reduce((sum, unit, i) => sum + unit * Number(match[i + 2] ?? 0), 0);
  return new Date(now.getTime() + (match[1] === "-" ? -seconds : seconds) * 1000);
}

function absoluteTime(spec: string): Date | undefined {
  const match = ABSOLUTE.exec(spec);
  if (!match) return undefined;
  const part = (i: number): number => Number(match[i] ?? 0);
  const utc = Date.UTC(part(1), part(2) - 1, part(3), part(4), part(5), part(6));
  // Date.UTC rolls month 13 into the next year and reads year 0050 as 1950: a time that does not read back as
  // written is no time.
  const written = match.slice(1, 6).join("") + (match[6] ?? "00");
  if (Number.isNaN(utc) || asn1Time(new Date(utc)).slice(0, 14) !== written) return undefined;
  const offsetMinutes = (part(8) * 60 + part(9)) * (match[7] === "-" ? -1 : 1);
  return new Date(utc - offsetMinutes * 60_000);
}

/** The point in time a valid_at entry names, relative to `now`; throws ModuleError on a spec it cannot read. */
export function pointInTime(name: string, spec: string, now: Date): Date {
  const point = spec.startsWith("+") || spec.startsWith("-") ? relativeTime(spec, now) : absoluteTime(spec);
  if (point === undefined || Number.isNaN(point.getTime())) {
    throw new ModuleError(
      `The timespec "${spec}" for valid_at.${name} is invalid: give a sign and counts of w, d, h, m, s ` +
        `(+30d, +1w2d, -1h) or an ASN.1 TIME (20261231000000Z)`,
    );
  }
  return point;
}

// --- The certificate, as Node's X509Certificate reads it, in Ansible's formats.

/** ASN.1 TIME as Ansible returns it: 20261127134500Z. */
function asn1Time(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:T]/g, "")}Z`;
}

/** A time in a reason: 2026-11-27 13:45:00 UTC. */
function displayTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** validFrom/validTo are OpenSSL's text, "Dec 31 23:59:59 2099 GMT": Node 20 has no Date of them yet. */
function certificateTime(text: string): Date {
  const match = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (\d{4}) GMT$/.exec(text);
  const month = MONTHS.indexOf(match?.[1] ?? "");
  if (!match || month < 0) throw new ModuleError(`unexpected certificate time from Node: ${text}`);
  return new Date(Date.UTC(Number(match[6]), month, Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5])));
}

/** OpenSSL's short attribute names, which Node prints, to the long names Ansible returns; the rest are the same in both. */
const LONG_NAMES: Readonly<Record<string, string>> = {
  C: "countryName",
  ST: "stateOrProvinceName",
  L: "localityName",
  street: "streetAddress",
  O: "organizationName",
  OU: "organizationalUnitName",
  CN: "commonName",
  SN: "surname",
  GN: "givenName",
  UID: "userId",
  DC: "domainComponent",
  jurisdictionC: "jurisdictionCountryName",
  jurisdictionST: "jurisdictionStateOrProvinceName",
  jurisdictionL: "jurisdictionLocalityName",
};

/**
 * In a line of X509Certificate.subject: an escape (`\XX` for a byte, `\,` for a character), the " + " between the
 * attributes of a multi-valued RDN, or plain text up to the next of either.
 */
const NAME_TOKEN = /\\([0-9A-Fa-f]{2})|\\(.)| \+ |[^\\]+?(?=\\| \+ |$)/gu;

/**
 * X509Certificate.subject and .issuer: one line per RDN, values escaped as in RFC 2253. Returns [long name, value]
 * pairs in the certificate's order. A type holds no "=", so an attribute's first "=" ends it, escaped or not.
 */
function nameEntries(text: string): [string, string][] {
  const entries: [string, string][] = [];
  for (const line of text.split("\n").filter((l) => l !== "")) {
    let bytes: Buffer[] = [];
    const close = (): void => {
      const attribute = Buffer.concat(bytes).toString("utf8");
      const type = attribute.slice(0, attribute.indexOf("="));
      entries.push([LONG_NAMES[type] ?? type, attribute.slice(type.length + 1)]);
      bytes = [];
    };
    for (const [token, hex, escaped] of line.matchAll(NAME_TOKEN)) {
      if (hex !== undefined) bytes.push(Buffer.from(hex, "hex"));
      else if (escaped !== undefined) bytes.push(Buffer.from(escaped));
      else if (token === " + ") close();
      else bytes.push(Buffer.from(token));
    }
    close();
  }
  return entries;
}

/** Node's labels of alternative names to the ones Ansible uses ("IP Address:10.0.0.1" is "IP:10.0.0.1"). */
const SAN_TYPES: Readonly<Record<string, string>> = { "IP Address": "IP", DirName: "dirName", "Registered ID": "RID", othername: "otherName" };

/** X509Certificate.subjectAltName: "DNS:a, IP Address:10.0.0.1"; a value holding a comma or a quote comes JSON-quoted. */
function subjectAltNames(text: string | undefined): string[] | null {
  if (text === undefined) return null;
  const names: string[] = [];
  const entry = /([^:]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/y;
  for (let match = entry.exec(text); match; match = entry.exec(text)) {
    const type = match[1] ?? "";
    const raw = match[2] ?? "";
    let value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    // OpenSSL spells IPv6 out (FE80:0:0:0:0:0:0:1); Ansible prints it compressed, as the URL parser does.
    if (type === "IP Address" && value.includes(":")) value = new URL(`http://[${value}]/`).hostname.slice(1, -1);
    names.push(`${SAN_TYPES[type] ?? type}:${value}`);
  }
  return names;
}

/** Node's key types to Ansible's public_key_type. */
const KEY_TYPES: Readonly<Record<string, string>> = { rsa: "RSA", "rsa-pss": "RSA", dsa: "DSA", ec: "ECC", ed25519: "Ed25519", ed448: "Ed448", x25519: "X25519", x448: "X448" };

/** Any PEM certificate block; other blocks (a key before it, text around it) are skipped by OpenSSL. */
const PEM_CERTIFICATE = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----/;

function parseCertificate(path: string, pem: string): X509Certificate {
  if (!PEM_CERTIFICATE.test(pem)) throw new ModuleError(`Error while decoding certificate ${path}: no PEM certificate in it (a -----BEGIN CERTIFICATE----- block)`);
  try {
    return new X509Certificate(pem);
  } catch (cause) {
    throw new ModuleError(`Error while decoding certificate ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, {}, { cause });
  }
}

export interface CertificateReading {
  reason: string;
  output: Record<string, unknown>;
}

/**
 * What the module reports about the certificate `pem` read from `path` (the first one of a chain), at `now`, with
 * the valid_at points already resolved.
 */
export function describeCertificate(path: string, pem: string, points: Readonly<Record<string, Date>>, now: Date): CertificateReading {
  const cert = parseCertificate(path, pem);
  const notBefore = certificateTime(cert.validFrom);
  const notAfter = certificateTime(cert.validTo);
  const subject = nameEntries(cert.subject);
  const issuer = nameEntries(cert.issuer);
  const keyType = cert.publicKey.asymmetricKeyType ?? "";
  const output = {
    not_before: asn1Time(notBefore),
    not_after: asn1Time(notAfter),
    expired: notAfter < now,
    valid_at: Object.fromEntries(Object.entries(points).map(([name, point]) => [name, notBefore <= point && point <= notAfter])),
    subject: Object.fromEntries(subject),
    subject_ordered: subject,
    issuer: Object.fromEntries(issuer),
    issuer_ordered: issuer,
    serial_number: BigInt(`0x${cert.serialNumber}`).toString(),
    subject_alt_name: subjectAltNames(cert.subjectAltName),
    fingerprints: { sha1: cert.fingerprint.toLowerCase(), sha256: cert.fingerprint256.toLowerCase(), sha512: cert.fingerprint512.toLowerCase() },
    public_key: cert.publicKey.export({ type: "spki", format: "pem" }).toString(),
    public_key_type: KEY_TYPES[keyType] ?? `unknown (${keyType})`,
  };
  const reason =
    now > notAfter
      ? `certificate ${path} expired on ${displayTime(notAfter)}`
      : now < notBefore
        ? `certificate ${path} is not valid before ${displayTime(notBefore)}`
        : `certificate ${path} valid until ${displayTime(notAfter)}`;
  return { reason, output };
}

/** The PEM text of the file_content fact, or the error community.crypto would give for the file. */
function pemText(path: string, file: FileContent): string {
  switch (file.kind) {
    case "text":
      return file.content;
    case "absent":
      throw new ModuleError(`Error while reading certificate file from disk: ${path} does not exist (or is not a regular file)`);
    case "large":
      throw new ModuleError(`Error while reading certificate file from disk: ${path} is ${file.size} bytes, too large for a PEM certificate (files over ${MAX_DIFF_BYTES} bytes are not read)`);
    case "binary":
      throw new ModuleError(`Error while decoding certificate ${path}: the file is binary (DER?); only PEM certificates are read`);
  }
}

export default defineModule<X509CertificateInfoArgs>({
  name: "x509_certificate_info",
  description: "Read a PEM certificate on the host: its validity, names and serial, and whether it is valid at given times",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["path"],
    properties: {
      path: {
        type: "string",
        minLength: 1,
        description: "Path of the certificate on the host, in PEM; of a chain (fullchain.pem) the first certificate is read",
      },
      valid_at: {
        type: "object",
        description:
          "Names mapped to points in time; valid_at.NAME in the result says whether the certificate is valid then. " +
          "UTC, relative to now ([+-] with w, d, h, m, s: +30d, +1w2d, -1h) or an ASN.1 TIME (20261231000000Z)",
        additionalProperties: { type: "string", minLength: 1, description: "A relative time (+30d) or an ASN.1 TIME (20261231000000Z)" },
      },
    },
  },
  examples: [
    "- x509_certificate_info:\n    path: /etc/ssl/rems/rems.crt\n    valid_at:\n      in_30_days: \"+30d\"\n  register: rems_certificate",
    "- x509_certificate_info: { path: /etc/letsencrypt/live/rems.example.org/fullchain.pem }",
    "- x509_certificate_info:\n    path: /etc/ssl/rems/rems.crt\n    valid_at:\n      next_week: \"+1w\"\n      new_year: \"20270101000000Z\"",
  ],
  capabilities: { diff: false, idempotent: true },
  async check(ctx, args) {
    const now = new Date();
    // Specs first: a bad one is the task's error whatever the host holds.
    const points = Object.fromEntries(Object.entries(args.valid_at ?? {}).map(([name, spec]) => [name, pointInTime(name, spec, now)]));
    const pem = pemText(args.path, await ctx.fact(fileContent, { path: args.path }));
    const { reason, output } = describeCertificate(args.path, pem, points, now);
    return { changed: false, reason, output };
  },
});
