/** Every task of a task tree, in order (blocks' block, rescue and always), resolved, with its shown label and tags. */
import type { TaskKeywords, TaskNode } from "../types.js";
import { resolveTask } from "./resolve.js";
import { taskLabel } from "./run-task.js";

export interface ListedTask {
  name: string;
  /** As shown in output: "role : name". */
  label: string;
  tags: string[];
}

export function tasksOf(nodes: readonly TaskNode[], chain: readonly TaskKeywords[] = []): ListedTask[] {
  return nodes.flatMap((node) => {
    if (node.kind === "block") return tasksOf([...node.block, ...node.rescue, ...node.always], [...chain, node.kw]);
    const { task, kw } = resolveTask(node, chain);
    return [{ name: task.name ?? task.action, label: taskLabel(task), tags: kw.tags ?? [] }];
  });
}
