/**
 * Tags: read as written (`a,b` or a list), inherited by a task from the play, role, block and import around it,
 * and selected by --tags / --skip-tags.
 */

/** "a,b" or [a, b] → ["a", "b"]. */
export function normalizeTags(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value.map(String) : typeof value === "string" ? value.split(",") : [JSON.stringify(value)];
  return items.map((t) => t.trim()).filter((t) => t !== "");
}

export function unionTags(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

/**
 * --tags / --skip-tags selection with Ansible's special tags (playbook/taggable.py): `always` runs unless skipped
 * explicitly, `never` runs only when asked for by one of its other tags, `all` = every task not tagged never,
 * `tagged` / `untagged`. The loader already unions play, role, block and import tags into each task's tags.
 */
export function selectByTags(taskTags: readonly string[], only: readonly string[], skip: readonly string[]): boolean {
  const tags = new Set(taskTags);
  const onlyTags = only.length > 0 ? only : ["all"];
  const untagged = tags.size === 0;
  const hasAny = (list: readonly string[]) => list.some((t) => tags.has(t));

  let run = false;
  if (tags.has("always")) run = true;
  else if (onlyTags.includes("all") && !tags.has("never")) run = true;
  else if (hasAny(onlyTags)) run = true;
  else if (onlyTags.includes("tagged") && !untagged && !tags.has("never")) run = true;
  else if (onlyTags.includes("untagged") && untagged) run = true;

  if (run && skip.length > 0) {
    if (skip.includes("all")) {
      if (!tags.has("always") || skip.includes("always")) run = false;
    } else if (hasAny(skip)) run = false;
    else if (skip.includes("tagged") && !untagged) run = false;
    else if (skip.includes("untagged") && untagged) run = false;
  }
  return run;
}
