/**
 * Lazy variables. Ansible variables may reference each other (`app_dir: "/opt/{{ app_name }}"`), so a variable
 * whose value is a template is rendered when an expression reads it, with the same variables, and the result is
 * kept for the rest of the render. Dicts and lists read through variables are wrapped so that their strings are
 * rendered the same way on access. A variable that needs itself is a cycle and an error.
 */
import { PyFloat } from "./py.js";
import { isTemplated } from "./templated.js";
import { RenderError, Undefined } from "./undefined.js";

export const MISSING = Symbol("missing");

/**
 * The "unsafe" mark of data that must never be rendered (registered results, facts, command output): a `{{` in it
 * is text, as with Ansible's unsafe values. The mark is an own enumerable property of each container, so it
 * travels with the value: `{ ...result, attempts }`, Object.assign and a loop's per-item copies keep it.
 */
const UNSAFE = Symbol.for("rems-play.unsafe");

/**
 * A string that must never be rendered, where a string stands alone as a variable (`set_fact: out: "{{ r.stdout }}"`
 * stores the text `{{ nope }}`): read through a Scope it is the plain text.
 */
export class UnsafeText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

/** Marks every container inside `value` unsafe (they are data, never templates). Returns the value itself. */
export function markUnsafe<T extends object>(value: T): T {
  if (isUnsafe(value)) return value;
  Object.defineProperty(value, UNSAFE, { value: true, enumerable: true, writable: false, configurable: true });
  for (const item of Object.values(value) as unknown[]) if (typeof item === "object" && item !== null && isPlain(item)) markUnsafe(item);
  return value;
}

/** A variable layer of data (registered results, set_fact, facts): containers marked, lone strings wrapped. */
export function unsafeVars(vars: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vars)) {
    out[key] = typeof value === "string" ? new UnsafeText(value) : typeof value === "object" && value !== null && isPlain(value) ? markUnsafe(value) : value;
  }
  return out;
}

/**
 * The mark of one host's own variables (`hostvars['db1']`): a template among them renders with that host's
 * variables (its inventory_hostname, its ansible_host), not the reader's, as Ansible's hostvars do.
 */
const OWN_SCOPE = Symbol.for("rems-play.own-scope");

/** Marks VARS as a host's own variables (see OWN_SCOPE). Returns VARS itself. */
export function ownScope<T extends object>(vars: T): T {
  Object.defineProperty(vars, OWN_SCOPE, { value: true, enumerable: false });
  return vars;
}

export function isUnsafe(value: object): boolean {
  return (value as { [UNSAFE]?: boolean })[UNSAFE] === true;
}

function isPlain(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null && isPlain(value) && !isUnsafe(value);
}

interface InProgress {
  holder: object;
  key: string;
}

export class Scope {
  private readonly rendered = new WeakMap<object, Map<string, unknown>>();
  private readonly proxies = new WeakMap<object, object>();
  private readonly inProgress: InProgress[] = [];

  constructor(
    private readonly vars: Readonly<Record<string, unknown>>,
    /** Renders one variable's template text in this scope (renderValue semantics: native for one expression). */
    private readonly render: (text: string, scope: Scope) => unknown,
    /** Renders a template file's text with these variables and `extra` over them (the template lookup). */
    readonly renderFile: (source: string, path: string, extra: Readonly<Record<string, unknown>>) => string,
  ) {}

  /** A top-level variable with its templates rendered, or MISSING. */
  get(name: string): unknown {
    if (!Object.hasOwn(this.vars, name)) return MISSING;
    return this.resolve(this.vars, name, name);
  }

  /** The names of the variables (the varnames lookup). */
  names(): string[] {
    return Object.keys(this.vars);
  }

  /** What the run keeps under a symbol among the variables, out of templates' reach (lookups/controller.ts). */
  hidden(key: symbol): unknown {
    return (this.vars as Readonly<Record<symbol, unknown>>)[key];
  }

  private resolve(holder: object, key: string, name: string): unknown {
    let done = this.rendered.get(holder);
    if (done?.has(key)) return done.get(key);
    const value = this.wrap((holder as Record<string, unknown>)[key], holder, key, name);
    if (!done) {
      done = new Map();
      this.rendered.set(holder, done);
    }
    done.set(key, value);
    return value;
  }

  private wrap(raw: unknown, holder: object, key: string, name: string): unknown {
    if (raw instanceof UnsafeText) return raw.text;
    if (typeof raw === "string") return isTemplated(raw) ? this.renderVariable(raw, holder, key, name) : raw;
    if (!isContainer(raw)) return raw;
    if ((raw as { [OWN_SCOPE]?: boolean })[OWN_SCOPE] === true) return new Scope(raw as Record<string, unknown>, this.render, this.renderFile).proxy(raw, name);
    return this.proxy(raw, name);
  }

  private renderVariable(text: string, holder: object, key: string, name: string): unknown {
    if (this.inProgress.some((p) => p.holder === holder && p.key === key)) {
      throw new RenderError(`recursive loop detected in template for '${name}'`, undefined, undefined, true);
    }
    this.inProgress.push({ holder, key });
    try {
      return this.render(text, this);
    } catch (e) {
      // Lines inside a variable's text mean nothing to the reader; name the variable instead, once (innermost).
      if (e instanceof RenderError && e.final) throw e;
      throw new RenderError(`${describe(e)} (in variable '${name}')`, undefined, undefined, true);
    } finally {
      this.inProgress.pop();
    }
  }

  private proxy(target: object, name: string): object {
    const known = this.proxies.get(target);
    if (known) return known;
    const proxy = new Proxy(target, {
      get: (t, key, receiver) => {
        if (typeof key === "symbol" || !Object.hasOwn(t, key)) return Reflect.get(t, key, receiver) as unknown;
        const desc = Object.getOwnPropertyDescriptor(t, key);
        // A proxy must return the target's own value for frozen data properties (accessors, such as hostvars'
        // per-host getters, have no such rule and are read through).
        if (desc && "value" in desc && !desc.configurable && !desc.writable) return desc.value as unknown;
        return this.resolve(t, key, Array.isArray(t) ? `${name}[${key}]` : `${name}.${key}`);
      },
    });
    this.proxies.set(target, proxy);
    return proxy;
  }
}

/** The message of anything thrown while rendering, without nunjucks' "(path) [Line n]" prefix. */
export function describe(e: unknown): string {
  if (e instanceof RenderError) return e.message;
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof Error) return describe(cause);
    return e.message.replace(/^\([^)]*\)(?: \[Line \d+(?:, Column \d+)?\])?\s*/, "").replace(/^Template render error: /, "");
  }
  return String(e);
}

/**
 * Plain data out of a render result: lazy wrappers are read through (rendering what they hold), so nothing lazy
 * escapes the render; an Undefined inside is the error it stands for.
 */
export function materialize(value: unknown): unknown {
  if (value instanceof Undefined) throw new RenderError(value.message);
  if (value instanceof UnsafeText) return value.text;
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map((v: unknown) => materialize(v));
  if (isContainer(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v)]));
  }
  return value;
}
