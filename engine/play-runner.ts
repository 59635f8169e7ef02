/**
 * Runs one play on one host: sections (pre_tasks, roles, tasks, post_tasks) with handler flushes between them,
 * blocks with rescue/always, includes, tags, run_once, and the recap counters. Hosts run this independently
 * and in parallel (a slow host holds up no other), so it keeps per-host state only.
 */
import type { Connection } from "./connection/connection.js";
import { text } from "./actions.js";
import { ModuleError, RemsError, TaskFailedError } from "./errors.js";
import type { EventSink, TaskStatus } from "./events.js";
import type { HostState } from "./host.js";
import type { SecretRegistry } from "./mask.js";
import { loopItems, loopVarOf } from "./loop.js";
import { prefetchFacts, type PrefetchItem } from "./prefetch.js";
import { runTask, taskLabel, whereOf, isTrue, type RunSettings, type TaskOutcome } from "./task-runner.js";
import type { Block, Play, RoleContext, Task, TaskNode, TaskKeywords, Vars } from "./types.js";
import { mergeLayers, ownLayers, roleLayers } from "./vars.js";
import { isTemplated, markUnsafe, renderValue } from "./template/render.js";
import { isSecretName } from "./mask.js";

export interface PlaySettings extends RunSettings {
  tags: readonly string[];
  skipTags: readonly string[];
  startAtTask: string | undefined;
  extraVars: Vars;
}

/** What all hosts of a play share. */
export interface PlayShared {
  play: Play;
  settings: PlaySettings;
  emit: EventSink;
  secrets: SecretRegistry;
  signal: AbortSignal;
  local: () => Connection;
  inventoryVars: (host: string) => Vars;
  magic: (host: HostState) => Vars;
  selectByTags: (tags: readonly string[]) => boolean;
  loadTaskFile: (path: string, role: RoleContext | undefined) => TaskNode[];
  loadRole: (name: string, params: Vars, tasksFrom: string | undefined) => { tasks: TaskNode[]; handlers: Task[]; role: RoleContext };
  /** Tasks whose task_start event was emitted (once per play, by the first host to reach them). */
  announced: WeakSet<object>;
  /** run_once tasks: the first host's outcome, shared. */
  once: WeakMap<object, Promise<TaskOutcome>>;
  /** Set by any_errors_fatal: every host stops. */
  aborted: { value: boolean };
  /** Play handlers plus handlers of roles included at run time. */
  handlers: Task[];
}

type Flow = "continue" | "stop";

export class HostPlay {
  private readonly notified = new Set<string>();
  private readonly unknownResults = new Set<string>();
  /** The last task that failed on this host, for rescue's ansible_failed_task/ansible_failed_result. */
  private lastFailure: { task: Vars; result: Vars } | undefined;
  /** Secret-named variables already rendered and masked on this host. */
  private readonly maskedSecrets = new Set<string>();
  /** Variable layers 1-5 merged, by role (none: play-level tasks): the same for all of a role's tasks here. */
  private readonly roleVars = new Map<RoleContext | undefined, Vars>();
  /** The last variables merged, and the parts they were merged from. */
  private lastMerge: { parts: readonly unknown[]; vars: Vars } | undefined;
  private started: boolean;

  constructor(
    private readonly shared: PlayShared,
    private readonly host: HostState,
  ) {
    this.started = shared.settings.startAtTask === undefined;
  }

  /** Runs the play's sections on this host, flushing handlers after each like Ansible. */
  async run(): Promise<void> {
    const { play } = this.shared;
    try {
      const prefetchStarted = Date.now();
      await prefetchFacts(this.prefetchItems([...play.preTasks, ...play.roleTasks, ...play.tasks, ...play.postTasks], []), {
        host: this.host,
        registry: this.shared.settings.registry,
        check: this.shared.settings.check,
        diff: this.shared.settings.diff,
        playbookDir: play.dir,
        secrets: this.shared.secrets,
        signal: this.shared.signal,
      });
      this.host.profile.prefetchMs += Date.now() - prefetchStarted;
      for (const section of [play.preTasks, [...play.roleTasks, ...play.tasks], play.postTasks]) {
        if ((await this.runNodes(section, [])) === "stop") return;
        if ((await this.flushHandlers()) === "stop") return;
      }
    } catch (error) {
      // A bug must cost this host its run, not every host theirs.
      this.failed(undefined, error);
    }
  }

