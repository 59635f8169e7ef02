/**
 * Jinja semantics in nunjucks' code generator. nunjucks compiles templates to JavaScript and uses JavaScript's
 * rules: a missing variable is `undefined` and silently false in `{% if %}`, `[]` is true, `==` coerces, `+` on
 * lists makes a string. Ansible templates rely on Jinja's rules, so the code generator is changed here, once, to
 * call the helpers of runtime.ts (reached in compiled code as `env.rems`) for:
 *   - variable and attribute lookups, which yield an Undefined instead of `undefined` (lazy variables included);
 *   - strictness: an Undefined used anywhere except as the target of a lookup or an argument of a call raises
 *     "'x' is undefined" with its line; filters, tests and functions are called through `env.rems.call`, which
 *     raises for the Undefined arguments the callee does not take (Jinja fails only where a value is used), and
 *     the operators raise for an Undefined a filter returned;
 *   - truthiness of `if`, inline if, `and`, `or`, `not`; comparisons, `in`, `+`, `*`, `%`, `~`; what `{{ }}` prints;
 *   - `for x in dict` iterating keys; `(a, b)` tuples; Python slices (parsed by parser.ts).
 * Lines are kept 1-based everywhere (nunjucks mixes 0- and 1-based) so errors name the right template line.
 */
import nunjucks from "nunjucks";
import { isLookup } from "./lookups/index.js";

interface Node {
  readonly typename: string;
  lineno: number;
  colno: number;
  remsTolerant?: boolean;
  [field: string]: unknown;
}

interface NodeList extends Node {
  children: Node[];
}

interface Frame {
  lookup(name: string): string | undefined;
}

interface Compiler {
  fail(message: string, lineno?: number, colno?: number): never;
  _emit(code: string): void;
  _emitLine(code: string): void;
  compile(node: Node, frame: Frame): void;
  _compileExpression(node: Node, frame: Frame): void;
  _compileAggregate(node: NodeList, frame: Frame, start?: string, end?: string): void;
  buffer: string;
}

type CompileMethod = (this: Compiler, node: Node, frame: Frame) => void;

interface Internals {
  compiler: { Compiler: { prototype: Record<string, CompileMethod> } };
  nodes: { Group: { prototype: object }; Array: new (...args: unknown[]) => Node };
}

const internals = nunjucks as unknown as Internals;
const proto = internals.compiler.Compiler.prototype;
const nodes = internals.nodes;

/** The name of a lookup that does not exist, when the call is `lookup('name', ...)`, `query(...)` or `q(...)`: found when the template compiles. */
function unknownLookup(callee: Node, args: NodeList): string | undefined {
  if (callee.typename !== "Symbol" || !["lookup", "query", "q"].includes(String(callee.value))) return undefined;
  const first = args.children[0];
  if (first?.typename !== "Literal" || typeof first.value !== "string") return undefined;
  return isLookup(first.value) ? undefined : first.value;
}

function child(node: Node, field: string): Node {
  return node[field] as Node;
}

/** A synthetic node that compiles as `env.rems.<helper>(<inner>)` and passes nunjucks' expression type checks. */
function wrap(helper: string, inner: Node): Node {
  const node = Object.create(nodes.Group.prototype) as Node;
  Object.defineProperty(node, "typename", { value: "RemsCall" });
  // `children` lets nunjucks' tree walks (findAll) see through the wrapper, as Group is a NodeList.
  Object.assign(node, { lineno: inner.lineno, colno: inner.colno, helper, inner, children: [inner] });
  return node;
}

/** Lets the arguments of a call (keyword arguments included) be Undefined: the callee decides (runtime.call). */
function tolerate(args: NodeList): void {
  for (const arg of args.children) {
    if (arg.typename === "KeywordArgs") for (const pair of (arg as NodeList).children) child(pair, "value").remsTolerant = true;
    else arg.remsTolerant = true;
  }
}

function at(node: Node): string {
  return `${node.lineno + 1}, ${node.colno + 1}`;
}

