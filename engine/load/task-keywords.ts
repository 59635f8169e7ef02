/**
 * Keywords as the executor reads them, from a task, a block or a role entry: `when` and `notify` as lists,
 * `with_<lookup>` as `loop` over that lookup, tags inherited from around them; and a role entry's keywords merged into its tasks'.
 */
import { copyKeyLocation, recordContainer, valueLocationOf } from "../source/locations.js";
import type { TaskKeywords, Vars } from "../types.js";
import { normalizeTags, unionTags } from "./tags.js";

/** One name or a list of names (notify, listen) → a list of strings. */
export function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * A keyword's value as a list (`when: x` → [x]) that keeps where each item was written, for the checks of the
 * load (handlers.ts, template-check.ts).
 */
function locatedList(raw: Record<string, unknown>, key: string, list: unknown[]): unknown[] {
  const value = raw[key];
  const loc = valueLocationOf(raw, key);
  if (loc) recordContainer(list, loc);
  if (Array.isArray(value)) list.forEach((_, index) => copyKeyLocation(value, index, list));
  return list;
}

export function keywords(raw: Record<string, unknown>, inheritedTags: readonly string[]): TaskKeywords {
  const kw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (["name", "block", "rescue", "always", "args", "listen", "role", "tags"].includes(key)) continue;
    // with_<lookup>: the value is the lookup's terms; the loop runs over the lookup's items (engine/execute/loop.ts).
    const name = key.startsWith("with_") ? "loop" : key;
    if (name !== key) kw.loop_with = key.slice("with_".length);
    if (key === "when") kw.when = locatedList(raw, key, Array.isArray(value) ? value : [value]);
    else if (key === "notify") kw.notify = locatedList(raw, key, stringList(value));
    else kw[name] = value;
    copyKeyLocation(raw, key, kw, name);
  }
  const tags = unionTags(inheritedTags, normalizeTags(raw.tags));
  if (tags.length > 0) kw.tags = tags;
  return kw;
}

/** Merges the keywords of an outer scope (role entry) into an inner one: conditions add up, inner values win. */
export function mergeKeywords(outer: TaskKeywords, inner: TaskKeywords): TaskKeywords {
  const merged: TaskKeywords = { ...outer, ...inner };
  const when = [...(outer.when ?? []), ...(inner.when ?? [])];
  if (when.length > 0) merged.when = when;
  const tags = unionTags(outer.tags ?? [], inner.tags ?? []);
  if (tags.length > 0) merged.tags = tags;
  if (outer.vars && inner.vars) {
    const vars: Vars = {};
    for (const layer of [outer.vars, inner.vars]) {
      for (const [key, value] of Object.entries(layer)) {
        vars[key] = value;
        copyKeyLocation(layer, key, vars);
      }
    }
    merged.vars = vars;
  }
  return merged;
}
