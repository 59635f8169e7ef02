/**
 * Ansible's argument aliases (`file: dest=...` is `path`, `apt: pkg=...` is `name`): a task's arguments are renamed
 * to the argument's own name once, at load, so validation, rendering and the module see one name. Source
 * locations move with the value, so a mistake in an aliased argument is still reported where it was written.
 */
import { copyKeyLocation } from "../source/locations.js";

/** An argument given under two of its names (Ansible warns and takes the alias; we ask for one). */
export interface AliasConflict {
  name: string;
  alias: string;
}

/** Renames the alias keys of `args` in place; returns the arguments that were given under more than one name. */
export function renameAliases(args: Record<string, unknown>, aliases: Readonly<Record<string, string>> | undefined): AliasConflict[] {
  if (aliases === undefined) return [];
  const conflicts: AliasConflict[] = [];
  for (const [key, value] of Object.entries(args)) {
    const name = aliases[key];
    if (name === undefined) continue;
    if (name in args) conflicts.push({ name, alias: key });
    else {
      copyKeyLocation(args, key, args, name);
      args[name] = value;
    }
    Reflect.deleteProperty(args, key);
  }
  return conflicts;
}
