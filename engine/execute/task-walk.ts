/** Every task of a task tree, in order (blocks' block, rescue and always), with its shown label and tags. */
import { taskLabel } from "./run-task.js";
import type { TaskNode } from "../types.js";

export interface ListedTask {
  name: string;
  /** As shown in output: "role : name". */
  label: string;
  tags: string[];
}

export function tasksOf(nodes: readonly TaskNode[]): ListedTask[] {
  return nodes.flatMap((node) =>
    node.kind === "block"
      ? tasksOf([...node.block, ...node.rescue, ...node.always])
      : [{ name: node.name ?? node.action, label: taskLabel(node), tags: node.kw.tags ?? [] }],
  );
}
