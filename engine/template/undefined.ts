/**
 * Strict undefined values (Jinja's StrictUndefined, as Ansible uses it). A missing variable or attribute is not
 * JavaScript `undefined` but an Undefined that remembers why it is missing. It may be looked into (`x.y.z` stays
 * the same Undefined, so `x.y is defined` works) and passed to filters, tests and functions; as in Jinja, it
 * raises a RenderError with its message only where it is used (compiler.ts decides where for expressions). A call
 * uses all its arguments except the parameters its callee declares with acceptsUndefined: `default` returns its
 * fallback untouched, so `a | default(nosuch)` is `a`, and fails only when the fallback is printed.
 */
import { Args } from "./args.js";

export class Undefined {
  constructor(
    /** The expression that is missing, for `mandatory`: "app_port", "result.stdout". */
    readonly name: string,
    /** Why, in Jinja's words: "'app_port' is undefined", "'result' has no attribute 'stdout'". */
    readonly message: string,
  ) {}
}

export function missingVariable(name: string): Undefined {
  return new Undefined(name, `'${name}' is undefined`);
}

export function isUndefined(value: unknown): boolean {
  return value === undefined || value instanceof Undefined;
}

type Callee = (...args: never[]) => unknown;

/** Parameter name -> position in the call (0: a filter's or test's input, a method's first argument), per callee. */
const parametersTakingUndefined = new WeakMap<Callee, Readonly<Record<string, number>>>();

/**
 * Declares the parameters a filter, test or method passes on or checks without using them (Jinja would not fail on
 * them), by Python name and position, as in `def do_default(value, default_value="")`: { value: 0, default_value: 1 }.
 */
export function acceptsUndefined<F extends Callee>(callee: F, parameters: Readonly<Record<string, number>>): F {
  parametersTakingUndefined.set(callee, parameters);
  return callee;
}

/** The first Undefined among a call's arguments (positional, then keyword) that its callee does not accept. */
export function undefinedArgument(callee: Callee, args: readonly unknown[]): Undefined | undefined {
  const accepted = parametersTakingUndefined.get(callee) ?? {};
  const positions = new Set(Object.values(accepted));
  const { positional, keywords } = new Args(args);
  const refused = [
    ...positional.filter((_arg, i) => !positions.has(i)),
    ...Object.entries(keywords).filter(([name]) => !Object.hasOwn(accepted, name)).map(([, arg]) => arg),
  ].find((arg) => arg instanceof Undefined);
  return refused instanceof Undefined ? refused : undefined;
}

/**
 * An error raised while rendering, with the 1-based template line and column when known. nunjucks passes errors
 * that already have a `lineno` and an `Update` method through unchanged, so this class survives rendering intact.
 */
export class RenderError extends Error {
  lineno: number | undefined;
  colno: number | undefined;

  constructor(
    message: string,
    lineno?: number,
    colno?: number,
    /** Set when the message is complete and outer renders must not add context (cycle errors). */
    readonly final = false,
  ) {
    super(message);
    this.name = "RenderError";
    this.lineno = lineno;
    this.colno = colno;
  }

  /** nunjucks' error protocol: it calls Update(path) to prefix the path; we keep the message clean. */
  Update(): this {
    return this;
  }
}