  /** The module tasks the host may run, with their variables, for prefetching (loops and includes aside). */
  private prefetchItems(nodes: readonly TaskNode[], scope: readonly TaskKeywords[]): PrefetchItem[] {
    return nodes.flatMap((node) => {
      if (node.kind === "block") return this.prefetchItems(node.block, [...scope, node.kw]);
      const task = inherit(node, scope);
      if (!this.shared.selectByTags(task.kw.tags ?? [])) return [];
      try {
        return [{ task, vars: this.varsFor(task, scope) }];
      } catch {
        return [];
      }
    });
  }

  private async runNodes(nodes: readonly TaskNode[], scope: readonly TaskKeywords[]): Promise<Flow> {
    for (const node of nodes) {
      if (!this.host.active || this.shared.aborted.value || this.shared.signal.aborted) return "stop";
      const flow = node.kind === "block" ? await this.runBlock(node, scope) : await this.runTaskNode(node, scope);
      if (flow === "stop") return "stop";
    }
    return "continue";
  }

  private async runBlock(block: Block, scope: readonly TaskKeywords[]): Promise<Flow> {
    const inner = [...scope, block.kw];
    const failedBefore = this.host.stats.failed;
    let flow = await this.runNodes(block.block, inner);
    if (flow === "stop" && this.host.failed && !this.host.unreachable && block.rescue.length > 0) {
      this.host.failed = false;
      // Ansible tells the rescue tasks what failed.
      const failure: TaskKeywords = { vars: { ansible_failed_task: this.lastFailure?.task, ansible_failed_result: this.lastFailure?.result } };
      flow = await this.runNodes(block.rescue, [...inner, failure]);
      if (flow === "continue") {
        const rescued = this.host.stats.failed - failedBefore;
        this.host.stats.failed -= rescued;
        this.host.stats.rescued += rescued;
      }
    }
    if (block.always.length > 0 && !this.host.unreachable) {
      const failed = this.host.failed;
      this.host.failed = false;
      const alwaysFlow = await this.runNodes(block.always, inner);
      this.host.failed ||= failed;
      if (alwaysFlow === "stop") flow = "stop";
    }
    return this.host.active ? flow : "stop";
  }

  private async runTaskNode(original: Task, scope: readonly TaskKeywords[]): Promise<Flow> {
    const task = inherit(original, scope);
    if (!this.shared.selectByTags(task.kw.tags ?? [])) return "continue";
    if (!this.started) {
      if (taskLabel(task) !== this.shared.settings.startAtTask && task.name !== this.shared.settings.startAtTask) return "continue";
      this.started = true;
    }
    if (task.action === "meta" || task.action === "include_tasks" || task.action === "include_role") {
      try {
        return await (task.action === "meta" ? this.runMeta(task) : this.runInclude(task, scope));
      } catch (error) {
        return this.failed(original, error);
      }
    }

    const vars = this.varsFor(task, scope);
    this.announce(original, false, vars);
    const outcome = await this.runShared(task, vars, original);
    return this.record(task, outcome);
  }

  /** run_once: the first host runs the task, the others take its outcome (and register it too). */
  private runShared(task: Task, vars: Vars, identity: Task = task): Promise<TaskOutcome> {
    const env = {
      host: this.host,
      play: this.shared.play,
      settings: this.shared.settings,
      emit: this.shared.emit,
      secrets: this.shared.secrets,
      signal: this.shared.signal,
      vars,
      local: this.shared.local,
      unknownResults: this.unknownResults,
    };
    if (!isTrue(task.kw.run_once, vars, {})) return runTask(task, env);
    let shared = this.shared.once.get(identity);
    if (!shared) {
      shared = runTask(task, env);
      this.shared.once.set(identity, shared);
      return shared;
    }
    return shared.then((outcome) => ({ ...outcome, status: "skipped" as TaskStatus }));
  }

