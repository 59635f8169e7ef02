/**
 * Runs one play on one host: sections (pre_tasks, roles, tasks, post_tasks) with handler flushes between them,
 * blocks with rescue/always, dynamic includes, tags, run_once, and the recap counters. Hosts run this
 * independently and in parallel (a slow host holds up no other); what the host keeps, its HostRun owns.
 *
 * The play is the outermost scope: every task runs resolved (resolve.ts) inside the chain of keywords around it,
 * play first. include_tasks and include_role are dynamic, as in Ansible: their `when` is evaluated once, at the
 * include, and a file whose include does not run is never loaded.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { text } from "./actions.js";
import type { Connection } from "../connection/connection.js";
import { formatLocation, InputErrors, ModuleError, RemsError, TaskFailedError } from "../errors.js";
import { type EventSink, type TaskOrder } from "../events.js";
import type { HostRun } from "./host-run.js";
import { HostVars, type VarSources } from "./host-vars.js";
import { loopItems, loopVarOf } from "./loop.js";
import { prefetchFacts, type PrefetchItem } from "./prefetch.js";
import { resolveTask, type ResolvedTask } from "./resolve.js";
import type { HostPool } from "./host-pool.js";
import { changedEntries, type RunOnce } from "./run-once.js";
import { runTask, skippedResult, taskLabel, templateWhere, type RunSettings, type TaskEnv, type TaskOutcome } from "./run-task.js";
import type { Throttle } from "./throttle.js";
import { evaluateCondition, renderValue } from "../template/render.js";
import { boolean } from "../truth.js";
import type { Block, RoleContext, Task, TaskNode, TaskKeywords, Vars } from "../types.js";
import { handlerNames, unansweredNotify } from "../load/handlers.js";
import { nodeLabel } from "../load/task-tree.js";
import { keywords } from "../load/task-keywords.js";

/**
 * Where include_tasks finds FILE: beside the including file, else (a role's handler including from tasks/, as
 * ansible-core's setup_remote_tmp_dir does) in its role's tasks/, as Ansible looks.
 */
function includedPath(file: string, task: Task): string {
  if (isAbsolute(file)) return file;
  const beside = join(task.dir, file);
  const inRole = task.role === undefined ? undefined : join(task.role.path, "tasks", file);
  return inRole !== undefined && !existsSync(beside) && existsSync(inRole) ? inRole : beside;
}

/** The actions that include tasks at run time: the engine runs them itself, as tasks and as handlers. */
const INCLUDES: ReadonlySet<string> = new Set(["include_tasks", "include_role"]);

export interface PlaySettings extends RunSettings {
  tags: readonly string[];
  skipTags: readonly string[];
  startAtTask: string | undefined;
}

/** What all hosts of a play share. */
export interface PlayShared extends VarSources {
  settings: PlaySettings;
  emit: EventSink;
  signal: AbortSignal;
  local: () => Connection;
  selectByTags: (tags: readonly string[]) => boolean;
  loadTaskFile: (path: string, role: RoleContext | undefined) => TaskNode[];
  loadRole: (name: string, params: Vars, tasksFrom: string | undefined) => { tasks: TaskNode[]; handlers: Task[]; role: RoleContext };
  /** Tasks whose task_start event was emitted (once per play, by the first host to reach them). */
  announced: WeakSet<object>;
  /** The run's hosts by name and user: delegate_to and remote_user connections. */
  pool: HostPool;
  /** throttle: how many hosts are in each task. */
  throttle: Throttle;
  /** Set by any_errors_fatal: every host stops. */
  aborted: { value: boolean };
  /** Play handlers plus handlers of roles included at run time. */
  handlers: Task[];
}

type Flow = "continue" | "stop";

export class HostPlay {
  private readonly vars: HostVars;
  /** Handler names an interrupted run left pending on this host (from its run record). */
  private readonly leftPending: ReadonlySet<string>;
  /** The play's own keywords: the outermost scope of every task. */
  private readonly playScope: readonly TaskKeywords[];
  private started: boolean;

