/**
 * YAML written as PyYAML's yaml.dump writes it for Ansible's `to_yaml` and `to_nice_yaml` (allow_unicode): keys
 * sorted unless sort_keys is false; in block style a list under a key not indented, a collection in a list item on
 * the dash's line (`-   a: 1` with indent 4); in flow style `[a, b]` and `{k: v}` broken after a comma past
 * `width`; with default_flow_style None (to_yaml's) a list or dict of scalars only in flow style, the others in
 * block style; empty collections as [] and {}; plain scalars where PyYAML writes them plain (quoted where they would
 * read back as another type: 'yes', '123', '' ..., or hold what flow style reserves: 'c,d'), else single-quoted
 * (multi-line text folded as PyYAML folds it) or double-quoted, and long plain or single-quoted text broken at a
 * space past `width`.
 */
import * as py from "./py.js";

const BREAKS = "\n\x85\u2028\u2029";
const SPACE_OR_BREAK = "\0 \t\r" + BREAKS;

/** Plain text that PyYAML's resolver would read as something other than a string (YAML 1.1). */
const IMPLICIT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<|=|~|null|Null|NULL|)$/,
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
];

interface Analysis {
  multiline: boolean;
  plain: boolean;
  flowPlain: boolean;
  singleQuoted: boolean;
}

/** yaml.dump's options as Ansible's filters pass them; flowStyle is default_flow_style (null: PyYAML's best style). */
export interface YamlDumpOptions {
  indent: number;
  width: number;
  flowStyle: boolean | null;
  sortKeys: boolean;
}

/** PyYAML's analyze_scalar (allow_unicode, as Ansible dumps). */
function analyze(text: string): Analysis {
  if (text === "") return { multiline: false, plain: true, flowPlain: false, singleQuoted: true };
  let blockIndicators = text.startsWith("---") || text.startsWith("...");
  let flowIndicators = blockIndicators;
  let lineBreaks = false, special = false;
  let leading = false, trailing = false, breakSpace = false, spaceBreak = false;
  let previousSpace = false, previousBreak = false;
  const chars = Array.from(text);
  for (const [i, ch] of chars.entries()) {
    const followedBySpace = i + 1 >= chars.length || SPACE_OR_BREAK.includes(chars[i + 1] ?? "");
    const precededBySpace = i === 0 || SPACE_OR_BREAK.includes(chars[i - 1] ?? "");
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) blockIndicators = flowIndicators = true;
      if ("?:".includes(ch)) flowIndicators = true;
      if ("?:-".includes(ch) && followedBySpace) blockIndicators = flowIndicators = true;
    } else {
      if (",?[]{}:".includes(ch)) flowIndicators = true;
      if ((ch === ":" && followedBySpace) || (ch === "#" && precededBySpace)) blockIndicators = flowIndicators = true;
    }
    const isBreak = BREAKS.includes(ch);
    if (isBreak) lineBreaks = true;
    const code = ch.codePointAt(0) ?? 0;
    const printable = ch === "\n" || (code >= 0x20 && code <= 0x7e) || ((code === 0x85 || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000) && code !== 0xfeff);
    if (!printable) special = true;
    if (ch === " " || isBreak) {
      if (i === 0) leading = true;
      if (i === chars.length - 1) trailing = true;
      if (ch === " " && previousBreak) breakSpace = true;
      if (isBreak && previousSpace) spaceBreak = true;
    }
    previousSpace = ch === " ";
    previousBreak = isBreak;
  }
  const plain = !(leading || trailing || breakSpace || spaceBreak || special || lineBreaks);
  return {
    multiline: lineBreaks,
    plain: plain && !blockIndicators,
    flowPlain: plain && !flowIndicators,
    singleQuoted: !(breakSpace || spaceBreak || special),
  };
}

class Writer {
  private out = "";
  private column = 0;
  /** The last thing written was blank (or nothing): the next scalar needs no space before it. */
  private whitespace = true;
  /** Only indentation and indicators on this line so far. */
  private indention = true;
  /** Inside a [ ] or { }: everything within is in flow style too. */
  private flowLevel = 0;
  private readonly step: number;
  private readonly width: number;

  constructor(private readonly options: YamlDumpOptions) {
    // PyYAML's own guards: an indent out of 2..9 is 2, a width not above twice the indent is 80.
    this.step = options.indent > 1 && options.indent < 10 ? options.indent : 2;
    this.width = options.width > this.step * 2 ? options.width : 80;
  }

  text(): string {
    return this.out;
  }

  private write(data: string): void {
    this.out += data;
    this.column += data.length;
  }

  lineBreak(): void {
    this.out += "\n";
    this.column = 0;
    this.whitespace = true;
    this.indention = true;
  }

