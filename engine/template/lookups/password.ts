/**
 * The password lookup: the password kept in a file on the controller, made (random, `length` characters from
 * `chars`) and written there (0600, in directories made 0700) when the file does not exist, as Ansible does; with
 * `encrypt=sha512_crypt|sha256_crypt` its crypt hash, the salt kept in the file. Every password it returns is a
 * secret of the run. Unlike Ansible, a `seed` gives a password of its own (the same for the same seed), not
 * Python's.
 */
import { createHash, randomInt } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { splitArgs } from "../../load/key-value.js";
import * as py from "../py.js";
import { randomSalt, shaCrypt } from "../sha-crypt.js";
import { actingNow, LookupError, type Lookup } from "./lookup-api.js";

const PARAMS = ["length", "encrypt", "chars", "ident", "seed"];

/** Python's string module constants that `chars` may name. */
const CHARSETS: Record<string, string> = {
  ascii_letters: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
  ascii_lowercase: "abcdefghijklmnopqrstuvwxyz",
  ascii_uppercase: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  digits: "0123456789",
  hexdigits: "0123456789abcdefABCDEF",
  octdigits: "01234567",
  punctuation: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
  whitespace: " \t\n\r\x0b\x0c",
};
CHARSETS.printable = (CHARSETS.digits ?? "") + (CHARSETS.ascii_letters ?? "") + (CHARSETS.punctuation ?? "") + (CHARSETS.whitespace ?? "");

const ALGORITHMS: Record<string, "sha256" | "sha512"> = { sha256_crypt: "sha256", sha512_crypt: "sha512" };

interface Params {
  path: string;
  length: number;
  encrypt: string | undefined;
  chars: string[];
  seed: string | undefined;
}

/** `path length=8 chars=digits`: the path, then key=value parameters (a path may hold blanks). */
function parseTerm(term: string, options: Readonly<Record<string, unknown>>): Params {
  const tokens = splitArgs(term);
  const firstParam = tokens.findIndex((t, i) => i > 0 && t.key !== undefined);
  const pathTokens = firstParam < 0 ? tokens : tokens.slice(0, firstParam);
  const params: Record<string, string> = {};
  for (const token of firstParam < 0 ? [] : tokens.slice(firstParam)) {
    if (token.key === undefined) throw new LookupError("Unrecognized value after key=value parameters given to password lookup");
    params[token.key] = token.value ?? "";
  }
  const invalid = Object.keys(params).filter((k) => !PARAMS.includes(k));
  if (invalid.length > 0) throw new LookupError(`Unrecognized parameter(s) given to password lookup: ${invalid.join(", ")}`);
  const chars = params.chars ?? options.chars ?? ["ascii_letters", "digits", ".,:-_"];
  const encrypt = params.encrypt ?? options.encrypt;
  const seed = params.seed ?? options.seed;
  return {
    path: pathTokens.map((t) => t.raw).join(" "),
    length: Number(params.length ?? options.length ?? 20),
    encrypt: encrypt === undefined || encrypt === null ? undefined : py.str(encrypt),
    // "a,b,,": names split on commas, where two commas stand for a comma.
    chars: typeof chars === "string" ? [...(chars.includes(",,") ? [","] : []), ...chars.replaceAll(",,", ",").split(",").filter((c) => c !== "")] : (Array.isArray(chars) ? chars : [chars]).map((c: unknown) => py.str(c)),
    seed: seed === undefined || seed === null ? undefined : py.str(seed),
  };
}

function candidateChars(names: readonly string[]): string {
  return names.map((name) => CHARSETS[name] ?? name).join("").replace(/["']/g, "");
}

function randomPassword(length: number, chars: string, seed: string | undefined): string {
  if (chars.length === 0) throw new LookupError("the password lookup was given no characters to choose from");
  let out = "";
  for (let i = 0; i < length; i++) {
    const index = seed === undefined ? randomInt(chars.length) : createHash("sha256").update(`${seed}\0${String(i)}`).digest().readUInt32BE(0) % chars.length;
    out += chars.charAt(index);
  }
  return out;
}

/** The stored form: `password`, or `password salt=SALT` once a hash was asked for. */
function parseContent(content: string): { password: string; salt: string | undefined } {
  const at = content.lastIndexOf(" salt=");
  if (at < 0) return { password: content, salt: undefined };
  const rest = content.slice(at + " salt=".length);
  const ident = rest.lastIndexOf(" ident=");
  return { password: content.slice(0, at), salt: ident < 0 ? rest : rest.slice(0, ident) };
}

export const password: Lookup = (terms, call) =>
  terms.map((term) => {
    actingNow(call, "password");
    const params = parseTerm(py.str(term), call.options);
    const path = isAbsolute(params.path) ? params.path : join(call.controller.search.playbookDir, params.path);
    const devNull = path === "/dev/null";
    const stored = !devNull && existsSync(path) ? readFileSync(path, "utf8").trimEnd() : undefined;
    let { password: plain, salt } = stored === undefined ? { password: randomPassword(params.length, candidateChars(params.chars), params.seed), salt: undefined } : parseContent(stored);
    let changed = stored === undefined;
    const algorithm = params.encrypt === undefined ? undefined : ALGORITHMS[params.encrypt];
    if (params.encrypt !== undefined && algorithm === undefined) throw new LookupError(`the password lookup cannot encrypt with '${params.encrypt}' (sha512_crypt and sha256_crypt can)`);
    if (algorithm !== undefined && salt === undefined) {
      salt = randomSalt();
      changed = true;
    }
    if (changed && !devNull) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, (salt === undefined ? plain : `${plain} salt=${salt}`) + "\n", { mode: 0o600 });
    }
    call.controller.secret(plain);
    plain = algorithm === undefined || salt === undefined ? plain : shaCrypt(algorithm, plain, salt);
    call.controller.secret(plain);
    return plain;
  });