  constructor(
    private readonly shared: PlayShared,
    private readonly host: HostRun,
    /** run_once among the hosts of this host's batch. */
    private readonly once: RunOnce,
  ) {
    this.started = shared.settings.startAtTask === undefined;
    this.vars = new HostVars(shared, host);
    this.leftPending = new Set(host.leftPending(shared.play.name));
    this.playScope = [shared.play.kw];
  }


  /** Runs the play's sections on this host, flushing handlers after each like Ansible. */
  async run(): Promise<void> {
    const { play } = this.shared;
    try {
      const prefetchStarted = Date.now();
      await prefetchFacts(this.prefetchItems([...play.preTasks, ...play.roleTasks, ...play.tasks, ...play.postTasks], this.playScope), {
        host: this.host,
        registry: this.shared.settings.registry,
        check: this.shared.settings.check,
        diff: this.shared.settings.diff,
        playbookDir: play.dir,
        secrets: this.shared.secrets,
        vault: this.shared.vault,
        signal: this.shared.signal,
      });
      this.host.profile.prefetchMs += Date.now() - prefetchStarted;
      // Handlers an interrupted run left notified are notified again: the change they answer to is already on the
      // host. They run at the play's first flush, after the tasks that set what they may use (a role's set_fact).
      if (this.leftPending.size > 0) await this.host.notify(play.name, [...this.leftPending], false);
      for (const [index, section] of [play.preTasks, [...play.roleTasks, ...play.tasks], play.postTasks].entries()) {
        // An empty section notifies nothing: no flush of its own (left-pending handlers wait for the tasks).
        if (section.length === 0) continue;
        if ((await this.runNodes(section, this.playScope, [index])) === "stop") return;
        // The handlers run after the section's last task.
        if ((await this.flushHandlers([index, section.length])) === "stop") return;
      }
    } catch (error) {
      // A bug must cost this host its run, not every host theirs.
      this.failed(undefined, error);
    }
  }

  /** The module tasks the host may run, with their variables, for prefetching (loops and includes aside). */
  private prefetchItems(nodes: readonly TaskNode[], chain: readonly TaskKeywords[]): PrefetchItem[] {
    return nodes.flatMap((node) => {
      if (node.kind === "block") return this.prefetchItems(node.block, [...chain, node.kw]);
      const resolved = resolveTask(node, chain);
      if (!this.shared.selectByTags(resolved.kw.tags ?? [])) return [];
      try {
        return [{ resolved, vars: this.vars.of(resolved) }];
      } catch {
        return [];
      }
    });
  }

  /** Runs NODES, the Nth of them at AT + [N] in the play's order (see TaskOrder). */
  private async runNodes(nodes: readonly TaskNode[], chain: readonly TaskKeywords[], at: TaskOrder): Promise<Flow> {
    for (const [index, node] of nodes.entries()) {
      if (!this.host.active || this.shared.aborted.value || this.shared.signal.aborted) return "stop";
      const order = [...at, index];
      const flow = node.kind === "block" ? await this.runBlock(node, chain, order) : await this.runTaskNode(resolveTask(node, chain), order);
      if (flow === "stop") return "stop";
    }
    return "continue";
  }

  /** A block's tasks at AT + [0], its rescue's at AT + [1], its always' at AT + [2]. */
  private async runBlock(block: Block, chain: readonly TaskKeywords[], at: TaskOrder): Promise<Flow> {
    const inner = [...chain, block.kw];
    const failedBefore = this.host.stats.failed;
    let flow = await this.runNodes(block.block, inner, [...at, 0]);
    if (flow === "stop" && this.host.failed && !this.host.unreachable && block.rescue.length > 0) {
      this.host.resume();
      // As Ansible counts them: the block's failures are rescued once its rescue starts; the rescue's own count as failed.
      this.host.rescued(failedBefore);
      // Ansible tells the rescue tasks what failed.
      const failure: TaskKeywords = { vars: { ansible_failed_task: this.host.lastFailure?.task, ansible_failed_result: this.host.lastFailure?.result } };
      flow = await this.runNodes(block.rescue, [...inner, failure], [...at, 1]);
    }
    if (block.always.length > 0 && !this.host.unreachable) {
      const failed = this.host.resume();
      const alwaysFlow = await this.runNodes(block.always, inner, [...at, 2]);
      if (failed) this.host.fail();
      if (alwaysFlow === "stop") flow = "stop";
    }
    return this.host.active ? flow : "stop";
  }

