/**
 * setup and gather_facts as tasks: the play's fact gathering (gather-facts.ts, the same probe), on demand. The probe
 * is read again, not taken from the cache, since a task asks for facts when something may have changed them. Our
 * probe is one set, so gather_subset is accepted and the whole set gathered; filter keeps the facts whose
 * ansible_ name matches one of its shell patterns, as Ansible's, and those join the facts the host already has.
 */
import { hostFacts } from "../gather-facts.js";
import type { Vars } from "../types.js";
import type { HostRun } from "./host-run.js";

/**
 * Gathers on `from` (the host the task runs on) and keeps the facts on `holder` (itself, or the delegate with
 * delegate_facts); the result is Ansible's, the facts under their ansible_ names.
 */
export async function gatherOnDemand(args: Vars, from: HostRun, holder: HostRun): Promise<Vars> {
  from.facts.forget(hostFacts, {});
  const [gathered] = (await from.facts.get([{ fact: hostFacts, args: {} }])) as [Vars];
  const kept = filterFacts(gathered, patternsOf(args.filter));
  holder.gather({ ...holder.gathered, ...kept });
  return { changed: false, ansible_facts: Object.fromEntries(Object.entries(kept).map(([name, value]) => [`ansible_${name}`, value])) };
}

/** filter's patterns: a text or a list of them; none, an empty one or `*` keeps every fact. */
function patternsOf(filter: unknown): string[] {
  const list = Array.isArray(filter) ? filter.map(String) : typeof filter === "string" ? [filter] : [];
  return list.filter((pattern) => pattern !== "");
}

/**
 * The facts (named without ansible_) whose ansible_ name matches a pattern; a pattern not starting with ansible_
 * also matches with ansible_ put before it, as in Ansible (`distribution*` and `ansible_distribution*` alike).
 */
export function filterFacts(facts: Vars, patterns: readonly string[]): Vars {
  if (patterns.length === 0 || patterns.includes("*")) return facts;
  const matchers = patterns.map((pattern) => shellPattern(pattern.startsWith("ansible_") ? pattern : `ansible_${pattern}`));
  return Object.fromEntries(Object.entries(facts).filter(([name]) => matchers.some((re) => re.test(`ansible_${name}`))));
}

/** Python's fnmatch: `*`, `?` and `[...]` (`[!...]` negated), the rest literal. */
function shellPattern(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    const close = c === "[" ? pattern.indexOf("]", i + 2) : -1;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (close > 0) {
      const body = pattern.slice(i + 1, close).replace(/\\/g, "\\\\");
      source += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\[\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}
