/** Walking a loaded play's tasks, for the checks of the load (handlers.ts, template-check.ts). */
import type { Play, TaskNode } from "../types.js";

/** Every task and block of a tree, in order (a block before what it holds). */
export function allNodes(nodes: readonly TaskNode[]): TaskNode[] {
  return nodes.flatMap((node) => (node.kind === "task" ? [node] : [node, ...allNodes([...node.block, ...node.rescue, ...node.always])]));
}

/** Every task and block of a play, handlers included. */
export function playNodes(play: Play): TaskNode[] {
  return allNodes([...play.preTasks, ...play.roleTasks, ...play.tasks, ...play.postTasks, ...play.handlers]);
}

/** A task or block as named in messages of the load: `task "name"` (its action when it has no name) or `block "name"`. */
export function nodeLabel(node: TaskNode): string {
  return node.kind === "task" ? `task "${node.name ?? node.action}"` : `block "${node.name ?? "block"}"`;
}
