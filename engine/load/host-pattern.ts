/**
 * Ansible host patterns, for play `hosts:` and --limit: `all` or `*`, group and host names, globs (`web*`),
 * `~regex`, subscripts (`web[0]`, `web[0:2]`, `web[-1]`: by position in the group, end included), and combinations with `:` or `,` — `a:b` union, `a:&b` intersection, `a:!b` exclusion (unions first,
 * then intersections, then exclusions, as Ansible applies them).
 */
import { didYouMean } from "../did-you-mean.js";
import { InventoryError } from "../errors.js";
import type { SourceLocation } from "../errors.js";

/** What a pattern needs of an inventory. */
export interface PatternSource {
  groupNames(): string[];
  hostNames(): string[];
  groupHosts(name: string): string[];
  /** Resolves names that are hosts without being listed (the implicit localhost). */
  host(name: string): unknown;
}

/** Splits on `:` and `,` outside `[...]` (host ranges) — IPv6 addresses need the `,` form. */
export function splitPattern(pattern: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  const separator = pattern.includes(",") ? "," : ":";
  for (const c of pattern) {
    if (c === "[") depth++;
    if (c === "]") depth--;
    if (c === separator && depth === 0) {
      terms.push(current.trim());
      current = "";
    } else current += c;
  }
  terms.push(current.trim());
  return terms.filter((t) => t !== "");
}

function globToRegExpSource(glob: string): string {
  const body = glob.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return `^${body}$`;
}

/** A pattern's regular expression (a glob's `[...]` and a `~regex` are written by the user, so they may not be one). */
function patternRegExp(term: string, source: string, loc: SourceLocation | undefined): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    const kind = term.startsWith("~") ? "regular expression" : "pattern";
    const why = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/\w*: /, "") : String(error);
    throw new InventoryError(`host pattern '${term}' is not a valid ${kind}: ${why}`, { loc });
  }
}

function matchTerm(source: PatternSource, term: string, loc: SourceLocation | undefined): string[] {
  const subscript = term.startsWith("~") ? null : /^(.+)\[(-?\d+)(:(-?\d*))?\]$/.exec(term);
  if (subscript) {
    const [, base = "", from = "0", range, to = ""] = subscript;
    const hosts = matchTerm(source, base, loc);
    const index = (text: string): number => (Number(text) < 0 ? hosts.length + Number(text) : Number(text));
    const start = index(from);
    const end = range === undefined ? start : to === "" ? hosts.length - 1 : index(to);
    return hosts.slice(start, end + 1);
  }
  if (term === "all" || term === "*") return source.hostNames();
  if (source.groupNames().includes(term)) return source.groupHosts(term);
  if (source.hostNames().includes(term) || source.host(term) !== undefined) return [term];
  const expression = term.startsWith("~") ? term.slice(1) : /[*?[]/.test(term) ? globToRegExpSource(term) : undefined;
  const regex = expression === undefined ? undefined : patternRegExp(term, expression, loc);
  if (!regex) {
    const known = [...source.groupNames(), ...source.hostNames()];
    throw new InventoryError(`host pattern '${term}' matches no host or group of the inventory${didYouMean(term, known)}`, { loc });
  }
  const hosts = new Set(source.hostNames().filter((h) => regex.test(h)));
  for (const group of source.groupNames().filter((g) => regex.test(g))) for (const h of source.groupHosts(group)) hosts.add(h);
  return [...hosts];
}

function evaluate(source: PatternSource, pattern: string, loc: SourceLocation | undefined): string[] {
  const terms = splitPattern(pattern);
  const unions = terms.filter((t) => !t.startsWith("&") && !t.startsWith("!"));
  let selected = new Set(unions.flatMap((t) => matchTerm(source, t, loc)));
  for (const t of terms.filter((t) => t.startsWith("&"))) {
    const keep = new Set(matchTerm(source, t.slice(1), loc));
    selected = new Set([...selected].filter((h) => keep.has(h)));
  }
  for (const t of terms.filter((t) => t.startsWith("!"))) {
    const drop = new Set(matchTerm(source, t.slice(1), loc));
    selected = new Set([...selected].filter((h) => !drop.has(h)));
  }
  return [...selected];
}

/**
 * Host names matching `pattern`, intersected with `limit` (--limit) when given, in inventory order (an implicit
 * localhost comes last). A plain name that is neither a host nor a group is an InventoryError.
 */
export function selectHosts(source: PatternSource, pattern: string, limit?: string, loc?: SourceLocation): string[] {
  const selected = new Set(evaluate(source, pattern, loc));
  if (limit !== undefined) {
    const allowed = new Set(evaluate(source, limit, undefined));
    for (const h of [...selected]) if (!allowed.has(h)) selected.delete(h);
  }
  const order = source.hostNames();
  const listed = order.filter((h) => selected.has(h));
  return [...listed, ...[...selected].filter((h) => !order.includes(h))];
}