/** "x", "x.y", "x[0]": how an expression is named in messages. */
function nameOf(node: Node): string {
  switch (node.typename) {
    case "Symbol":
      return String(node.value);
    case "LookupVal": {
      const target = nameOf(child(node, "target"));
      const val = child(node, "val");
      if (val.typename === "Literal" && typeof val.value === "string" && /^[A-Za-z_]\w*$/.test(val.value)) {
        return `${target}.${val.value}`;
      }
      return val.typename === "Literal" ? `${target}[${JSON.stringify(val.value)}]` : `${target}[...]`;
    }
    default:
      return "expression";
  }
}

function literal(text: string): string {
  return JSON.stringify(text);
}

let installed = false;

/** Installs the changes into nunjucks' compiler (idempotent; environment.ts calls it before compiling anything). */
export function installJinjaSemantics(): void {
  if (installed) return;
  installed = true;

  proto.compileRemsCall = function (node, frame) {
    this._emit(`env.rems.${String(node.helper)}(`);
    this.compile(child(node, "inner"), frame);
    this._emit(")");
  };

  proto.compileRemsSlice = function (node, frame) {
    this._emit(`(lineno = ${node.lineno + 1}, colno = ${node.colno + 1}, env.rems.slice(`);
    this._compileAggregate(node as NodeList, frame);
    this._emit("))");
  };

  // `(a, b)` is a tuple (a list here), not JavaScript's comma operator.
  const compileGroup = proto.compileGroup;
  proto.compileGroup = function (node, frame) {
    if ((node as NodeList).children.length === 1) compileGroup?.call(this, node, frame);
    else this._compileAggregate(node as NodeList, frame, "[", "]");
  };

  proto.compileRemsLoopFilter = function (node, frame) {
    const [items, cond] = (node as NodeList).children;
    const names = node.names as string[];
    if (!items || !cond) return;
    // The condition sees each item under the loop's variable names, in a frame of its own.
    this._emit("env.rems.loopFilter(");
    this.compile(items, frame);
    this._emit(`, ${String(names.length > 1)}, (item) => { const outer = frame; frame = frame.push(); try { `);
    if (names.length === 1) this._emit(`frame.set(${literal(names[0] ?? "")}, item); `);
    else names.forEach((name, i) => this._emit(`frame.set(${literal(name)}, item[${i}]); `));
    this._emit("return env.rems.truthy(");
    this.compile(cond, frame);
    this._emit("); } finally { frame = outer; } })");
  };

  proto.compileSymbol = function (node, frame) {
    const name = String(node.value);
    const local = frame.lookup(name);
    const lookup = local ?? `env.rems.lookup(context, frame, ${literal(name)}, ${at(node)})`;
    if (node.remsTolerant) this._emit(lookup);
    else this._emit(`env.rems.strict(${lookup}, ${literal(name)}, ${at(node)})`);
  };

  proto.compileLookupVal = function (node, frame) {
    const target = child(node, "target");
    target.remsTolerant = true;
    if (!node.remsTolerant) this._emit("env.rems.strict(");
    this._emit("env.rems.member((");
    this._compileExpression(target, frame);
    this._emit("), ");
    this._compileExpression(child(node, "val"), frame);
    this._emit(`, ${literal(nameOf(target))}, ${at(node)})`);
    if (!node.remsTolerant) this._emit(`, ${literal(nameOf(node))}, ${at(node)})`);
  };

  proto.compileIs = function (node, frame) {
    const right = child(node, "right");
    const name = String((right.name as Node | undefined)?.value ?? right.value);
    const left = child(node, "left");
    left.remsTolerant = true;
    this._emit(`(lineno = ${node.lineno + 1}, colno = ${node.colno + 1}, env.rems.call(env.getTest(${literal(name)}), context, [`);
    this.compile(left, frame);
    if (right.args) {
      const args = child(right, "args") as NodeList;
      tolerate(args);
      this._emit(", ");
      this._compileAggregate(args, frame);
    }
    this._emit("]) === true)");
  };

  proto.compileFilter = function (node, frame) {
    const name = String(child(node, "name").value);
    const args = child(node, "args") as NodeList;
    tolerate(args);
    this._emit(`(lineno = ${node.lineno + 1}, colno = ${node.colno + 1}, env.rems.call(env.getFilter(${literal(name)}), context, `);
    this._compileAggregate(args, frame, "[", "]");
    this._emit("))");
  };

  proto.compileFunCall = function (node, frame) {
    const args = child(node, "args") as NodeList;
    const unknown = unknownLookup(child(node, "name"), args);
    if (unknown !== undefined) this.fail(`lookup plugin (${unknown}) not found`, node.lineno, node.colno);
    tolerate(args);
    this._emit(`(lineno = ${node.lineno + 1}, colno = ${node.colno + 1}, env.rems.call(`);
    this._compileExpression(child(node, "name"), frame);
    this._emit(", context, ");
    this._compileAggregate(args, frame, "[", "]");
    this._emit("))");
  };

  const compileIf = proto.compileIf;
  proto.compileIf = function (node, frame, ...rest: unknown[]) {
    node.cond = wrap("truthy", child(node, "cond"));
    (compileIf as (...a: unknown[]) => void).call(this, node, frame, ...rest);
  };
  const compileInlineIf = proto.compileInlineIf;
  proto.compileInlineIf = function (node, frame) {
    node.cond = wrap("truthy", child(node, "cond"));
    compileInlineIf?.call(this, node, frame);
  };
  const compileNot = proto.compileNot;
  proto.compileNot = function (node, frame) {
    node.target = wrap("truthy", child(node, "target"));
    compileNot?.call(this, node, frame);
  };
  const compileFor = proto.compileFor;
  proto.compileFor = function (node, frame) {
    // `for k, v in d` keeps nunjucks' key/value iteration; `for x in d` iterates keys, as in Python.
    if (!(node.name instanceof nodes.Array)) node.arr = wrap("iter", child(node, "arr"));
    compileFor?.call(this, node, frame);
  };

  const lazyOperator = (helper: string): CompileMethod =>
    function (node, frame) {
      this._emit(`env.rems.${helper}(`);
      this.compile(child(node, "left"), frame);
      this._emit(", () => (");
      this.compile(child(node, "right"), frame);
      this._emit("))");
    };
  proto.compileAnd = lazyOperator("and");
  proto.compileOr = lazyOperator("or");

  const binary = (helper: string): CompileMethod =>
    function (node, frame) {
      this._emit(`(lineno = ${node.lineno + 1}, colno = ${node.colno + 1}, env.rems.${helper}(`);
      this.compile(child(node, "left"), frame);
      this._emit(", ");
      this.compile(child(node, "right"), frame);
      this._emit("))");
    };
  proto.compileAdd = binary("add");
  proto.compileConcat = binary("concat");
  proto.compileIn = binary("isIn");
  proto.compileMod = binary("mod");
  proto.compileMul = binary("mul");
  proto.compileSub = binary("sub");
  proto.compileDiv = binary("div");
  proto.compileFloorDiv = binary("floorDiv");
  proto.compilePow = binary("pow");
  proto.compileNeg = function (node, frame) {
    this._emit(`(lineno = ${node.lineno + 1}, colno = ${node.colno + 1}, env.rems.neg(`);
    this.compile(child(node, "target"), frame);
    this._emit("))");
  };

  proto.compileCompare = function (node, frame) {
    this._emit(`(lineno = ${node.lineno + 1}, colno = ${node.colno + 1}, env.rems.compare(`);
    this.compile(child(node, "expr"), frame);
    for (const op of node.ops as Node[]) {
      this._emit(`, ${literal(String(op.type))}, `);
      this.compile(child(op, "expr"), frame);
    }
    this._emit("))");
  };

  proto.compileOutput = function (node, frame) {
    for (const part of (node as NodeList).children) {
      if (part.typename === "TemplateData") {
        if (part.value) this._emitLine(`${this.buffer} += ${literal(part.value as string)};`);
        continue;
      }
      this._emitLine(`lineno = ${part.lineno + 1}; colno = ${part.colno + 1};`);
      this._emit(`${this.buffer} += env.rems.output(`);
      this.compile(part, frame);
      this._emitLine(");");
    }
  };
}
