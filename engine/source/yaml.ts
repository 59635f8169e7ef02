/**
 * YAML → plain JS values, with YAML 1.1 scalars as Ansible (PyYAML) reads them: yes/no/on/off are booleans,
 * 0644 is octal. Every mapping and sequence gets its positions recorded in locations.ts.
 *
 * Differences from the `yaml` package's 1.1 schema, to match PyYAML: `y`/`n` stay strings, and timestamps
 * stay strings (a date in a vars file is text to template, not a Date object).
 *
 * Vault, as Ansible's loader: a file that is vault-encrypted whole is decrypted before it is parsed, and an inline
 * `!vault |` value is decrypted where it stands, so an error says which file, line and variable.
 *
 * Limits keep a small hostile document cheap to refuse: a 400-byte "billion laughs" (aliases of aliases of lists)
 * would expand to 9^9 values, minutes of work and an out-of-memory death during which the process heeds no
 * signal. Files are at most MAX_INPUT_BYTES (text-file.ts).
 */
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { Document, Node, ParsedNode, ScalarTag, Tags } from "yaml";
import { InputFileError, PlaybookSyntaxError, SchemaValidationError, VaultError } from "../errors.js";
import type { RemsError, SourceLocation } from "../errors.js";
import { recordContainer, recordKey } from "./locations.js";
import type { Vault } from "../vault/vault.js";

/** Alias nodes one document may hold. */
export const MAX_ALIASES = 1000;
/** Values the aliases of one document may expand to, in all (a merge key's mapping counts its values too). */
export const MAX_ALIAS_VALUES = 100_000;
/** Levels of nesting (mappings and sequences); real playbooks and vars files stay well below 20. */
export const MAX_DEPTH = 100;

/**
 * The `yaml` package, loaded on first use: the command line reads -e values with this file, and `--version` and
 * `--help` should not pay for loading it.
 */
let yamlPackage: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  return (yamlPackage ??= createRequire(import.meta.url)("yaml") as typeof Yaml);
}

export interface YamlResult {
  /** The document as plain JS values; undefined when it did not parse. */
  data: unknown;
  /** Syntax errors (then data is undefined) or value errors such as a decimal file mode. */
  errors: RemsError[];
}

const BOOL_TAG = "tag:yaml.org,2002:bool";
const TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp";
const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const VAULT_TAG = "!vault";

function pyyamlTags(tags: Tags): Tags {
  // `!vault` values stay their text here; the converter decrypts them, knowing where they are.
  const vault: ScalarTag = { tag: VAULT_TAG, resolve: (text) => text };
  return [...tags, vault]
    .filter((tag) => typeof tag !== "object" || tag.tag !== TIMESTAMP_TAG)
    .map((tag) => {
      if (typeof tag !== "object" || tag.tag !== BOOL_TAG || tag.collection !== undefined) return tag;
      const bool: ScalarTag = { ...tag, test: tag.identify?.(true) ? PYYAML_TRUE : PYYAML_FALSE };
      return bool;
    });
}

/**
 * Reads and parses a YAML file, decrypting it when it is vault-encrypted. `file` is the path as shown in messages
 * (absolute or relative to the cwd).
 */
export function readYamlFile(file: string, vault: Vault): YamlResult {
  let text: string;
  let vaulted: boolean;
  try {
    ({ text, vaulted } = vault.readText(file));
  } catch (error) {
    if (error instanceof InputFileError || error instanceof VaultError) return { data: undefined, errors: [error] };
    throw error;
  }
  const result = parseYaml(text, file, vault);
  if (vaulted) vault.registerValues(result.data);
  return result;
}

/**
 * Parses YAML text; `file` names it in messages; inline `!vault` values are decrypted with `vault`.
 * `showLines: false` leaves the offending line out of syntax errors, for text that may hold a secret (an -e value).
 */
