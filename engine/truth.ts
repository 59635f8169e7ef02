/**
 * Ansible's booleans: the one place that reads words as true or false. Ansible itself has two lists, and so do we,
 * side by side here:
 *  - keywords and module arguments (`become: yes`, `update_cache: "{{ flag }}"`) are read by
 *    module_utils/parsing/convert_bool: y, yes, on, 1, true, t (any case) and 1 are true;
 *  - the `bool` filter is narrower: only yes, on, 1, true (any case) and 1 are true.
 * A condition's own value is neither: an expression counts by Python truthiness (the string "false" is true, as
 * in Ansible, which is why people write `flag | bool`).
 */

const TRUE_WORDS = new Set(["y", "yes", "on", "1", "true", "t"]);
const FALSE_WORDS = new Set(["n", "no", "off", "0", "false", "f"]);
const FILTER_TRUE_WORDS = new Set(["yes", "on", "1", "true"]);

/** true or false for one of convert_bool's words (any case, spaces around ignored); undefined for anything else. */
export function booleanWord(word: string): boolean | undefined {
  const lower = word.trim().toLowerCase();
  if (TRUE_WORDS.has(lower)) return true;
  if (FALSE_WORDS.has(lower)) return false;
  return undefined;
}

/** A keyword's or argument's value as Ansible's convert_bool reads it (not strict: anything unknown is false). */
export function boolean(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1;
  if (typeof value === "string") return booleanWord(value) ?? false;
  return false;
}

/** The `bool` filter: booleans and None stay, yes/on/1/true (any case) and 1 are true, all else false. */
export function toBool(value: unknown): boolean | null {
  if (typeof value === "boolean" || value === null) return value;
  if (typeof value === "string") return FILTER_TRUE_WORDS.has(value.toLowerCase());
  return value === 1;
}
