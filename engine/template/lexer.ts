/**
 * Jinja's lexical rules in nunjucks' tokenizer, where they differ in ways Ansible templates notice:
 *   - string literals decode escapes as Python does: `'\d+'` keeps its backslash (nunjucks drops it, which breaks
 *     every regex_search('\d+')), `'\\1'` is a backslash and 1, `'\x41'` is "A";
 *   - braces are counted, so `{{ {'a': {'b': 1}} }}` is one dict (nunjucks ends the expression at the first `}}`);
 *   - trim_blocks also removes the newline after a `{# comment #}`, as Jinja does (the environment sets trimBlocks).
 */
import nunjucks from "nunjucks";

interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

interface Tokenizer {
  in_code: boolean;
  str: string;
  index: number;
  lineno: number;
  colno: number;
  forward(): void;
  current(): string;
  isFinished(): boolean;
  trimBlocks: boolean;
  remsCurlyDepth?: number;
  /** Set for a YAML value's template (see compile in environment.ts): string literals in {{ }} are taken as written. */
  remsRawStrings?: boolean;
  remsInVariable?: boolean;
}

interface TokenizerMethods {
  nextToken: (this: Tokenizer) => Token | null;
  _parseString: (this: Tokenizer, delimiter: string) => string;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\n": "",
};

/** Python's unicode-escape decoding of a string literal's body; unknown escapes keep their backslash. */
export function decodeEscapes(body: string): string {
  return body.replace(/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([\s\S]))/g,
    (whole, octal?: string, hex?: string, u4?: string, u8?: string, ch?: string) => {
      const code = octal !== undefined ? parseInt(octal, 8) : parseInt(hex ?? u4 ?? u8 ?? "", 16);
      if (!Number.isNaN(code)) return String.fromCodePoint(code);
      return SIMPLE_ESCAPES[ch ?? ""] ?? whole;
    });
}

let installed = false;

export function installJinjaLexing(): void {
  if (installed) return;
  installed = true;
  const { lexer } = nunjucks as unknown as { lexer: { lex(src: string, opts?: { remsRawStrings?: boolean }): object } };
  const tokenizer = Object.getPrototypeOf(lexer.lex("")) as TokenizerMethods;
  const lex = lexer.lex.bind(lexer);
  lexer.lex = (src, opts) => Object.assign(lex(src, opts), { remsRawStrings: opts?.remsRawStrings === true });

  tokenizer._parseString = function (delimiter) {
    this.forward();
    let body = "";
    while (!this.isFinished() && this.current() !== delimiter) {
      if (this.current() === "\\") {
        body += "\\";
        this.forward();
      }
      body += this.current();
      this.forward();
    }
    this.forward();
    // Ansible doubles the backslashes of string literals inside {{ }} of a playbook's values before Jinja decodes
    // them, so `regex_replace('(\d+)', '\1')` means what it says there; not in template files, nor in {% %}.
    return this.remsRawStrings === true && this.remsInVariable === true ? body : decodeEscapes(body);
  };

  const nextToken = tokenizer.nextToken;
  tokenizer.nextToken = function () {
    const depth = this.remsCurlyDepth ?? 0;
    // Inside an open dict literal a `}` closes the dict, whatever follows it.
    if (this.in_code && depth > 0 && this.str.startsWith("}", this.index)) {
      const token = { type: "right-curly", value: "}", lineno: this.lineno, colno: this.colno };
      this.forward();
      this.remsCurlyDepth = depth - 1;
      return token;
    }
    const token = nextToken.call(this);
    if (token?.type === "variable-start") this.remsInVariable = true;
    else if (token?.type === "variable-end") this.remsInVariable = false;
    if (token?.type === "left-curly") this.remsCurlyDepth = depth + 1;
    else if (token?.type === "right-curly") this.remsCurlyDepth = Math.max(depth - 1, 0);
    else if (token?.type === "variable-end" || token?.type === "block-end") this.remsCurlyDepth = 0;
    else if (token?.type === "comment" && this.trimBlocks) {
      if (this.str.startsWith("\r\n", this.index)) this.forward();
      if (this.str.startsWith("\n", this.index)) this.forward();
    }
    return token;
  };
}