  private async runTaskNode(resolved: ResolvedTask, order: TaskOrder): Promise<Flow> {
    const { task } = resolved;
    if (!this.shared.selectByTags(resolved.kw.tags ?? [])) return "continue";
    if (!this.started) {
      if (taskLabel(task) !== this.shared.settings.startAtTask && task.name !== this.shared.settings.startAtTask) return "continue";
      this.started = true;
    }
    if (task.action === "meta" || INCLUDES.has(task.action)) {
      try {
        return await (task.action === "meta" ? this.runMeta(resolved, order) : this.runInclude(resolved, order));
      } catch (error) {
        return this.failed(task, error, order);
      }
    }
    const vars = this.vars.of(resolved);
    this.announce(task, false, order, vars);
    const outcome = await this.runShared(resolved, vars, order);
    if (!outcome) return this.flowAfterOnce();
    return this.record(resolved, outcome);
  }

  /** Runs the task on this host: throttled, or once for the batch (run_once). */
  private async runShared(resolved: ResolvedTask, vars: Vars, order: TaskOrder): Promise<TaskOutcome | undefined> {
    const { task, kw } = resolved;
    const { pool, play } = this.shared;
    const env: TaskEnv = {
      host: this.host,
      order,
      play,
      settings: this.shared.settings,
      emit: this.shared.emit,
      secrets: this.shared.secrets,
      vault: this.shared.vault,
      signal: this.shared.signal,
      vars,
      local: this.shared.local,
      runsOn: ({ delegateTo, remoteUser, connection }) => {
        if (delegateTo !== undefined) return pool.isController(delegateTo) ? undefined : pool.connectionTo(delegateTo, { remoteUser, connection }, play.dir);
        // Asked even with neither keyword: an earlier play may have opened the host under its own (connection: local).
        return pool.connectionTo(this.host.name, { remoteUser, connection }, play.dir);
      },
      factsHolder: ({ delegateTo, delegateFacts, remoteUser, connection }) =>
        delegateFacts && delegateTo !== undefined && !pool.isController(delegateTo) ? (pool.stateOf(delegateTo) ?? pool.connectionTo(delegateTo, { remoteUser, connection }, play.dir)) : this.host,
      // A changed task's handlers are noted (in the run record, on a real run) before it reports. The load checked
      // the names unless the play has include_role, whose handlers are known only now: a name no handler answers
      // fails the task.
      notify: (names: readonly string[]) => {
        const unanswered = unansweredNotify(nodeLabel(task), names, this.shared.handlers);
        if (unanswered.length > 0) throw new InputErrors(unanswered);
        return this.host.notify(play.name, names, !this.shared.settings.check);
      },
      leftPending: this.leftPending,
    };
    if (kw.run_once !== undefined && boolean(renderValue(kw.run_once, vars, {}))) {
      const { once, ran } = await this.once.take(task, this.host.name, async () => {
        const [set, returned] = [this.host.hostFacts, this.host.moduleFacts];
        const outcome = await runTask(resolved, env);
        return { outcome, set: changedEntries(set, this.host.hostFacts), returned: changedEntries(returned, this.host.moduleFacts) };
      });
      if (ran) return once.outcome;
      this.host.adopt(once.set, once.returned);
      return this.tookOnce(resolved, once.outcome);
    }
    const limit = kw.throttle === undefined ? 0 : Number(renderValue(kw.throttle, vars, {}));
    if (!(limit > 0)) return runTask(resolved, env);
    const leave = await this.shared.throttle.enter(task, limit);
    try {
      return await runTask(resolved, env);
    } finally {
      leave();
    }
  }

