/**
 * Python-style call arguments for filters and tests. nunjucks passes `f(1, b=2)` as (1, {b: 2, __keywords: true});
 * a parameter is read by position or by name, as Python would bind it.
 */
import { isMapping } from "./py.js";

export class Args {
  readonly positional: readonly unknown[];
  readonly keywords: Readonly<Record<string, unknown>>;

  constructor(args: readonly unknown[]) {
    const last = args.at(-1);
    if (isMapping(last) && last.__keywords === true) {
      this.positional = args.slice(0, -1);
      this.keywords = Object.fromEntries(Object.entries(last).filter(([k]) => k !== "__keywords"));
    } else {
      this.positional = args;
      this.keywords = {};
    }
  }

  /** Parameter `name` at position `index` (0 = the first argument after the filtered value), else `fallback`. */
  get(index: number, name: string, fallback?: unknown): unknown {
    if (index < this.positional.length) return this.positional[index];
    return Object.hasOwn(this.keywords, name) ? this.keywords[name] : fallback;
  }
}
