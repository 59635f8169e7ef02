/**
 * The private nunjucks API that engine/template patches, subclasses or calls, checked on the pinned version.
 * lexer.ts, parser.ts and compiler.ts replace or wrap methods of nunjucks' tokenizer, parser and code generator,
 * build its node classes, and emit code that calls its runtime; environment.ts and runtime.ts lean on its loader
 * and context protocols. None of it is public API, and a release may rename or reshape any of it. A replaced
 * method that nunjucks no longer calls is never run, and templates then render by JavaScript's rules instead of
 * Jinja's: no error, only wrong output. So nunjucks is pinned to one exact version, and an upgrade must fail here,
 * naming what moved, rather than mis-render templates.
 *
 * This file imports nunjucks alone, never engine/template: the methods are checked as nunjucks ships them, before
 * the patches replace them (node --test runs each test file in a process of its own).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import nunjucks from "nunjucks";
import { repoRoot } from "../../helpers/rems-play.js";

type Fn = (...args: never[]) => unknown;
type Members = Record<string, unknown>;
type NodeClass = (new (...args: unknown[]) => Members) & { prototype: Members };

interface Internals {
  compiler: { Compiler: NodeClass; compile(src: string, asyncFilters: unknown[], extensions: unknown[], name: string): string };
  parser: { Parser: NodeClass };
  lexer: Members & { lex(src: string, opts?: object): Members };
  nodes: Record<string, NodeClass>;
  runtime: Members & { Frame: NodeClass; handleError(error: unknown, lineno: number, colno: number): unknown };
  lib: Members & { _prettifyError(path: string, withInternals: boolean, err: unknown): unknown };
  Environment: NodeClass;
}

const internals = nunjucks as unknown as Internals;

/** `holder[name]` is a function declaring `arity` parameters: a renamed method or a changed signature fails. */
function assertMethod(holder: Members, owner: string, name: string, arity: number): void {
  const value = holder[name];
  assert.equal(typeof value, "function", `${owner}.${name} is gone`);
  assert.equal((value as Fn).length, arity, `${owner}.${name} now declares ${(value as Fn).length} parameters, not ${arity}`);
}

function assertMethods(holder: Members, owner: string, arities: Record<string, number>): void {
  for (const [name, arity] of Object.entries(arities)) assertMethod(holder, owner, name, arity);
}