  /**
   * A host that took a run_once task's outcome from the host that ran it: no result of its own (as Ansible), the
   * result registered, and a failure (not ignored) that ends its part of the play too. Undefined: go on.
   */
  private tookOnce(resolved: ResolvedTask, outcome: TaskOutcome): undefined {
    const { task } = resolved;
    if (task.kw.register) this.host.register(task.kw.register, outcome.result);
    if (outcome.status === "failed" && !outcome.ignored) {
      this.host.lastFailure = { task: { name: task.name ?? task.action, action: task.action }, result: outcome.result };
      this.host.fail();
    }
    return undefined;
  }

  /** After a run_once task another host ran: on, unless its failure ended this host's part too. */
  private flowAfterOnce(): Flow {
    return this.host.active ? "continue" : "stop";
  }

  private record(resolved: ResolvedTask, outcome: TaskOutcome): Flow {
    const { task } = resolved;
    if (task.kw.register) this.host.register(task.kw.register, outcome.result);
    this.host.count(outcome.status, outcome.ignored, outcome.warned, outcome.differences);
    if (outcome.status === "unreachable") return "stop";
    if (outcome.status === "failed" && !outcome.ignored) {
      this.host.lastFailure = { task: { name: task.name ?? task.action, action: task.action }, result: outcome.result };
      if (this.shared.play.any_errors_fatal || boolean(resolved.kw.any_errors_fatal)) this.shared.aborted.value = true;
      return "stop";
    }
    return "continue";
  }

  /** A task the engine itself could not run (an include that does not load, a bad meta, a bug): the host fails. */
  failed(task: Task | undefined, error: unknown, order?: TaskOrder): Flow {
    const rems = error instanceof RemsError ? error : new ModuleError(error instanceof Error ? (error.stack ?? error.message) : String(error), { host: this.host.name });
    if (task && order) this.announce(task, false, order);
    this.shared.emit({
      type: "task_result",
      host: this.host.name,
      task: task ? taskLabel(task) : "internal error",
      where: task ? formatLocation(task.loc) : undefined,
      order,
      status: "failed",
      error: { code: rems.code, message: rems.describe() },
      durationMs: 0,
    });
    this.host.count("failed");
    return "stop";
  }

  /** Runs the notified handlers at AT in the play's order, each at AT + [its place among the play's handlers]. */
  private async flushHandlers(at: TaskOrder): Promise<Flow> {
    if (!this.host.active) return "continue";
    const play = this.shared.play.name;
    const notified = this.host.takeNotified(play);
    if (notified.size === 0) return "continue";
    const toRun = this.shared.handlers.filter((handler) => handlerNames(handler).some((name) => notified.has(name)));
    for (const [index, handler] of toRun.entries()) {
      const resolved = resolveTask(handler, this.playScope);
      const vars = this.vars.of(resolved);
      const order = [...at, this.shared.handlers.indexOf(handler)];
      this.announce(handler, true, order, vars);
      const flow = INCLUDES.has(handler.action) ? await this.runInclude(resolved, order).catch((error: unknown) => this.failed(handler, error, order)) : await this.runHandler(resolved, vars, order);
      if (flow === "stop" || this.shared.signal.aborted) {
        // The handlers that did not get to run (and one that failed) stay notified, in the record the run leaves.
        const left = toRun.slice(index + (this.host.failed ? 0 : 1));
        this.host.keepPending(play, [...notified].filter((name) => left.some((h) => h.listen?.includes(name))));
        return "stop";
      }
    }
    return "continue";
  }

  private async runHandler(resolved: ResolvedTask, vars: Vars, order: TaskOrder): Promise<Flow> {
    const outcome = await this.runShared(resolved, vars, order);
    return outcome ? this.record(resolved, outcome) : this.flowAfterOnce();
  }

