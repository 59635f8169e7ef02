/**
 * A task's loop expanded into its items, the one way every place that runs a loop does it (tasks, includes and
 * the prefetch pass, which must render the same arguments as the run): each item with the variables Ansible gives
 * it (loop_control.loop_var, "item" by default; loop_control.index_var; ansible_loop). A `with_<lookup>` loop's
 * items are what that lookup gives for the rendered value.
 */
import { TaskFailedError } from "../errors.js";
import { lookupItems, renderValue, type TemplateWhere } from "../template/render.js";
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

/** Where a with_first_found loop looks first, as Ansible decides it from the action's name. */
function subdirOf(action: string): "files" | "templates" | "vars" {
  if (action.includes("template")) return "templates";
  if (action.includes("var")) return "vars";
  return "files";
}

/**
 * with_first_found's candidates, rendered one by one: a name that does not render (`{{ ansible_distribution }}.yml`
 * on a host without that fact) is not a file that exists, so it is passed over, as in Ansible.
 */
function candidatesIn(value: unknown, vars: Vars, where: TemplateWhere): unknown {
  if (Array.isArray(value)) return value.map((v: unknown) => candidatesIn(v, vars, where)).filter((v) => v !== undefined);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, candidatesIn(v, vars, where)]));
  }
  try {
    return renderValue(value, vars, where);
  } catch {
    return undefined;
  }
}

function loopList(task: Task, vars: Vars, where: TemplateWhere): unknown {
  const { loop, loop_with: lookup } = task.kw;
  if (lookup === undefined) return renderValue(loop, vars, where);
  const terms = lookup === "first_found" ? candidatesIn(loop, vars, where) : renderValue(loop, vars, where);
  return lookupItems(lookup, terms, vars, where, subdirOf(task.action));
}

/**
 * The items of the task's loop (without a loop: one, with the task's variables as they are); throws
 * TaskFailedError when the loop does not render to a list.
 */
export function loopItems(task: Task, vars: Vars, where: TemplateWhere): LoopItem[] {
  if (task.kw.loop === undefined) return [{ item: undefined, vars }];
  const loop = loopList(task, vars, where);
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
