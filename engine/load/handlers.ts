/**
 * Which handlers a notify reaches: a handler answers to its name and to each of its `listen` topics. A notify that
 * reaches none is a mistake of the playbook (a typo, a renamed handler), found when the play is loaded, at the
 * notify. A play with include_role is the exception: an included role's handlers join the play only when the
 * include runs (host-play.ts), so its notifies are checked then, when a task notifies, by the same rule.
 */
import { didYouMean } from "../did-you-mean.js";
import { SchemaValidationError } from "../errors.js";
import type { RemsError } from "../errors.js";
import { locationOf } from "../source/locations.js";
import { isTemplated } from "../template/templated.js";
import type { Play, Task } from "../types.js";
import { nodeLabel, playNodes } from "./task-tree.js";

/** The names a handler answers to. */
export function handlerNames(handler: Task): string[] {
  return handler.listen ?? (handler.name === undefined ? [] : [handler.name]);
}

/** An error for each of `names` (a task's or a block's notify) that no handler of `handlers` answers to. */
export function unansweredNotify(who: string, notify: readonly string[], handlers: readonly Task[]): RemsError[] {
  const known = new Set(handlers.flatMap(handlerNames));
  return notify.flatMap((name, index) => {
    if (known.has(name)) return [];
    // rems-play matches the name as written; a templated one would reach no handler, silently.
    const message = isTemplated(name)
      ? `notify: '${name}' is templated, but handlers are notified by the name they are written with`
      : `notify: no handler of the play is named or listens to '${name}'${didYouMean(name, known)}`;
    return [new SchemaValidationError(`${who}: ${message}`, { loc: locationOf(notify, index) })];
  });
}

/** Checks every notify of a loaded play against its handlers (unless the play has include_role: see above). */
export function checkNotify(play: Play, errors: RemsError[]): void {
  const nodes = playNodes(play);
  if (nodes.some((node) => node.kind === "task" && node.action === "include_role")) return;
  for (const node of nodes) errors.push(...unansweredNotify(nodeLabel(node), node.kw.notify ?? [], play.handlers));
}
