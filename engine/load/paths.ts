import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { RoleContext } from "../types.js";

/** A path as shown in messages: relative to the current directory when inside it, else absolute. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/** Where a task's controller-side files are looked for: its role, the directory of its task file, its playbook's. */
export interface FileSearch {
  role: RoleContext | undefined;
  taskDir: string;
  playbookDir: string;
}

/**
 * Finds a controller-side file (copy's or template's src, include_vars' file) the way Ansible does: the role's
 * files/, templates/ or vars/
 * and the role itself, then the task file's directory's, then the playbook's. `found` is absolute; `lookedIn` says
 * where it was looked for, for the message when it is not found (notFound).
 */
export function findControllerFile(path: string, kind: "files" | "templates" | "vars", from: FileSearch): { found: string | undefined; lookedIn: string[] } {
  const lookedIn = isAbsolute(path)
    ? [path]
    : [
        ...(from.role ? [join(from.role.path, kind, path), join(from.role.path, path)] : []),
        join(from.taskDir, kind, path),
        join(from.taskDir, path),
        join(from.playbookDir, kind, path),
        join(from.playbookDir, path),
      ];
  const found = lookedIn.find((candidate) => existsSync(candidate));
  return { found: found === undefined ? undefined : resolve(found), lookedIn: [...new Set(lookedIn)] };
}

export function notFound(path: string, lookedIn: readonly string[]): string {
  return `could not find '${path}' (looked in: ${lookedIn.join(", ")})`;
}