  private record(task: Task, outcome: TaskOutcome): Flow {
    const stats = this.host.stats;
    // Registered output is data, never a template (command output may contain "{{").
    if (task.kw.register) this.host.setFacts({ [task.kw.register]: markUnsafe(outcome.result) });
    switch (outcome.status) {
      case "changed":
        stats.ok++;
        stats.changed++;
        for (const name of task.kw.notify ?? []) this.notified.add(name);
        break;
      case "ok":
        stats.ok++;
        break;
      case "skipped":
        stats.skipped++;
        break;
      case "unknown":
        stats.unknown++;
        break;
      case "unreachable":
        stats.unreachable++;
        this.host.unreachable = true;
        return "stop";
      case "failed":
        if (isTrue(task.kw.ignore_errors, {}, {})) {
          stats.ignored++;
          break;
        }
        stats.failed++;
        this.host.failed = true;
        this.lastFailure = { task: { name: task.name ?? task.action, action: task.action }, result: markUnsafe(outcome.result) };
        if (this.shared.play.any_errors_fatal) this.shared.aborted.value = true;
        return "stop";
    }
    return "continue";
  }

  /** A task the engine itself could not run (an include that does not load, a bad meta, a bug): the host fails. */
  failed(task: Task | undefined, error: unknown): Flow {
    const rems = error instanceof RemsError ? error : new ModuleError(error instanceof Error ? (error.stack ?? error.message) : String(error), { host: this.host.name });
    if (task) this.announce(task, false);
    this.shared.emit({
      type: "task_result",
      host: this.host.name,
      task: task ? taskLabel(task) : "internal error",
      where: task ? whereOf(task.loc) : undefined,
      status: "failed",
      error: { code: rems.code, message: rems.describe() },
      durationMs: 0,
    });
    this.host.stats.failed++;
    this.host.failed = true;
    return "stop";
  }

  private async flushHandlers(): Promise<Flow> {
    if (this.notified.size === 0 || !this.host.active) return "continue";
    const notified = new Set(this.notified);
    this.notified.clear();
    for (const handler of this.shared.handlers) {
      const names = handler.listen ?? (handler.name ? [handler.name] : []);
      if (!names.some((name) => notified.has(name))) continue;
      const vars = this.varsFor(handler, []);
      this.announce(handler, true, vars);
      const outcome = await this.runShared(handler, vars);
      if (this.record(handler, outcome) === "stop") return "stop";
    }
    return "continue";
  }

  private runMeta(task: Task): Promise<Flow> {
    const what = text(task.args._raw_params ?? task.args.free_form ?? Object.values(task.args)[0] ?? "");
    if (what === "flush_handlers") return this.flushHandlers();
    if (what === "noop") return Promise.resolve("continue");
    if (what === "end_host") return Promise.resolve("stop");
    throw new TaskFailedError(`unsupported meta action '${what}'`, { loc: task.loc, host: this.host.name });
  }

  /** include_tasks / include_role: loaded at run time with templated names, once per loop item. */
  private async runInclude(task: Task, scope: readonly TaskKeywords[]): Promise<Flow> {
    const vars = this.varsFor(task, scope);
    const where = { task: taskLabel(task), file: task.loc.file, line: task.loc.line, col: task.loc.col, host: this.host.name };
    const items = loopItems(task, vars, where);
    for (const { item, vars: itemVars } of items) {
      const args = renderValue(task.args, itemVars, where) as Vars;
      const inner: TaskKeywords = { ...task.kw, vars: { ...(task.kw.vars ?? {}), ...(task.kw.loop === undefined ? {} : { [loopVarOf(task)]: item }) } };
      delete inner.loop;
      if (task.action === "include_tasks") {
        const file = text(args.file ?? args._raw_params);
        const nodes = this.shared.loadTaskFile(file.startsWith("/") ? file : `${task.dir}/${file}`, task.role);
        if ((await this.runNodes(nodes, [...scope, inner])) === "stop") return "stop";
      } else {
        const { name, tasks_from: tasksFrom, vars: params, ...rest } = args;
        const loaded = this.shared.loadRole(text(name), { ...(params as Vars | undefined), ...rest }, tasksFrom === undefined ? undefined : text(tasksFrom));
        for (const handler of loaded.handlers) if (!this.shared.handlers.includes(handler)) this.shared.handlers.push(handler);
        if ((await this.runNodes(loaded.tasks, [...scope, inner])) === "stop") return "stop";
      }
    }
    return "continue";
  }

