/**
 * Python's ast.literal_eval for the text Ansible reads back as a value (ansible_eval_concat): strings, numbers,
 * True/False/None (and JSON's true/false/null, which Ansible maps to them), lists, tuples (lists here) and dicts,
 * with Python's blanks, line breaks inside brackets and comments. Anything else (a name, an operator, a set, bytes,
 * a complex number) is not a literal, and Ansible keeps the text: NOT_LITERAL.
 */

import * as py from "./py.js";

export const NOT_LITERAL = Symbol("not a Python literal");

const NAMES: Readonly<Record<string, unknown>> = { True: true, False: false, None: null, true: true, false: false, null: null };
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\n": "" };
const NUMBER = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?(?:\d(?:_?\d)*)?(?:[eE][-+]?\d(?:_?\d)*)?[jJ]?)/;

class NotLiteral extends Error {}

class Reader {
  private at = 0;
  /** Brackets open: a line break is a blank only inside them. */
  private depth = 0;

  constructor(private readonly text: string) {}

  private blanks(): void {
    for (;;) {
      const c = this.text.charAt(this.at);
      if (c === " " || c === "\t" || c === "\f" || (this.depth > 0 && (c === "\n" || c === "\r"))) this.at++;
      else if (c === "#") while (this.at < this.text.length && this.text.charAt(this.at) !== "\n") this.at++;
      else return;
    }
  }

  private peek(): string {
    this.blanks();
    return this.text.charAt(this.at);
  }

  private eat(c: string): boolean {
    if (this.peek() !== c) return false;
    this.at++;
    return true;
  }

  private expect(c: string): void {
    if (!this.eat(c)) throw new NotLiteral();
  }

  document(): unknown {
    const value = this.value();
    // After the value only blanks, comments and line breaks (ast.parse of "[1]\n" is fine).
    this.depth = 1;
    this.blanks();
    if (this.at < this.text.length) throw new NotLiteral();
    return value;
  }

  private value(): unknown {
    const c = this.peek();
    if (c === "[") return this.items("[", "]");
    if (c === "(") return this.parenthesized();
    if (c === "{") return this.dict();
    if (c === "-" || c === "+") {
      this.at++;
      const n = this.number();
      return c === "-" ? py.neg(n) : n;
    }
    if (/[0-9.]/.test(c)) return this.number();
    if (this.atString()) return this.strings();
    const word = /^[A-Za-z_]\w*/.exec(this.text.slice(this.at))?.[0];
    if (word === undefined || !Object.hasOwn(NAMES, word)) throw new NotLiteral();
    this.at += word.length;
    return NAMES[word];
  }

  private opening(open: string): void {
    this.expect(open);
    this.depth++;
  }

  private closing(close: string): boolean {
    if (!this.eat(close)) return false;
    this.depth--;
    return true;
  }

  private items(open: string, close: string): unknown[] {
    this.opening(open);
    const out: unknown[] = [];
    while (!this.closing(close)) {
      out.push(this.value());
      if (!this.eat(",")) {
        if (!this.closing(close)) throw new NotLiteral();
        break;
      }
    }
    return out;
  }

  /** `(x)` is x; `()`, `(x,)` and `(x, y)` are tuples, lists here. */
  private parenthesized(): unknown {
    this.opening("(");
    if (this.closing(")")) return [];
    const first = this.value();
    if (this.closing(")")) return first;
    this.expect(",");
    const out = [first];
    while (!this.closing(")")) {
      out.push(this.value());
      if (!this.eat(",")) {
        if (!this.closing(")")) throw new NotLiteral();
        break;
      }
    }
    return out;
  }

  private dict(): Record<string, unknown> {
    this.opening("{");
    const out: Record<string, unknown> = {};
    while (!this.closing("}")) {
      const key = this.value();
      // A set ({1, 2}) has no JSON form here: the text stays text.
      this.expect(":");
      // A list is no key (Python: unhashable); other keys are their text, as a JSON object holds them.
      if (typeof key === "object" && key !== null) throw new NotLiteral();
      out[py.str(key)] = this.value();
      if (!this.eat(",")) {
        if (!this.closing("}")) throw new NotLiteral();
        break;
      }
    }
    return out;
  }

  private number(): number | py.PyFloat {
    this.blanks();
    const token = NUMBER.exec(this.text.slice(this.at))?.[0] ?? "";
    if (!/\d/.test(token) || /[jJ]$/.test(token) || (/^0\d*[1-9]/.test(token.replace(/_/g, "")) && !/[.eE]/.test(token))) throw new NotLiteral();
    this.at += token.length;
    if (/^\w/.test(this.text.charAt(this.at))) throw new NotLiteral();
    const digits = token.replace(/_/g, "");
    const radix = /^0[xob]/i.exec(digits) ? { x: 16, o: 8, b: 2 }[digits.charAt(1).toLowerCase() as "x" | "o" | "b"] : 10;
    if (radix !== 10) return Number.parseInt(digits.slice(2), radix);
    return /[.eE]/.test(digits) ? py.float(Number(digits)) : Number(digits);
  }

  /** One or more adjacent string literals ('a' "b" is 'ab'), with r/u prefixes; bytes and f-strings are not literals. */
  private strings(): string {
    let out = "";
    do out += this.string();
    while (this.atString());
    return out;
  }

  private atString(): boolean {
    this.blanks();
    return /^[rRuU]?['"]/.test(this.text.slice(this.at, this.at + 2));
  }

  private string(): string {
    this.blanks();
    let raw = false;
    const prefix = this.text.charAt(this.at);
    if (/[rRuU]/.test(prefix)) {
      raw = prefix === "r" || prefix === "R";
      this.at++;
    }
    const quote = this.text.charAt(this.at);
    const triple = this.text.startsWith(quote.repeat(3), this.at);
    const end = triple ? quote.repeat(3) : quote;
    this.at += end.length;
    let out = "";
    for (;;) {
      if (this.at >= this.text.length) throw new NotLiteral();
      if (this.text.startsWith(end, this.at)) {
        this.at += end.length;
        return out;
      }
      const c = this.text.charAt(this.at++);
      if (c === "\n" && !triple) throw new NotLiteral();
      if (c !== "\\") out += c;
      else if (raw) out += c + this.text.charAt(this.at++);
      else out += this.escape();
    }
  }

  private escape(): string {
    const c = this.text.charAt(this.at++);
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) return simple;
    const hex = { x: 2, u: 4, U: 8 }[c];
    if (hex !== undefined) {
      const digits = this.text.slice(this.at, this.at + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${String(hex)}}$`).test(digits)) throw new NotLiteral();
      this.at += hex;
      return String.fromCodePoint(Number.parseInt(digits, 16));
    }
    if (/[0-7]/.test(c)) {
      const digits = c + (/^[0-7]{0,2}/.exec(this.text.slice(this.at))?.[0] ?? "");
      this.at += digits.length - 1;
      return String.fromCodePoint(Number.parseInt(digits, 8));
    }
    // \N{name} needs Unicode's names: not read here. Any other escape is kept as written, as Python keeps it.
    if (c === "N") throw new NotLiteral();
    return "\\" + c;
  }
}

/** The value of Python literal text, or NOT_LITERAL. */
export function literalValue(text: string): unknown {
  try {
    return new Reader(text).document();
  } catch (e) {
    if (e instanceof NotLiteral) return NOT_LITERAL;
    throw e;
  }
}