export function parseYaml(text: string, file: string, vault: Vault, options: { showLines?: boolean } = {}): YamlResult {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: "1.1",
    customTags: pyyamlTags,
    lineCounter,
    prettyErrors: false,
    // The package compares each key with every other key of its mapping, which takes minutes for a mapping of
    // 60 000 keys; the Converter finds duplicates with a set instead.
    uniqueKeys: false,
  });
  const at = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
  let lines: string[] | undefined;
  const syntax = (message: string, offset: number): PlaybookSyntaxError =>
    syntaxError(message, at(offset), options.showLines === false ? undefined : (lines ??= text.split("\n")));
  // One error per mistake: the parser goes on after a mistake and reports its consequences as more errors (one
  // wrong indentation made three), where PyYAML, and so Ansible, stops at the first.
  const [firstError] = doc.errors;
  if (firstError !== undefined) {
    lines ??= text.split("\n");
    return { data: undefined, errors: [syntaxError(firstError.message, pastIndentation(at(firstError.pos[0]), lines), options.showLines === false ? undefined : lines)] };
  }
  const converter = new Converter(doc, at, syntax, vault);
  try {
    const data = doc.contents ? converter.convert(doc.contents) : null;
    return { data, errors: converter.errors };
  } catch (error) {
    if (error instanceof PlaybookSyntaxError) return { data: undefined, errors: [error] };
    throw error;
  }
}

/** An error placed in a line's indentation points at the line's first character, as PyYAML's do. */
function pastIndentation(loc: SourceLocation, lines: readonly string[]): SourceLocation {
  const line = lines[loc.line - 1] ?? "";
  const indentation = line.length - line.trimStart().length;
  return loc.col <= indentation ? { ...loc, col: indentation + 1 } : loc;
}

function syntaxError(message: string, loc: SourceLocation, lines: readonly string[] | undefined): PlaybookSyntaxError {
  const firstLine = message.split("\n")[0] ?? message;
  const reason = firstLine.replace(/ at line \d+, column \d+:?$/, "");
  if (lines === undefined) return new PlaybookSyntaxError(`Syntax Error while loading YAML: ${reason}`, { loc });
  const before = loc.line >= 2 ? [lines[loc.line - 2] ?? ""] : [];
  const excerpt = [...before, lines[loc.line - 1] ?? "", `${" ".repeat(loc.col - 1)}^ here`];
  return new PlaybookSyntaxError(
    `Syntax Error while loading YAML: ${reason}\n\nThe offending line appears to be:\n\n${excerpt.join("\n")}`,
    { loc },
  );
}

/** Mapping keys as text: `yes:` → "true", `1:` → "1", a (rare) complex key → its JSON. */
function keyText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "symbol") return value.description ?? "";
  return value === null || value === undefined ? "" : JSON.stringify(value);
}

/**
 * Turns the document into plain values. Throws PlaybookSyntaxError when the document is past a limit, at the
 * place where it went past: the alias (as written, not inside what it refers to) or the value nested too deep.
 */
class Converter {
  readonly errors: RemsError[] = [];
  private readonly lib = yaml();
  private depth = 0;
  private aliases = 0;
  private aliasValues = 0;
  /** The alias being expanded, as written in the document (an alias met inside what it refers to is not). */
  private outerAlias: Node | undefined;
  /** What each alias refers to: found in one pass, where the package's own Alias.resolve walks the document each time. */
  private readonly targets = new Map<Node, Node>();

  constructor(
    doc: Document.Parsed,
    private readonly at: (offset: number) => SourceLocation,
    private readonly syntax: (message: string, offset: number) => PlaybookSyntaxError,
    private readonly vault: Vault,
  ) {
    // An alias refers to the last node before it with that anchor (a later anchor of the same name redefines it).
    const anchored = new Map<string, Node>();
    this.lib.visit(doc, {
      Node: (_key, node) => {
        if (this.lib.isAlias(node)) {
          const target = anchored.get(node.source);
          if (target) this.targets.set(node, target);
        } else if (node.anchor !== undefined) anchored.set(node.anchor, node);
      },
    });
  }

  private loc(node: Node): SourceLocation {
    return this.at(node.range?.[0] ?? 0);
  }

  private tooMuch(node: Node, message: string): PlaybookSyntaxError {
    return this.syntax(`${message}; the YAML loader refuses such documents`, node.range?.[0] ?? 0);
  }

