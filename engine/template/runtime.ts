/**
 * The helpers compiled templates call (as `env.rems.*`, see compiler.ts): Jinja lookups with strict undefined
 * values and lazy variables, and Python semantics for truthiness, comparison and operators.
 */
import { noteCallResult } from "./concat.js";
import { pythonMethod } from "./methods.js";
import * as py from "./py.js";
import { MISSING, Scope } from "./scope.js";
import { missingVariable, RenderError, Undefined, undefinedArgument } from "./undefined.js";

/** The key of a render's context under which its Scope travels (nunjucks copies the context object). */
export const SCOPE_KEY = "__rems_scope__";

interface Frame {
  lookup(name: string): unknown;
}

interface Context {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}

/** Gives an error raised by a lazy variable the line of the expression that read it. */
function located(e: unknown, line: number, col: number): unknown {
  if (e instanceof RenderError && e.lineno === undefined) {
    e.lineno = line;
    e.colno = col;
  }
  return e;
}

function index(key: unknown): number | undefined {
  if (typeof key === "number" && Number.isInteger(key)) return key;
  if (typeof key === "string" && /^-?\d+$/.test(key)) return Number(key);
  return undefined;
}

/** OBJ[KEY] or OBJ.KEY as a template reads it (NAME says what OBJ is in a message); Undefined when missing. */
export function attribute(obj: unknown, key: unknown, name: string): unknown {
  if (obj instanceof Undefined) return obj;
  const keyText = String(key);
  const chained = `${name}.${keyText}`;
  if (obj === null || obj === undefined) {
    return new Undefined(chained, `'${name}' is None and has no attribute '${keyText}'`);
  }
  const i = index(key);
  if ((Array.isArray(obj) || typeof obj === "string") && i !== undefined) {
    const at = i < 0 ? obj.length + i : i;
    return at >= 0 && at < obj.length ? obj[at] : new Undefined(chained, `'${name}' has no element ${keyText}`);
  }
  if (typeof obj === "object" && Object.hasOwn(obj, keyText)) return (obj as Record<string, unknown>)[keyText];
  const method = pythonMethod(obj, keyText);
  if (method) return method;
  if (typeof obj === "object" && keyText in obj) {
    const value = (obj as Record<string, unknown>)[keyText];
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
  }
  return new Undefined(chained, `'${name}' has no attribute '${keyText}'`);
}

/** An Undefined that reached a use without passing through strict() (a filter returned it) is an error here. */
function defined(value: unknown): unknown {
  if (value instanceof Undefined) throw new RenderError(value.message);
  return value;
}

/** An operator whose operands are all used: `(x | default(y)) ~ 'a'` fails as `y ~ 'a'` does. */
function usingAll<A extends unknown[], R>(operator: (...operands: A) => R): (...operands: A) => R {
  return (...operands) => operator(...(operands.map(defined) as A));
}

export const runtime = {
  lookup(context: Context, frame: Frame, name: string, line: number, col: number): unknown {
    const local = frame.lookup(name);
    if (local !== undefined) return local;
    if (name !== SCOPE_KEY && Object.hasOwn(context.ctx, name)) return context.ctx[name];
    const scope = context.ctx[SCOPE_KEY];
    if (scope instanceof Scope) {
      let value: unknown;
      try {
        value = scope.get(name);
      } catch (e) {
        throw located(e, line, col);
      }
      if (value !== MISSING) return value;
    }
    if (Object.hasOwn(context.env.globals, name)) return context.env.globals[name];
    return missingVariable(name);
  },

  member(obj: unknown, key: unknown, name: string, line: number, col: number): unknown {
    try {
      return attribute(obj, key, name);
    } catch (e) {
      throw located(e, line, col);
    }
  },

  strict(value: unknown, name: string, line: number, col: number): unknown {
    if (value instanceof Undefined) throw new RenderError(value.message, line, col);
    if (value === undefined) throw new RenderError(`'${name}' is undefined`, line, col);
    return value;
  },

  /**
   * Calls a filter, test, method or global function with Jinja's undefined rule: an Undefined argument is an error
   * here unless the callee declared it takes that parameter as it is (acceptsUndefined in undefined.ts).
   */
  call(callee: unknown, context: unknown, args: unknown[]): unknown {
    if (typeof callee !== "function") throw new TypeError(`'${py.typeName(callee)}' object is not callable`);
    const fn = callee as (...a: unknown[]) => unknown;
    const refused = undefinedArgument(fn, args);
    if (refused) throw new RenderError(refused.message);
    return noteCallResult(fn, fn.apply(context, args));
  },

  truthy(value: unknown): boolean {
    return py.truthy(defined(value));
  },

  and(left: unknown, right: () => unknown): unknown {
    return runtime.truthy(left) ? right() : left;
  },

  or(left: unknown, right: () => unknown): unknown {
    return runtime.truthy(left) ? left : right();
  },

  compare: usingAll((first: unknown, ...rest: unknown[]): boolean => {
    let left = first;
    for (let i = 0; i + 1 < rest.length; i += 2) {
      const right = rest[i + 1];
      if (!py.compare(String(rest[i]), left, right)) return false;
      left = right;
    }
    return true;
  }),

  add: usingAll(py.add),
  sub: usingAll(py.sub),
  div: usingAll(py.div),
  floorDiv: usingAll(py.floorDiv),
  pow: usingAll(py.pow),
  neg: usingAll(py.neg),
  float: py.float,
  mod: usingAll(py.mod),
  mul: usingAll(py.mul),
  concat: usingAll((left: unknown, right: unknown): string => py.str(left) + py.str(right)),
  isIn: usingAll((item: unknown, container: unknown): boolean => py.contains(container, item)),
  slice: usingAll(py.slice),

  output(value: unknown): string {
    return py.output(defined(value));
  },

  /** The items of `for ... in value if test`: list items, dict keys (or key/value pairs for two loop variables). */
  loopFilter(value: unknown, pairs: boolean, test: (item: unknown) => boolean): unknown[] {
    const items = py.isMapping(value) && pairs ? Object.entries(value) : (runtime.iter(value) as unknown[]);
    return items.filter(test);
  },

  /** What `for x in value` walks: a list, the keys of a dict, the characters of a string. */
  iter(input: unknown): unknown {
    const value = defined(input);
    if (Array.isArray(value)) return value;
    if (typeof value === "string") return Array.from(value);
    if (py.isMapping(value)) return Object.keys(value);
    throw new TypeError(`'${py.typeName(value)}' object is not iterable`);
  },
};
