/** Filters on text: case, regular expressions, encodings, hashes, paths, JSON and YAML, shell quoting. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { quote } from "../command.js";
import { parseYaml } from "../source/yaml.js";
import { NO_VAULT } from "../vault/vault.js";
import { Args } from "./args.js";
import { comment } from "./comment.js";
import { dumpYaml } from "./pyyaml-dump.js";
import { dumps } from "./json.js";
import * as py from "./py.js";
import { expandReplacement, pyRegex, regexEscape } from "./regex.js";
import { randomSalt, shaCrypt, type ShaAlgorithm } from "./sha-crypt.js";

export type Filter = (value: unknown, ...args: unknown[]) => unknown;

function regexOptions(args: Args, at: number): { ignorecase: unknown; multiline: unknown } {
  return { ignorecase: args.get(at, "ignorecase", false), multiline: args.get(at + 1, "multiline", false) };
}

const regex_replace: Filter = (value, ...rest) => {
  const args = new Args(rest);
  const re = pyRegex(py.str(args.get(0, "pattern", "")), regexOptions(args, 2), "g");
  const replacement = py.str(args.get(1, "replacement", ""));
  const count = Number(args.get(4, "count", 0));
  let done = 0;
  return py.str(value).replace(re, (...m: unknown[]) => {
    if (count > 0 && done >= count) return String(m[0]);
    done++;
    const groups = m.at(-1);
    const hasNamed = typeof groups === "object" && groups !== null;
    const captures = m.slice(0, hasNamed ? -3 : -2) as (string | undefined)[];
    const match = Object.assign(captures, { groups: hasNamed ? groups : undefined }) as unknown as RegExpExecArray;
    return expandReplacement(replacement, match);
  });
};

/** The match, or with group arguments ('\\1', '\\g<name>') the list of those groups; None without a match. */
const regex_search: Filter = (value, ...rest) => {
  const args = new Args(rest);
  const groups = args.positional.slice(1).map((g) => py.str(g));
  const match = pyRegex(py.str(args.get(0, "regex")), {
    ignorecase: args.keywords.ignorecase,
    multiline: args.keywords.multiline,
  }).exec(py.str(value));
  if (!match) return null;
  if (groups.length === 0) return match[0];
  return groups.map((g) => {
    const named = /^\\g<(\S+)>$/.exec(g)?.[1];
    if (named !== undefined) return (/^\d+$/.test(named) ? match[Number(named)] : match.groups?.[named]) ?? null;
    if (/^\\\d+$/.test(g)) return match[Number(g.slice(1))] ?? null;
    throw new Error(`regex_search: unknown argument ${JSON.stringify(g)}`);
  });
};

const regex_findall: Filter = (value, ...rest) => {
  const args = new Args(rest);
  const re = pyRegex(py.str(args.get(0, "regex")), regexOptions(args, 1), "g");
  // Python's findall: the whole match without groups, the group with one, a tuple of groups with several.
  return [...py.str(value).matchAll(re)].map((m) => {
    const groups = m.slice(1).map((g: string | undefined) => g ?? "");
    return groups.length === 0 ? m[0] : groups.length === 1 ? groups[0] : groups;
  });
};

