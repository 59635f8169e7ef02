/**
 * Python slices in nunjucks' parser: `name[1:]`, `items[:8]`, `path[-3:]`, `list[::2]` (nunjucks only knows
 * `x[i]`). A slice parses to a node that compiles as `env.rems.slice(target, start, stop, step)` (compiler.ts).
 * Also Jinja's loop filter, `{% for x in items if x.enabled %}`, which nunjucks reads as an inline `if` without
 * `else`; it becomes a node that compiles as `env.rems.loopFilter(...)`.
 */
import nunjucks from "nunjucks";

interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

interface Node {
  lineno: number;
  colno: number;
}

interface Parser {
  peekToken(): Token | null;
  nextToken(): Token | null;
  skip(type: string): boolean;
  parseExpression(): Node;
  parseSignature(): Node;
  fail(message: string, lineno?: number, colno?: number): never;
}

interface ForNode extends Node {
  name: Node & { typename: string; value?: unknown; children?: (Node & { value?: unknown })[] };
  arr: Node & { typename?: string; cond?: Node; body?: Node; else_?: Node | null };
}

interface Internals {
  parser: {
    Parser: {
      prototype: {
        parsePostfix: (this: Parser, node: Node) => Node;
        parseFor: (this: Parser) => ForNode;
        parsePrimary: (this: Parser, noPostfix?: boolean) => Node;
      };
    };
  };
  nodes: {
    Group: { prototype: object };
    LookupVal: new (lineno: number, colno: number, target: Node, val: Node) => Node;
    FunCall: new (lineno: number, colno: number, name: Node, args: Node) => Node;
    Literal: new (lineno: number, colno: number, value: unknown) => Node;
  };
}

const internals = nunjucks as unknown as Internals;

/** `[start:stop:step]` or `[index]`, after the `[`: the parts, or one index. */
function parseSubscript(parser: Parser): { index: Node } | { slice: (Node | null)[] } {
  const parts: (Node | null)[] = [];
  let current: Node | null = null;
  for (;;) {
    if (parser.skip("right-bracket")) {
      parts.push(current);
      break;
    }
    if (parser.skip("colon")) {
      parts.push(current);
      current = null;
      continue;
    }
    if (current !== null) {
      const tok = parser.peekToken();
      parser.fail("expected ']' or ':' in subscript", tok?.lineno, tok?.colno);
    }
    current = parser.parseExpression();
  }
  if (parts.length === 1) {
    const index = parts[0];
    if (!index) parser.fail("invalid index");
    return { index };
  }
  if (parts.length > 3) parser.fail("invalid slice: too many ':'");
  return { slice: parts };
}

/** A node of ours that nunjucks' type checks accept (a Group) and that compiles by its own typename. */
function synthetic(typename: string, at: Node, fields: Record<string, unknown>): Node {
  const node = Object.create(internals.nodes.Group.prototype) as Node;
  Object.defineProperty(node, "typename", { value: typename });
  return Object.assign(node, { lineno: at.lineno, colno: at.colno }, fields);
}

let installed = false;

export function installJinjaParsing(): void {
  if (installed) return;
  installed = true;
  const { nodes } = internals;
  // nunjucks' parsePostfix with the `[` branch replaced: calls, `.name` and `[...]` after a primary expression.
  internals.parser.Parser.prototype.parsePostfix = function (node) {
    let target = node;
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (tok.type === "left-paren") {
        target = new nodes.FunCall(tok.lineno, tok.colno, target, this.parseSignature());
      } else if (tok.type === "left-bracket") {
        this.nextToken();
        const subscript = parseSubscript(this);
        if ("index" in subscript) {
          target = new nodes.LookupVal(tok.lineno, tok.colno, target, subscript.index);
        } else {
          const [start, stop, step] = [0, 1, 2].map((i) => subscript.slice[i] ?? new nodes.Literal(tok.lineno, tok.colno, null));
          target = synthetic("RemsSlice", tok, { children: [target, start, stop, step] });
        }
      } else if (tok.type === "operator" && tok.value === ".") {
        this.nextToken();
        const name = this.nextToken();
        if (name?.type === "int" || name?.type === "float") {
          // Jinja's `item.0.name` (an index after a dot): the tokenizer reads `0.` or `0.1` as a number.
          const [index, ...rest] = name.value.split(".");
          for (const part of [index, ...rest].filter((p) => p !== "")) {
            target = new nodes.LookupVal(tok.lineno, tok.colno, target, new nodes.Literal(name.lineno, name.colno, Number(part)));
          }
          if (rest[0] === "") {
            const next = this.nextToken();
            if (next?.type !== "symbol") this.fail(`expected name as lookup value, got ${next?.value ?? "end of input"}`, next?.lineno, next?.colno);
            target = new nodes.LookupVal(tok.lineno, tok.colno, target, new nodes.Literal(next.lineno, next.colno, next.value));
          }
          continue;
        }
        if (name?.type !== "symbol") this.fail(`expected name as lookup value, got ${name?.value ?? "end of input"}`, name?.lineno, name?.colno);
        target = new nodes.LookupVal(tok.lineno, tok.colno, target, new nodes.Literal(name.lineno, name.colno, name.value));
      } else {
        break;
      }
    }
    return target;
  };

  // A float literal stays a Python float (1.0 prints "1.0"): runtime's float() marks a whole one.
  const parsePrimary = internals.parser.Parser.prototype.parsePrimary;
  internals.parser.Parser.prototype.parsePrimary = function (noPostfix) {
    const token = this.peekToken();
    const node = parsePrimary.call(this, noPostfix);
    const literal = (node as Node & { typename?: string }).typename === "Literal";
    return token?.type === "float" && literal ? synthetic("RemsCall", node, { helper: "float", inner: node, children: [node] }) : node;
  };

  const parseFor = internals.parser.Parser.prototype.parseFor;
  internals.parser.Parser.prototype.parseFor = function () {
    const node = parseFor.call(this);
    const { arr } = node;
    if (arr.typename === "InlineIf" && arr.else_ === null && arr.body && arr.cond) {
      const names = node.name.typename === "Array" ? (node.name.children ?? []).map((c) => String(c.value)) : [String(node.name.value)];
      node.arr = synthetic("RemsLoopFilter", arr, { children: [arr.body, arr.cond], names });
    }
    return node;
  };
}