  /** `path` names the value for messages: `db.password`, `users[0].key`. */
  convert(node: Node, path?: string): unknown {
    const { isAlias, isMap, isScalar, isSeq } = this.lib;
    if (this.outerAlias !== undefined && ++this.aliasValues > MAX_ALIAS_VALUES) {
      throw this.tooMuch(this.outerAlias, `the document's aliases expand to more than ${MAX_ALIAS_VALUES} values (an alias bomb?)`);
    }
    if (isAlias(node)) {
      const target = this.targets.get(node);
      if (!target) return null;
      if (this.outerAlias !== undefined) return this.convert(target, path);
      if (++this.aliases > MAX_ALIASES) throw this.tooMuch(node, `the document has more than ${MAX_ALIASES} aliases`);
      this.outerAlias = node;
      try {
        return this.convert(target, path);
      } finally {
        this.outerAlias = undefined;
      }
    }
    if (isScalar(node)) return node.tag === VAULT_TAG ? this.decrypt(node.value, node, path) : node.value;
    if (isSeq(node)) return this.nested(node, () => this.sequence(node, path));
    if (isMap(node)) return this.nested(node, () => this.mapping(node, path));
    return null;
  }

  private nested(node: Node, build: () => unknown): unknown {
    if (++this.depth > MAX_DEPTH) throw this.tooMuch(node, `values are nested deeper than ${MAX_DEPTH} levels`);
    try {
      return build();
    } finally {
      this.depth--;
    }
  }

  /** An inline `!vault` value: its plaintext as a string (Ansible's AnsibleVaultEncryptedUnicode), or null and an error. */
  private decrypt(value: unknown, node: Node, path: string | undefined): string | null {
    try {
      return this.vault.decrypt(String(value), { loc: this.loc(node), variable: path }).toString("utf8");
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      this.errors.push(error);
      return null;
    }
  }

  private sequence(node: Yaml.YAMLSeq, path: string | undefined): unknown[] {
    const list: unknown[] = [];
    recordContainer(list, this.loc(node));
    node.items.forEach((item, index) => {
      list.push(this.convert(item as Node, `${path ?? ""}[${index}]`));
      recordKey(list, index, this.loc(item as Node));
    });
    return list;
  }

  private mapping(node: Yaml.YAMLMap, path: string | undefined): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    recordContainer(map, this.loc(node));
    const merged: Record<string, unknown>[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as ParsedNode | null;
      const valueNode = pair.value as ParsedNode | null;
      const keyValue = keyNode ? this.convert(keyNode) : "";
      // A plain `<<` is YAML 1.1's merge key; the package gives it a symbol as its value.
      if (typeof keyValue === "symbol" && valueNode) {
        merged.push(...this.mergeSources(valueNode));
        continue;
      }
      const key = keyText(keyValue);
      if (Object.hasOwn(map, key)) this.errors.push(this.syntax("Map keys must be unique", keyNode?.range[0] ?? node.range?.[0] ?? 0));
      const keyLoc = keyNode ? this.loc(keyNode) : this.loc(node);
      const valueLoc = valueNode ? this.loc(valueNode) : keyLoc;
      map[key] = key === "mode" && valueNode ? this.fileMode(valueNode, valueLoc) : valueNode ? this.convert(valueNode, path === undefined ? key : `${path}.${key}`) : null;
      recordKey(map, key, keyLoc, valueLoc);
    }
    // `<<: *anchor` keys never override the mapping's own keys; earlier merge sources win over later ones.
    for (const source of merged) {
      for (const [key, value] of Object.entries(source)) if (!(key in map)) map[key] = value;
    }
    return map;
  }

  private mergeSources(node: ParsedNode): Record<string, unknown>[] {
    const nodes = this.lib.isSeq(node) ? node.items : [node];
    return nodes
      .map((item) => this.convert(item as Node))
      .filter((value): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value));
  }

  /**
   * `mode: 0644` (YAML 1.1 octal) becomes the string "0644", so a mode is never a number that could be read as
   * decimal; `mode: 644` is refused: Ansible would take it as decimal 644 (= 0o1204), which nobody means.
   */
  private fileMode(node: ParsedNode, loc: SourceLocation): unknown {
    const value = this.convert(node);
    if (!this.lib.isScalar(node) || node.type !== "PLAIN") return value;
    const source = node.source;
    if (typeof source !== "string") return value;
    if (/^0o?[0-7]+$/.test(source)) return "0" + source.replace(/^0o?/, "");
    if (typeof value === "number") {
      const octal = `0${source}`;
      this.errors.push(new SchemaValidationError(`mode ${source} is a decimal number; file modes are octal: write mode: '${octal}'`, { loc }));
      // The load fails on the error above; the octal reading avoids a second error about the same value.
      return octal;
    }
    return value;
  }
}
