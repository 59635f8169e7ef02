/**
 * Vault-encrypted copy and template sources opened before any host is contacted, so a missing or wrong password
 * for one is an input error like any other vault data's. Only sources named without a template can be found
 * before the run; a templated src is opened when its task runs.
 */
import { statSync } from "node:fs";
import { VaultError } from "../errors.js";
import type { RemsError } from "../errors.js";
import { valueLocationOf } from "../source/locations.js";
import { isTemplated } from "../template/render.js";
import type { Play, TaskNode } from "../types.js";
import { isVaultedFile, type Vault } from "../vault/vault.js";
import { findControllerFile } from "../load/paths.js";

const SOURCE_KIND: Readonly<Record<string, "files" | "templates">> = { copy: "files", template: "templates" };

/** Errors of the plays' copy and template sources that are vault-encrypted and do not open. */
export function checkVaultedSources(plays: readonly Play[], vault: Vault): RemsError[] {
  return plays.flatMap((play) => nodesOf([...play.preTasks, ...play.roleTasks, ...play.tasks, ...play.postTasks, ...play.handlers]).flatMap((task) => {
    const kind = SOURCE_KIND[task.action];
    const src = task.args.src;
    if (kind === undefined || typeof src !== "string" || isTemplated(src) || task.args.remote_src === true) return [];
    const { found } = findControllerFile(src, kind, { role: task.role, taskDir: task.dir, playbookDir: play.dir });
    if (found === undefined || !statSync(found).isFile() || !isVaultedFile(found)) return [];
    try {
      vault.readFile(found);
      return [];
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      // Said at the task's src, where the file is named; the message names the file.
      return [new VaultError(error.code, `${task.action} src ${found}: ${error.message}`, { loc: valueLocationOf(task.args, "src") ?? task.loc })];
    }
  }));
}

function nodesOf(nodes: readonly TaskNode[]): Extract<TaskNode, { kind: "task" }>[] {
  return nodes.flatMap((node) => (node.kind === "block" ? nodesOf([...node.block, ...node.rescue, ...node.always]) : [node]));
}