  private runMeta(resolved: ResolvedTask, order: TaskOrder): Promise<Flow> {
    const { task } = resolved;
    const what = text(task.args._raw_params ?? task.args.free_form ?? Object.values(task.args)[0] ?? "");
    // As in Ansible, flush_handlers runs whatever its `when`; every other meta action only when it holds.
    if (what === "flush_handlers") return this.flushHandlers(order);
    const vars = this.vars.of(resolved);
    const label = taskLabel(task, vars);
    const where = templateWhere(task, label, this.host.name);
    const condition = (resolved.kw.when ?? []).find((c) => !evaluateCondition(c, vars, where));
    if (condition !== undefined) {
      this.announce(task, false, order, vars);
      // Shown skipped but not counted, as Ansible counts no meta task.
      this.shared.emit(skippedResult(this.host.name, label, task, order, `when: ${JSON.stringify(condition)}`));
      return Promise.resolve("continue");
    }
    if (what === "noop") return Promise.resolve("continue");
    if (what === "end_host") return Promise.resolve("stop");
    throw new TaskFailedError(`unsupported meta action '${what}'`, { loc: task.loc, host: this.host.name });
  }

  /**
   * include_tasks / include_role, once per loop item: the include's `when` is evaluated here, once (false: the
   * include is skipped and its file never loaded); the names are templated; the included tasks run inside the
   * include's scope: the blocks around it, its `vars` (and loop variable), and its `apply` keywords. The include's
   * other keywords are its own, as in Ansible. The include's result for its Nth loop item is at ORDER + [N], the
   * tasks it includes for that item after it, at ORDER + [N, their place].
   */
  private async runInclude(resolved: ResolvedTask, order: TaskOrder): Promise<Flow> {
    const { task } = resolved;
    const vars = this.vars.of(resolved);
    const label = taskLabel(task, vars);
    const where = templateWhere(task, label, this.host.name);
    const chain = resolved.chain;
    for (const [index, { item, vars: itemVars }] of loopItems(task, vars, where).entries()) {
      const itemOrder = [...order, index];
      const condition = (resolved.kw.when ?? []).find((c) => !evaluateCondition(c, itemVars, where));
      if (condition !== undefined) {
        this.announce(task, false, itemOrder, vars);
        this.shared.emit(skippedResult(this.host.name, label, task, itemOrder, `when: ${JSON.stringify(condition)}`));
        this.host.count("skipped");
        continue;
      }
      const args = renderValue(task.args, itemVars, where) as Vars;
      // Ansible reports an include that runs as ok ("included: ... for host") before the tasks it includes.
      this.announce(task, false, itemOrder, vars);
      this.shared.emit({ type: "task_result", host: this.host.name, task: label, where: formatLocation(task.loc), order: itemOrder, status: "ok", reason: `included: ${text(args.file ?? args._raw_params ?? args.name)}`, durationMs: 0 });
      this.host.count("ok");
      const apply = typeof args.apply === "object" && args.apply !== null ? keywords(args.apply as Vars, []) : {};
      const scope: TaskKeywords = { ...apply, vars: { ...(task.kw.vars ?? {}), ...(task.kw.loop === undefined ? {} : { [loopVarOf(task)]: item }), ...(apply.vars ?? {}) } };
      if (task.action === "include_tasks") {
        const file = text(args.file ?? args._raw_params);
        const nodes = this.shared.loadTaskFile(includedPath(file, task), task.role);
        if ((await this.runNodes(nodes, [...chain, scope], itemOrder)) === "stop") return "stop";
      } else {
        const { name, tasks_from: tasksFrom, vars: params, apply: _apply, ...rest } = args;
        const loaded = this.shared.loadRole(text(name), { ...(params as Vars | undefined), ...rest }, tasksFrom === undefined ? undefined : text(tasksFrom));
        for (const handler of loaded.handlers) if (!this.shared.handlers.includes(handler)) this.shared.handlers.push(handler);
        if ((await this.runNodes(loaded.tasks, [...chain, scope], itemOrder)) === "stop") return "stop";
      }
    }
    return "continue";
  }

  private announce(task: Task, handler: boolean, order: TaskOrder, vars?: Vars): void {
    if (this.shared.announced.has(task)) return;
    this.shared.announced.add(task);
    this.shared.emit({ type: "task_start", name: taskLabel(task, vars), handler, where: formatLocation(task.loc), order });
  }
}