  /** To column `indent`, on a new line unless this line holds only indentation and indicators up to there. */
  indent(indent: number): void {
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.lineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(" ".repeat(indent - this.column));
    }
  }

  indicator(text: string, needSpace: boolean, whitespace = false, indention = false): void {
    this.write(this.whitespace || !needSpace ? text : " " + text);
    this.whitespace = whitespace;
    this.indention &&= indention;
  }

  /** Words and single spaces; a single space past the width becomes a break to `indent`. */
  plain(text: string, indent: number): void {
    if (text === "") return;
    if (!this.whitespace) this.write(" ");
    this.whitespace = false;
    this.indention = false;
    for (const [i, part] of text.split(/( +)/).entries()) {
      if (i % 2 === 1 && part === " " && this.column > this.width) {
        this.indent(indent);
        this.whitespace = false;
        this.indention = false;
      } else this.write(part);
    }
  }

  /** PyYAML's write_single_quoted: '' for a quote, a line break written twice, breaks at a single space past the width. */
  singleQuoted(text: string, indent: number): void {
    this.indicator("'", true);
    const chars = Array.from(text);
    let start = 0;
    let spaces = false;
    let breaks = false;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.column > this.width && start !== 0 && end !== chars.length) this.indent(indent);
          else this.write(chars.slice(start, end).join(""));
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (chars[start] === "\n") this.lineBreak();
          for (const br of chars.slice(start, end)) {
            if (br === "\n") this.lineBreak();
            else {
              this.out += br;
              this.column = 0;
            }
          }
          this.indent(indent);
          start = end;
        }
      } else if ((ch === undefined || (" '" + BREAKS).includes(ch)) && start < end) {
        this.write(chars.slice(start, end).join(""));
        start = end;
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === " ";
        breaks = BREAKS.includes(ch);
      }
    }
    this.indicator("'", false);
  }

  doubleQuoted(text: string): void {
    const escaped = Array.from(text).map((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      const named: Record<string, string> = { "\0": "\\0", "\x07": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N", "\xa0": "\\_", "\u2028": "\\L", "\u2029": "\\P" };
      if (named[ch] !== undefined) return named[ch];
      if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0xfeff) return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0").toUpperCase()}` : `\\u${code.toString(16).padStart(4, "0").toUpperCase()}`;
      return ch;
    });
    this.indicator(`"${escaped.join("")}"`, true);
  }

  scalar(value: unknown, indent: number, simpleKey: boolean): void {
    if (typeof value !== "string") {
      this.plain(representation(value), indent);
      return;
    }
    const analysis = analyze(value);
    const implicit = !IMPLICIT.some((re) => re.test(value));
    const plain = this.flowLevel > 0 ? analysis.flowPlain : analysis.plain;
    if (implicit && plain && !(simpleKey && (value === "" || analysis.multiline))) this.plain(value, indent);
    else if (analysis.singleQuoted && !(simpleKey && analysis.multiline)) this.singleQuoted(value, indent);
    else this.doubleQuoted(value);
  }

  private keys(value: py.Mapping): string[] {
    return this.options.sortKeys ? Object.keys(value).sort() : Object.keys(value);
  }

  /** PyYAML's choice: default_flow_style, or when it is None, flow style for a collection of scalars only. */
  private flow(value: unknown[] | py.Mapping): boolean {
    if (this.flowLevel > 0 || (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0)) return true;
    if (this.options.flowStyle !== null) return this.options.flowStyle;
    return Object.values(value).every((item) => !Array.isArray(item) && !py.isMapping(item));
  }

  node(value: unknown, indent: number, context: "root" | "mapping" | "sequence"): void {
    if (Array.isArray(value) || py.isMapping(value)) {
      if (this.flow(value)) this.flowCollection(value, indent + this.step);
      else if (Array.isArray(value)) this.blockSequence(value, indent, context);
      else this.blockMapping(value, context === "root" ? indent : indent + this.step);
    } else this.scalar(value, indent + this.step, false);
  }

  private blockSequence(items: readonly unknown[], indent: number, context: "root" | "mapping" | "sequence"): void {
    // A list under a key starts at the key's column (PyYAML's indentless sequence).
    const itemIndent = context === "mapping" && !this.indention ? indent : indent + (context === "root" ? 0 : this.step);
    for (const item of items) {
      this.indent(itemIndent);
      this.indicator("-", true, false, true);
      this.node(item, itemIndent, "sequence");
    }
  }

  private blockMapping(value: py.Mapping, keyIndent: number): void {
    for (const key of this.keys(value)) {
      this.indent(keyIndent);
      this.scalar(key, keyIndent + this.step, true);
      this.indicator(":", false);
      this.node(value[key], keyIndent, "mapping");
    }
  }

  /** `[a, b]` or `{k: v}` at `indent`, each entry after a comma on a new line once the line is past the width. */
  private flowCollection(value: unknown[] | py.Mapping, indent: number): void {
    const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
    this.indicator(open, true, true);
    this.flowLevel++;
    const entries: (readonly [string | undefined, unknown])[] = Array.isArray(value)
      ? value.map((item: unknown) => [undefined, item] as const)
      : this.keys(value).map((key) => [key, value[key]] as const);
    for (const [i, [key, item]] of entries.entries()) {
      if (i > 0) this.indicator(",", false);
      if (this.column > this.width) this.indent(indent);
      if (key !== undefined) {
        this.scalar(key, indent + this.step, true);
        this.indicator(":", false);
      }
      this.node(item, indent, "sequence");
    }
    this.flowLevel--;
    this.indicator(close, false);
  }
}

/** A non-string scalar as PyYAML represents it. */
function representation(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (py.isNumber(value)) {
    const n = Number(value);
    if (Number.isNaN(n)) return ".nan";
    if (!Number.isFinite(n)) return n > 0 ? ".inf" : "-.inf";
    // PyYAML's represent_float: repr, with ".0" put into an exponent form without a point (1e+20 is 1.0e+20).
    return py.isFloat(value) ? py.floatRepr(n).replace(/^(-?\d+)e/, "$1.0e") : String(n);
  }
  return py.str(value);
}

/** `value` as yaml.dump(value, allow_unicode=True, ...options) writes it. */
export function dumpYaml(value: unknown, options: YamlDumpOptions): string {
  const writer = new Writer(options);
  writer.node(value, 0, "root");
  return writer.text() + "\n";
}
