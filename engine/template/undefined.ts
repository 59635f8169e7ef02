/**
 * Strict undefined values (Jinja's StrictUndefined, as Ansible uses it). A missing variable or attribute is not
 * JavaScript `undefined` but an Undefined that remembers why it is missing. It may be looked into (`x.y.z` stays
 * the same Undefined, so `x.y is defined` works) and handed to `is defined`, `is undefined`, `default` and
 * `mandatory`; any other use raises a RenderError with its message (see compiler.ts, which decides where).
 */

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