describe("nunjucks, as engine/template patches it", () => {
  test("package.json pins nunjucks to exactly the version installed", () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const installed = (createRequire(import.meta.url)("nunjucks/package.json") as { version: string }).version;
    assert.equal(manifest.dependencies.nunjucks, installed, "an upgrade of nunjucks names one exact version, checked by this file");
  });

  test("this process holds nunjucks as shipped, without the patches of engine/template", () => {
    assert.equal(internals.compiler.Compiler.prototype.compileRemsCall, undefined);
  });

  test("lexer.ts: the tokenizer methods it replaces, wraps and calls, its fields and token types", () => {
    const tokenizer = internals.lexer.lex("x", { trimBlocks: true });
    const proto = Object.getPrototypeOf(tokenizer) as Members;
    // _parseString is replaced, nextToken wrapped; the replacements call forward, current and isFinished.
    assertMethods(proto, "Tokenizer", { _parseString: 1, nextToken: 0, forward: 0, current: 0, isFinished: 0 });
    assert.deepEqual(
      { in_code: tokenizer.in_code, str: tokenizer.str, index: tokenizer.index, lineno: tokenizer.lineno, colno: tokenizer.colno, trimBlocks: tokenizer.trimBlocks },
      { in_code: false, str: "x", index: 0, lineno: 0, colno: 0, trimBlocks: true },
    );
    assert.deepEqual(
      [internals.lexer.TOKEN_LEFT_CURLY, internals.lexer.TOKEN_RIGHT_CURLY, internals.lexer.TOKEN_VARIABLE_END, internals.lexer.TOKEN_BLOCK_END, internals.lexer.TOKEN_COMMENT],
      ["left-curly", "right-curly", "variable-end", "block-end", "comment"],
    );
  });

  test("parser.ts: the parser methods it replaces, wraps and calls, and the token types it reads", () => {
    const proto = internals.parser.Parser.prototype;
    // parsePostfix is replaced, parseFor wrapped; the replacement calls the rest.
    assertMethods(proto, "Parser", { parsePostfix: 1, parseFor: 0, peekToken: 0, nextToken: 1, skip: 1, parseExpression: 0, parseSignature: 2, fail: 3 });
    assert.deepEqual(
      [internals.lexer.TOKEN_LEFT_PAREN, internals.lexer.TOKEN_LEFT_BRACKET, internals.lexer.TOKEN_RIGHT_BRACKET, internals.lexer.TOKEN_COLON, internals.lexer.TOKEN_OPERATOR, internals.lexer.TOKEN_SYMBOL],
      ["left-paren", "left-bracket", "right-bracket", "colon", "operator", "symbol"],
    );
  });

  test("parser.ts: the parser reaches parsePostfix and parseFor through `this`, so replacing them takes effect", () => {
    const reached: string[] = [];
    const parser = new internals.parser.Parser(internals.lexer.lex("{% for x in y %}{{ a }}{% endfor %}"));
    const parseFor = internals.parser.Parser.prototype.parseFor as (this: Members) => unknown;
    const parsePostfix = internals.parser.Parser.prototype.parsePostfix as (this: Members, node: unknown) => unknown;
    // On the instance, not the prototype: the other checks of this file must see nunjucks as shipped.
    parser.parseFor = function (this: Members) {
      reached.push("parseFor");
      return parseFor.call(this);
    };
    parser.parsePostfix = function (this: Members, node: unknown) {
      reached.push("parsePostfix");
      return parsePostfix.call(this, node);
    };
    (parser.parseAsRoot as () => unknown)();
    assert.ok(reached.includes("parseFor") && reached.includes("parsePostfix"), `reached: ${reached.join(", ")}`);
  });

  test("parser.ts and compiler.ts: the node classes they build, test for and read, with their fields in order", () => {
    const { nodes } = internals;
    const expected: Record<string, { base: string; fields: string[] }> = {
      // Synthetic nodes are Groups: _compileExpression's type check accepts them and findAll walks their children.
      Group: { base: "NodeList", fields: ["children"] },
      Array: { base: "NodeList", fields: ["children"] },
      Output: { base: "NodeList", fields: ["children"] },
      Literal: { base: "Value", fields: ["value"] },
      Symbol: { base: "Value", fields: ["value"] },
      TemplateData: { base: "Literal", fields: ["value"] },
      LookupVal: { base: "Node", fields: ["target", "val"] },
      FunCall: { base: "Node", fields: ["name", "args"] },
      Filter: { base: "FunCall", fields: ["name", "args"] },
      If: { base: "Node", fields: ["cond", "body", "else_"] },
      InlineIf: { base: "Node", fields: ["cond", "body", "else_"] },
      For: { base: "Node", fields: ["arr", "name", "body", "else_"] },
      Not: { base: "Node", fields: ["target"] },
      Compare: { base: "Node", fields: ["expr", "ops"] },
      CompareOperand: { base: "Node", fields: ["expr", "type"] },
      ...Object.fromEntries(["Is", "And", "Or", "Add", "Concat", "In", "Mod", "Mul"].map((name) => [name, { base: "BinOp", fields: ["left", "right"] }])),
    };
    for (const [name, { base, fields }] of Object.entries(expected)) {
      const Class = nodes[name];
      const Base = nodes[base];
      assert.ok(Class && Base, `nodes.${name} or nodes.${base} is gone`);
      assert.ok(Class.prototype instanceof Base, `nodes.${name} no longer extends nodes.${base}`);
      // The compiler dispatches on typename: compile<typename> is the method compiler.ts replaces.
      assert.equal(Class.prototype.typename, name, `nodes.${name}'s typename`);
      assert.deepEqual(Class.prototype.fields, fields, `nodes.${name}'s fields (its constructor's arguments after line and column)`);
    }
  });

  test("compiler.ts: the code generator methods it replaces, wraps and calls", () => {
    const proto = internals.compiler.Compiler.prototype;
    const replaced = ["Symbol", "LookupVal", "Is", "Filter", "FunCall", "And", "Or", "Add", "Concat", "In", "Mod", "Mul", "Compare", "Output"];
    assertMethods(proto, "Compiler", Object.fromEntries(replaced.map((typename) => [`compile${typename}`, 2])));
    assertMethods(proto, "Compiler", { compileGroup: 2, compileIf: 3, compileInlineIf: 2, compileNot: 2, compileFor: 2 });
    assertMethods(proto, "Compiler", { _emit: 1, _emitLine: 1, compile: 2, _compileExpression: 2, _compileAggregate: 4 });
    assert.ok(Object.hasOwn(new internals.compiler.Compiler("t", false), "buffer"), "Compiler.buffer (the output variable compileOutput appends to)");
  });

  test("compiler.ts: a node compiles by the compile<typename> method, so nodes of its own typenames reach its methods", () => {
    const compiler = new internals.compiler.Compiler("t", false);
    compiler.compileRemsProbe = function (this: Members) {
      (this._emit as (code: string) => void).call(this, "probe;");
    };
    const node = Object.create(internals.nodes.Group?.prototype ?? null) as Members;
    Object.defineProperty(node, "typename", { value: "RemsProbe" });
    Object.assign(node, { lineno: 0, colno: 0, children: [] });
    const frame = new internals.runtime.Frame();
    (compiler.compile as (node: unknown, frame: unknown) => void).call(compiler, node, frame);
    (compiler._compileExpression as (node: unknown, frame: unknown) => void).call(compiler, node, frame);
    assert.equal((compiler.getCode as () => string).call(compiler), "probe;probe;");
  });

  test("compiler.ts: the variables of compiled code that the emitted code reads and sets", () => {
    const code = internals.compiler.compile("{{ x }}", [], [], "t");
    assert.match(code, /function root\(env, context, frame, runtime, cb\)/);
    assert.match(code, /var lineno = /);
    assert.match(code, /var colno = /);
    assert.match(code, /var output = ""/);
  });

  test("compiled code and runtime.ts: the runtime functions and Frame methods they call", () => {
    // runtime.callWrap(fn, name, context, args) for calls; frame.lookup at compile and run time; push and set in loop filters.
    assertMethod(internals.runtime, "runtime", "callWrap", 4);
    assertMethods(internals.runtime.Frame.prototype, "Frame", { lookup: 1, push: 1, set: 3 });
  });

  test("undefined.ts: an error with a line passes through nunjucks' error handling, which calls its Update(path)", () => {
    assertMethod(internals.runtime, "runtime", "handleError", 3);
    assertMethod(internals.lib, "lib", "_prettifyError", 3);
    const updated: string[] = [];
    const error = Object.assign(new Error("'x' is undefined"), { lineno: 2, colno: 3, Update: () => updated.push("Update") });
    assert.equal(internals.runtime.handleError(error, 1, 1), error);
    assert.equal(internals.lib._prettifyError("t", true, error), error);
    assert.deepEqual(updated, ["Update"]);
  });

  test("environment.ts: the Environment methods it calls, and the loader hooks of relative includes", () => {
    assertMethods(internals.Environment.prototype, "Environment", { getTest: 1, addTest: 2, resolveTemplate: 3 });
    const env = new internals.Environment([]);
    const loader = { isRelative: () => true, resolve: (from: string, to: string) => `${from} -> ${to}` };
    assert.equal((env.resolveTemplate as (loader: object, parent: string, name: string) => string)(loader, "main.j2", "part.j2"), "main.j2 -> part.j2");
  });

  test("environment.ts and runtime.ts: a global function runs with the render's context as `this`, holding ctx and env.globals", () => {
    const env = new nunjucks.Environment([]);
    const calls: { ctx: unknown; globals: unknown }[] = [];
    env.addGlobal("probe", function (this: { ctx: unknown; env: { globals: unknown } }) {
      calls.push({ ctx: this.ctx, globals: this.env.globals });
      return "";
    });
    env.renderString("{{ probe() }}", { a: 1 });
    const [call] = calls;
    assert.ok(call, "the global function was not called");
    assert.deepEqual(call.ctx, { a: 1 });
    assert.ok(typeof call.globals === "object" && call.globals !== null && Object.hasOwn(call.globals, "probe"));
  });
});
