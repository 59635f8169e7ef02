/**
 * YAML → plain JS values, with YAML 1.1 scalars as Ansible (PyYAML) reads them: yes/no/on/off are booleans,
 * 0644 is octal. Every mapping and sequence gets its positions recorded in locations.ts.
 *
 * Differences from the `yaml` package's 1.1 schema, to match PyYAML: `y`/`n` stay strings, and timestamps
 * stay strings (a date in a vars file is text to template, not a Date object).
 *
 * Vault, as Ansible's loader: a file that is vault-encrypted whole is decrypted before it is parsed, and an inline
 * `!vault |` value is decrypted where it stands, so an error says which file, line and variable.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { Document, Node, ParsedNode, ScalarTag, Tags } from "yaml";
import { PlaybookSyntaxError, SchemaValidationError, VaultError } from "../errors.js";
import type { RemsError, SourceLocation } from "../errors.js";
import type { Vault } from "../vault/vault.js";
import { recordContainer, recordKey } from "./locations.js";

export interface YamlResult {
  /** The document as plain JS values; undefined when it did not parse. */
  data: unknown;
  /** The first syntax error (then data is undefined), or value errors such as a decimal file mode. */
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
  let source: { content: Buffer; vaulted: boolean };
  try {
    source = vault.readFile(file);
  } catch (error) {
    if (error instanceof VaultError) return { data: undefined, errors: [error] };
    throw error;
  }
  const result = parseYaml(source.content.toString("utf8"), file, vault);
  if (source.vaulted) vault.registerValues(result.data);
  return result;
}

/** Parses YAML text; inline `!vault` values are decrypted with `vault`. */
export function parseYaml(text: string, file: string, vault: Vault): YamlResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: "1.1",
    customTags: pyyamlTags,
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const at = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
  // One error per mistake: the parser goes on after a mistake and reports its consequences as more errors (one
  // wrong indentation made three), where PyYAML, and so Ansible, stops at the first. A duplicate key is no error to
  // PyYAML (Ansible warns): next to a structural error it is more likely a consequence of the misread structure.
  const firstError = doc.errors.find((e) => e.code !== "DUPLICATE_KEY") ?? doc.errors[0];
  if (firstError !== undefined) {
    const lines = text.split("\n");
    return { data: undefined, errors: [syntaxError(firstError.message, pastIndentation(at(firstError.pos[0]), lines), lines)] };
  }
  const converter = new Converter(doc, at, vault);
  const data = doc.contents ? converter.convert(doc.contents) : null;
  return { data, errors: converter.errors };
}

/** An error placed in a line's indentation points at the line's first character, as PyYAML's do. */
function pastIndentation(loc: SourceLocation, lines: readonly string[]): SourceLocation {
  const line = lines[loc.line - 1] ?? "";
  const indentation = line.length - line.trimStart().length;
  return loc.col <= indentation ? { ...loc, col: indentation + 1 } : loc;
}

function syntaxError(message: string, loc: SourceLocation, lines: readonly string[]): PlaybookSyntaxError {
  const firstLine = message.split("\n")[0] ?? message;
  const reason = firstLine.replace(/ at line \d+, column \d+:?$/, "");
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
  return value === null || value === undefined ? "" : JSON.stringify(value);
}

class Converter {
  readonly errors: RemsError[] = [];

  constructor(
    private readonly doc: Document.Parsed,
    private readonly at: (offset: number) => SourceLocation,
    private readonly vault: Vault,
  ) {}

  private loc(node: Node): SourceLocation {
    return this.at(node.range?.[0] ?? 0);
  }

  /** `path` names the value for messages: `db.password`, `users[0].key`. */
  convert(node: Node, path?: string): unknown {
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      return target ? this.convert(target, path) : null;
    }
    if (isScalar(node)) return node.tag === VAULT_TAG ? this.decrypt(node.value, node, path) : node.value;
    if (isSeq(node)) {
      const list: unknown[] = [];
      recordContainer(list, this.loc(node));
      node.items.forEach((item, index) => {
        list.push(this.convert(item as Node, `${path ?? ""}[${index}]`));
        recordKey(list, index, this.loc(item as Node));
      });
      return list;
    }
    if (isMap(node)) {
      const map: Record<string, unknown> = {};
      recordContainer(map, this.loc(node));
      const merged: Record<string, unknown>[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as ParsedNode | null;
        const valueNode = pair.value as ParsedNode | null;
        const key = keyNode ? keyText(this.convert(keyNode)) : "";
        if (key === "<<" && keyNode && isScalar(keyNode) && valueNode) {
          merged.push(...this.mergeSources(valueNode));
          continue;
        }
        const keyLoc = keyNode ? this.loc(keyNode) : this.loc(node);
        const valueLoc = valueNode ? this.loc(valueNode) : keyLoc;
        const valuePath = path === undefined ? key : `${path}.${key}`;
        map[key] = key === "mode" && valueNode ? this.fileMode(valueNode, valueLoc) : valueNode ? this.convert(valueNode, valuePath) : null;
        recordKey(map, key, keyLoc, valueLoc);
      }
      // `<<: *anchor` keys never override the mapping's own keys; earlier merge sources win over later ones.
      for (const source of merged) {
        for (const [key, value] of Object.entries(source)) if (!(key in map)) map[key] = value;
      }
      return map;
    }
    return null;
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

  private mergeSources(node: ParsedNode): Record<string, unknown>[] {
    const nodes = isSeq(node) ? node.items : [node];
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
    if (!isScalar(node) || node.type !== "PLAIN") return value;
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
