/**
 * A task's loop expanded into its items, the one way every place that runs a loop does it (tasks, includes and
 * the prefetch pass, which must render the same arguments as the run): each item with the variables Ansible gives
 * it (loop_control.loop_var, "item" by default; loop_control.index_var; ansible_loop).
 */
import { TaskFailedError } from "../errors.js";
import { renderValue, type TemplateWhere } from "../template/render.js";
import type { Task, Vars } from "../types.js";

export interface LoopItem {
  item: unknown;
  /** The task's variables with the item's added. */
  vars: Vars;
}

/** The loop variable's name. */
export function loopVarOf(task: Task): string {
  return task.kw.loop_control?.loop_var ?? "item";
}

/**
 * The items of the task's loop (without a loop: one, with the task's variables as they are); throws
 * TaskFailedError when the loop does not render to a list.
 */
export function loopItems(task: Task, vars: Vars, where: TemplateWhere): LoopItem[] {
  if (task.kw.loop === undefined) return [{ item: undefined, vars }];
  const loop = renderValue(task.kw.loop, vars, where);
  if (!Array.isArray(loop)) {
    throw new TaskFailedError(`loop must be a list, got ${typeof loop}`, { loc: task.loc, host: where.host, task: where.task });
  }
  const items: unknown[] = loop;
  const loopVar = loopVarOf(task);
  const indexVar = task.kw.loop_control?.index_var;
  return items.map((item, index) => ({
    item,
    vars: {
      ...vars,
      [loopVar]: item,
      ansible_loop: { index: index + 1, index0: index, first: index === 0, last: index === items.length - 1, length: items.length },
      ...(indexVar ? { [indexVar]: index } : {}),
    },
  }));
}
