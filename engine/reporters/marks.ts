/**
 * The symbol and colour of each kind of result on a terminal. Each kind an audit or a deploy must tell apart at a
 * glance has both its own: drift (someone edited the host), a warning, and an unknown result are neither a green
 * tick nor the yellow of an ordinary change. Ansible's colours where Ansible has them (ok green, changed yellow,
 * failed red, warnings magenta).
 */
import type { TaskResultEvent } from "../events.js";
import type { Color } from "./style.js";

export interface Mark {
  symbol: string;
  color: Color;
}

export const MARKS = {
  ok: { symbol: "✓", color: "green" },
  changed: { symbol: "●", color: "yellow" },
  drift: { symbol: "≠", color: "cyan" },
  unknown: { symbol: "?", color: "blue" },
  warning: { symbol: "!", color: "magenta" },
  skipped: { symbol: "-", color: "dim" },
  failed: { symbol: "✗", color: "red" },
} as const satisfies Record<string, Mark>;

/**
 * A result's mark: its status's, a change found in check mode that undoes an edit of the host being drift (also
 * when it brings pending differences too: the edit is what an auditor must see), and an ok or a skip
 * that came with a warning the warning's (a warning is never under a green tick).
 */
export function markOf(result: TaskResultEvent): Mark {
  switch (result.status) {
    case "failed":
    case "unreachable":
      return MARKS.failed;
    case "changed":
      return result.drift === "drift" ? MARKS.drift : MARKS.changed;
    case "unknown":
      return MARKS.unknown;
    case "ok":
    case "skipped":
      return (result.warnings?.length ?? 0) > 0 || result.finding !== undefined ? MARKS.warning : MARKS[result.status];
  }
}