  private announce(task: Task, handler: boolean, vars?: Vars): void {
    if (this.shared.announced.has(task)) return;
    this.shared.announced.add(task);
    this.shared.emit({ type: "task_start", name: taskLabel(task, vars), handler, where: whereOf(task.loc) });
  }

  /**
   * A secret set through a template (`db_password: "{{ vault.db }}"`) is known only once rendered: render each
   * such variable once per host and mask its value everywhere.
   */
  private maskTemplatedSecrets(vars: Vars): void {
    // Runs on every new merge over every variable (facts included): names first, no entry arrays.
    for (const name in vars) {
      if (this.maskedSecrets.has(name) || !isSecretName(name)) continue;
      const value = vars[name];
      if (typeof value !== "string" || !isTemplated(value)) continue;
      this.maskedSecrets.add(name);
      try {
        this.shared.secrets.add(renderValue(value, vars, {}));
      } catch {
        // not renderable yet (it reads a registered result): the task that renders it fails with the reason
        this.maskedSecrets.delete(name);
      }
    }
  }

  /** The task's variables, all layers merged; secrets set through templates among them are masked from then on. */
  private varsFor(task: Task, scope: readonly TaskKeywords[]): Vars {
    const { play, settings } = this.shared;
    let below = this.roleVars.get(task.role);
    if (!below) {
      const { roles: playRoles, vars: playVars, varsFiles: playVarsFiles } = play;
      below = mergeLayers(roleLayers({ playRoles, role: task.role, inventoryVars: this.shared.inventoryVars(this.host.name), playVars, playVarsFiles }));
      this.roleVars.set(task.role, below);
    }
    const scopeVars = [...scope.map((kw) => kw.vars ?? NO_VARS), task.kw.vars ?? NO_VARS];
    const magic = this.shared.magic(this.host);
    const hostFacts = this.host.hostFacts;
    // Variables are never changed once merged, so the next task of a role with no vars of its own (most tasks)
    // takes the same object while nothing was registered and the magic variables stayed.
    const parts = [below, magic, hostFacts, ...scopeVars];
    const last = this.lastMerge;
    if (last && last.parts.length === parts.length && last.parts.every((part, i) => part === parts[i])) return last.vars;
    const vars = mergeLayers(ownLayers({ scopeVars, hostFacts, extraVars: settings.extraVars, magic }), below);
    this.lastMerge = { parts, vars };
    this.maskTemplatedSecrets(vars);
    return vars;
  }
}

/** The vars of a block or task that has none: one object, so merges can compare parts by identity. */
const NO_VARS: Vars = Object.freeze({});

/** Block keywords apply to the tasks inside; the task's own keywords win, and `when` conditions add up. */
function inherit(task: Task, scope: readonly TaskKeywords[]): Task {
  if (scope.length === 0) return task;
  const kw: TaskKeywords = {};
  for (const outer of scope) {
    const { when: _when, vars: _vars, loop: _loop, register: _register, notify: _notify, ...rest } = outer;
    Object.assign(kw, rest);
  }
  Object.assign(kw, task.kw);
  kw.when = [...scope.flatMap((outer) => outer.when ?? []), ...(task.kw.when ?? [])];
  return { ...task, kw };
}
