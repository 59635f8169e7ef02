/**
 * Prefetching facts: before a host runs a play, each module task's `check` is started once against a recorder
 * that notes the facts it asks for and answers none of them. All the notes then travel to the host as ONE batched
 * probe (fact-cache.ts), so the real checks find their first facts cached instead of paying a round trip each.
 * A task whose arguments cannot be rendered yet (they read a registered result) is left to probe for itself. A task
 * whose `when` is already false is not asked: its facts would be probed for nothing (should the condition hold when
 * the task comes, it probes for itself).
 */
import type { Connection } from "../connection/connection.js";
import type { FactRequest } from "../facts.js";
import { loopItems, type LoopItem } from "./loop.js";
import type { HostRun } from "./host-run.js";
import { HostContext, type FactSource } from "./module-context.js";
import type { SecretRegistry } from "../mask.js";
import type { AnyModule } from "../module-api.js";
import { coerceArgs } from "../schema/validate.js";
import { evaluateCondition, renderFile, renderValue } from "../template/render.js";
import type { Vars } from "../types.js";
import { lookingAhead } from "../template/lookups/controller.js";
import type { Vault } from "../vault/vault.js";
import { settle, type ResolvedTask } from "./resolve.js";
import { withoutOmitted } from "./vars.js";

export interface PrefetchItem {
  resolved: ResolvedTask;
  vars: Vars;
}

export interface PrefetchDeps {
  host: HostRun;
  registry: ReadonlyMap<string, AnyModule>;
  check: boolean;
  diff: boolean;
  playbookDir: string;
  secrets: SecretRegistry;
  vault: Vault;
  signal: AbortSignal;
}

/**
 * The recorder's answer: a rejection, so each check stops at its first fact and its frame is freed (a promise
 * that never settled would keep every task's variables alive for the whole run, per host).
 */
class PrefetchStop extends Error {}
const stop = <T>(): Promise<T> => Promise.reject(new PrefetchStop("prefetch pass"));

/** The task's own conditions are false with the variables known now; one that cannot be evaluated yet is not. */
function skippedNow(resolved: ResolvedTask, vars: Vars): boolean {
  try {
    return !(resolved.kw.when ?? []).every((condition) => evaluateCondition(condition, vars, {}));
  } catch {
    return false;
  }
}

export async function prefetchFacts(items: readonly PrefetchItem[], deps: PrefetchDeps): Promise<void> {
  const requests: FactRequest[] = [];
  const recorder: FactSource = {
    get: (wanted) => {
      requests.push(...wanted);
      return stop();
    },
  };
  const silent: Connection = { hostName: deps.host.name, connect: () => Promise.resolve(), exec: stop, openTcp: stop, close: () => Promise.resolve() };
  for (const { resolved, vars: taskVars } of items) {
    const { task } = resolved;
    const vars = lookingAhead(taskVars);
    const module = deps.registry.get(task.action);
    if (!module || resolved.kw.delegate_to !== undefined) continue;
    let items: LoopItem[];
    try {
      items = loopItems(task, vars, {});
    } catch {
      continue; // a loop over results of earlier tasks: the task probes for itself
    }
    for (const { vars: itemVars } of items) {
      if (skippedNow(resolved, itemVars)) continue;
      try {
        const args = coerceArgs(module.schema, withoutOmitted(renderValue(task.args, itemVars, {}) as Vars)) as Vars;
        const ctx = new HostContext({
          host: deps.host.name,
          user: settle(resolved, itemVars, {}, { check: deps.check, diff: deps.diff }).becomeUser ?? deps.host.loginUser,
          probeUser: deps.host.probeUser ?? deps.host.loginUser,
          connection: silent,
          facts: recorder,
          runAs: () => Promise.resolve(undefined),
          vars: itemVars,
          checkMode: deps.check,
          diffMode: deps.diff,
          changesPlanned: deps.host.facts.changesPlanned,
          environment: {},
          // A dry plan: it runs nothing, so there is no tool to warn.
          noLog: true,
          role: task.role,
          taskDir: task.dir,
          playbookDir: deps.playbookDir,
          secrets: deps.secrets,
          signal: deps.signal,
          task: task.name ?? task.action,
          vault: deps.vault,
          render: (text, path, options) => renderFile(text, path, itemVars, { file: path }, options),
        });
        void module.check(ctx, args).catch(() => undefined);
      } catch {
        // arguments that need results of earlier tasks: the task probes for itself
      }
    }
  }
  // Let every check reach its first fact request.
  await new Promise((resolve) => setImmediate(resolve));
  if (requests.length > 0) await deps.host.facts.prefetch(requests).catch(() => undefined);
}