const HASHES = new Set(["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]);

const hash: Filter = (value, ...rest) => {
  const algorithm = py.str(new Args(rest).get(0, "hashtype", "sha1"));
  if (!HASHES.has(algorithm)) throw new Error(`hash: unsupported hash type ${JSON.stringify(algorithm)}`);
  return createHash(algorithm).update(py.str(value), "utf8").digest("hex");
};

/** Ansible's names of the crypt schemes we make (its short names, and passlib's). */
const CRYPT_SCHEMES: Record<string, ShaAlgorithm> = { sha512: "sha512", sha512_crypt: "sha512", sha256: "sha256", sha256_crypt: "sha256" };

const password_hash: Filter = (value, ...rest) => {
  const args = new Args(rest);
  const type = py.str(args.get(0, "hashtype", "sha512"));
  const algorithm = CRYPT_SCHEMES[type];
  if (algorithm === undefined) throw new Error(`password_hash: ${JSON.stringify(type)} is not supported (${Object.keys(CRYPT_SCHEMES).join(", ")} are)`);
  const given = args.get(1, "salt", null);
  const salt = given === null ? randomSalt() : py.str(given);
  if (/[^./0-9A-Za-z]/.test(salt)) throw new Error("password_hash: invalid characters in salt");
  if (salt.length > 16) throw new Error("password_hash: invalid salt size");
  const rounds = args.get(2, "rounds", null);
  return shaCrypt(algorithm, py.str(value), salt, rounds === null ? undefined : Number(rounds));
};

/** Python's str.splitlines(): no empty item for a final line break. */
function splitlines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Jinja's indent(width=4, first=False, blank=False), quirks included (nunjucks' differs in arguments). */
const indent: Filter = (value, ...rest) => {
  const args = new Args(rest);
  const width = args.get(0, "width", 4);
  const pad = typeof width === "string" ? width : " ".repeat(Number(width));
  const lines = splitlines(py.str(value) + "\n");
  let out = args.get(2, "blank", false) === true
    ? lines.join("\n" + pad)
    : [lines[0] ?? "", ...lines.slice(1).map((line) => (line ? pad + line : line))].join("\n");
  if (args.get(1, "first", false) === true) out = pad + out;
  return out;
};

/** Python's os.path.expanduser on the controller: `~` and `~user` at the start; an unknown user's path unchanged. */
function expanduser(path: string): string {
  const m = /^~([^/]*)(.*)$/s.exec(path);
  if (!m) return path;
  const [, user = "", tail = ""] = m;
  if (user === "") return (process.env.HOME ?? homedir()) + tail;
  let passwd = "";
  try {
    passwd = readFileSync("/etc/passwd", "utf8");
  } catch {
    return path;
  }
  const home = passwd.split("\n").map((line) => line.split(":")).find((fields) => fields[0] === user)?.[5];
  return home === undefined ? path : home.replace(/\/$/, "") + tail;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Python's posixpath.dirname: trailing slashes of the head are dropped unless it is all slashes. */
function dirname(path: string): string {
  const head = path.slice(0, path.lastIndexOf("/") + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, "");
}

/**
 * Ansible's to_yaml and to_nice_yaml: one yaml.dump with their own defaults (to_yaml: indent 2, PyYAML's flow
 * style for collections of scalars; to_nice_yaml: indent 4, its first argument, block style only, which it passes
 * itself, so a default_flow_style given to it is Python's "multiple values" error).
 */
function yamlFilter(name: "to_yaml" | "to_nice_yaml"): Filter {
  return (value, ...rest) => {
    const args = new Args(rest);
    const nice = name === "to_nice_yaml";
    if (nice && Object.hasOwn(args.keywords, "default_flow_style")) {
      throw new TypeError(`${name} - yaml.dump() got multiple values for keyword argument 'default_flow_style'`);
    }
    const flowStyle = nice ? false : args.keywords.default_flow_style ?? null;
    return dumpYaml(value, {
      indent: Number(nice ? args.get(0, "indent", 4) : (args.keywords.indent ?? 2)),
      width: Number(args.keywords.width ?? 80),
      flowStyle: flowStyle === null ? null : py.truthy(flowStyle),
      sortKeys: py.truthy(args.keywords.sort_keys ?? true),
    });
  };
}

export const TEXT_FILTERS: Record<string, Filter> = {
  lower: (v) => py.str(v).toLowerCase(),
  upper: (v) => py.str(v).toUpperCase(),
  string: (v) => py.str(v),
  regex_replace,
  regex_search,
  regex_findall,
  regex_escape: (v) => regexEscape(py.str(v)),
  b64encode: (v) => Buffer.from(py.str(v), "utf8").toString("base64"),
  b64decode: (v) => Buffer.from(py.str(v), "base64").toString("utf8"),
  hash,
  checksum: (v) => createHash("sha1").update(py.str(v), "utf8").digest("hex"),
  password_hash,
  basename: (v) => basename(py.str(v)),
  expanduser: (v) => expanduser(py.str(v)),
  comment,
  dirname: (v) => dirname(py.str(v)),
  quote: (v) => quote(py.str(v)),
  indent,
  format: (v, ...args) => py.percentFormat(py.str(v), args),
  split: (v, sep) => (sep === undefined ? py.str(v).trim().split(/\s+/) : py.str(v).split(py.str(sep))),
  to_json: (v, ...rest) => {
    const args = new Args(rest);
    const indent = args.keywords.indent;
    return dumps(v, { indent: typeof indent === "number" ? indent : undefined, sortKeys: args.keywords.sort_keys === true });
  },
  to_nice_json: (v, ...rest) => {
    const args = new Args(rest);
    return dumps(v, { indent: Number(args.get(0, "indent", 4)), sortKeys: args.keywords.sort_keys !== false });
  },
  from_json: (v) => JSON.parse(py.str(v)) as unknown,
  to_yaml: yamlFilter("to_yaml"),
  to_nice_yaml: yamlFilter("to_nice_yaml"),
  from_yaml: (v) => {
    // The loaders' YAML reading (PyYAML's 1.1 scalars), so from_yaml reads text as a vars file would.
    const { data, errors } = parseYaml(py.str(v), "from_yaml", NO_VAULT);
    if (errors[0]) throw new Error(`from_yaml: ${errors[0].message}`);
    return data;
  },
};
