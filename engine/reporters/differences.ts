/**
 * An audited change's differences as the reporters count and name them: the recap, the terminal and the report say
 * the same "1 drift, 1 pending" of a task (engine/differences.ts judges them).
 */
import type { Differences } from "../diff-types.js";
import type { TaskResultEvent } from "../events.js";

/**
 * The drift and pending differences a result counts: a changed one's, as the engine counts them; a result with a
 * verdict and no counts (events of an older rems-play) is one difference of its kind.
 */
export function differencesOf(e: Pick<TaskResultEvent, "status" | "drift" | "differences">): Differences | undefined {
  if (e.status !== "changed") return undefined;
  if (e.differences !== undefined) return e.differences;
  return e.drift === undefined ? undefined : { drift: e.drift === "drift" ? 1 : 0, pending: e.drift === "pending" ? 1 : 0 };
}

/** "1 drift, 1 pending", "2 drift", "1 pending". */
export function describeDifferences(d: Differences): string {
  return [...(d.drift > 0 ? [`${d.drift} drift`] : []), ...(d.pending > 0 ? [`${d.pending} pending`] : [])].join(", ");
}
