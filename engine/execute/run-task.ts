/**
 * Runs one task (not a block) on one host: `when`, `loop`, templating and validation of the arguments, the
 * module's check (and apply unless in check mode), changed_when/failed_when/until, register, and the events.
 */
import { userInfo } from "node:os";
import { runAction } from "./actions.js";
import { findingOf } from "./findings.js";
import type { Connection } from "../connection/connection.js";
import { CommandFailedError, formatLocation, InputErrors, ModuleError, RemsError, TaskFailedError, type SourceLocation } from "../errors.js";
import type { EventSink, TaskOrder, TaskResultEvent, TaskStatus } from "../events.js";
import type { HostRun } from "./host-run.js";
import { HostContext } from "./module-context.js";
import { FactCache } from "../fact-cache.js";
import type { SecretRegistry } from "../mask.js";
import type { AnyModule, ChangePlan, Plan } from "../module-api.js";
import type { Differences, FileDiff } from "../diff-types.js";
import { addDifferences, classifyDifferences } from "../differences.js";
import { conditionWarnings, evaluateCondition, markUnsafe, renderFile, renderValue, type TemplateWhere } from "../template/render.js";
import { coerceArgs, validateModuleArgs } from "../schema/validate.js";
import { includeVars } from "./include-vars.js";
import { gatherOnDemand } from "./setup-action.js";
import type { Play, Task, Vars } from "../types.js";
import type { Vault } from "../vault/vault.js";
import { withoutOmitted } from "./vars.js";
import { fingerprint, linesLeft } from "./run-record.js";
import { loopItems, loopVarOf, type LoopItem } from "./loop.js";
import { settle, type ResolvedTask, type TaskSettings } from "./resolve.js";

export interface RunSettings {
  check: boolean;
  diff: boolean;
  verbosity: number;
  registry: ReadonlyMap<string, AnyModule>;
}

/** Everything a task needs from its play and host. */
export interface TaskEnv {
  host: HostRun;
  /** Where the task is in the play's order. */
  order: TaskOrder;
  play: Play;
  settings: RunSettings;
  /** The run's event sink: events are masked there, once. */
  emit: EventSink;
  secrets: SecretRegistry;
  vault: Vault;
  signal: AbortSignal;
  /** The task's variables, already merged by precedence (see vars.ts), without loop variables. */
  vars: Vars;
  /** A connection to this machine, for delegate_to: localhost. */
  local: () => Connection;
  /**
   * The host a task runs on by its settings: this host, a delegate_to host of the inventory, this host under
   * another remote_user; undefined: the controller (delegate_to: localhost outside the inventory).
   */
  runsOn: (settings: TaskSettings) => HostRun | undefined;
  /** The host that keeps what a task sets (set_fact, returned facts): the delegate with delegate_facts. */
  factsHolder: (settings: TaskSettings) => HostRun;
  /** Notes the handlers a changed task notifies; awaited before the task reports. */
  notify: (names: readonly string[]) => Promise<void>;
  /** Handler names an interrupted run left pending on this host. */
  leftPending: ReadonlySet<string>;
}

export interface TaskOutcome {
  status: TaskStatus;
  changed: boolean;
  /** What `register:` stores: unsafe data (never rendered). */
  result: Vars;
  error?: RemsError;
  /** Failed, but ignore_errors was set. */
  ignored?: boolean;
  /** A warning finding was reported (findings.ts), or the result came with warnings (a module's, a tool's). */
  warned?: boolean;
  /** Check mode, a change found: its drift and pending differences (differences.ts); a loop's, summed. */
  differences?: Differences;
}

const NO_LOG_MESSAGE = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

/**
 * The task's name as shown ("role : name"); with variables, a templated name is rendered as Ansible 2.14 shows it:
 * an empty variable renders empty ("code from ({{ repo }})" with repo "" is "code from ()"), a name that renders to
 * nothing is the action's name, and the label is stripped of blanks at its ends (see renderName for the rest).
 */
export function taskLabel(task: Task, vars?: Vars): string {
  const rendered = task.name === undefined ? "" : vars ? renderName(task.name, vars) : task.name;
  const name = rendered === "" ? task.action : rendered;
  return (task.role && !name.startsWith(`${task.role.name} : `) ? `${task.role.name} : ${name}` : name).trim();
}

function renderName(name: string, vars: Vars): string {
  try {
    const rendered = renderValue(name, vars, {});
    // A name that is one expression of a list, number, boolean or null counts as empty in Ansible (nonstring='empty').
    return typeof rendered === "string" ? rendered : "";
  } catch {
    // Ansible shows a name it cannot render (an undefined variable, a loop item not known yet) as written, whole.
    return name;
  }
}

/** Where a task's templates are rendered, for their errors: the task by its label, its place, the host. */
export function templateWhere(task: Task, label: string, host: string): TemplateWhere {
  return { task: label, file: task.loc.file, line: task.loc.line, col: task.loc.col, host };
}

/** The result event of a task skipped before it ran (its `when`, or an include's). */
export function skippedResult(host: string, label: string, task: Task, order: TaskOrder, reason: string): TaskResultEvent {
  return { type: "task_result", host, task: label, where: formatLocation(task.loc), order, status: "skipped", reason, durationMs: 0 };
}

export async function runTask(resolved: ResolvedTask, env: TaskEnv): Promise<TaskOutcome> {
  const { task } = resolved;
  const label = taskLabel(task);
  const where = templateWhere(task, label, env.host.name);

  const dependsOnUnknown = env.settings.check ? unknownDependency(resolved, env.host.unknownResults) : undefined;
  if (dependsOnUnknown) {
    return report(resolved, env, undefined, {
      status: "unknown",
      changed: false,
      result: markUnsafe({ changed: false, unknown: true }),
    }, { reason: `depends on '${dependsOnUnknown}', whose result cannot be known in check mode`, durationMs: 0 });
  }

  if (task.kw.loop === undefined) return runOnce(resolved, env, env.vars, where, undefined);

  let items: LoopItem[];
  try {
    items = loopItems(task, env.vars, where);
  } catch (error) {
    if (error instanceof TaskFailedError) return report(resolved, env, undefined, errorOutcome(error), { durationMs: 0 });
    throw error;
  }
  if (items.length === 0) {
    // As in Ansible: a loop over nothing is the task skipped, once.
    const reason = "No items in the list";
    return report(resolved, env, undefined, { status: "skipped", changed: false, result: markUnsafe({ changed: false, skipped: true, skipped_reason: reason, results: [] }) }, { reason, durationMs: 0 });
  }
  const loopVar = loopVarOf(task);
  const results: Vars[] = [];
  let changed = false;
  let status: TaskStatus = "skipped";
  let failure: TaskOutcome | undefined;
  let warned = false;
  let differences: Differences | undefined;
  // Every item runs, as in Ansible, even after one failed; the task then fails ("One or more items failed").
  for (const { item, vars: itemVars } of items) {
    const outcome = await runOnce(resolved, env, itemVars, where, itemLabel(task, itemVars, item, where));
    results.push({ ...outcome.result, [loopVar]: item });
    changed ||= outcome.changed;
    status = worse(status, outcome.status);
    warned ||= outcome.warned === true;
    if (outcome.differences) differences = addDifferences(differences, outcome.differences);
    if (outcome.status === "failed") failure ??= outcome;
    if (outcome.status === "unreachable") return { ...outcome, changed, result: markUnsafe({ changed, unreachable: true, results }) };
  }
  if (failure) {
    return { status: "failed", changed, result: markUnsafe({ changed, failed: true, results, msg: "One or more items failed" }), ...(failure.error ? { error: failure.error } : {}), ...(failure.ignored ? { ignored: true } : {}) };
  }
  return { status, changed, result: markUnsafe({ changed, results, skipped: status === "skipped" }), ...(warned ? { warned } : {}), ...(differences ? { differences } : {}) };
}

async function runOnce(resolved: ResolvedTask, env: TaskEnv, vars: Vars, where: TemplateWhere, item: string | undefined): Promise<TaskOutcome> {
  const { task } = resolved;
  const started = Date.now();
  const place = { loc: task.loc, host: env.host.name, task: where.task ?? task.action };
  let settings: TaskSettings | undefined;
  try {
    for (const condition of resolved.kw.when ?? []) {
      if (!evaluateCondition(condition, vars, where)) {
        return await report(resolved, env, undefined, { status: "skipped", changed: false, result: markUnsafe({ changed: false, skipped: true, skip_reason: "Conditional result was False" }) }, {
          item,
          reason: `when: ${String(condition)}`,
          durationMs: Date.now() - started,
        });
      }
    }
    settings = settle(resolved, vars, where, env.settings);
    const retries = task.kw.until === undefined ? 0 : Number(renderValue(task.kw.retries ?? 3, vars, where));
    const delay = Number(renderValue(task.kw.delay ?? 5, vars, where));
    for (let attempt = 0; ; attempt++) {
      // A failed command or module still gets register, failed_when and until, as in Ansible.
      const outcome = await execute(resolved, settings, env, vars, where, item).catch((error: unknown) => {
        if (error instanceof CommandFailedError || error instanceof ModuleError) return errorOutcome(error);
        throw error;
      });
      // Registered data is never a template, from the first condition that reads it on.
      markUnsafe(outcome.result);
      const resultVars = task.kw.register ? { ...vars, [task.kw.register]: outcome.result } : vars;
      applyChangedAndFailedWhen(task, outcome, resultVars, where, place);
      if (outcome.status === "ok" || outcome.status === "changed") keepReturnedFacts(env.factsHolder(settings), outcome.result);
      // Any fact may be stale after a change; a command declared unchanged (changed_when: false) keeps the cache.
      if (outcome.touched && outcome.changed) outcome.touched.facts.invalidate();
      const done = task.kw.until === undefined || outcome.status === "unknown" || evaluateCondition(task.kw.until, resultVars, where);
      if (done || attempt >= retries) {
        if (!done) {
          outcome.status = "failed";
          outcome.result.failed = true;
          outcome.error = new TaskFailedError(`'until' condition not met after ${retries + 1} attempts: ${String(task.kw.until)}`, place);
        }
        // As Ansible: only with until; and when until never held, Ansible 2.14 registers `retries`, one less than
        // the attempts it made (its task_executor's `retries - 1`).
        if (task.kw.until !== undefined) outcome.result.attempts = done ? attempt + 1 : retries;
        return await report(resolved, env, settings, outcome, { item, durationMs: Date.now() - started });
      }
      await sleep(delay * 1000, env.signal);
    }
  } catch (error) {
    const wrapped = error instanceof RemsError ? error : new ModuleError(String(error instanceof Error ? error.message : error), place, { cause: error });
    return report(resolved, env, settings, errorOutcome(wrapped), { item, durationMs: Date.now() - started });
  }
}

/** A module's result may carry ansible_facts (getent's): as in Ansible, later tasks of the host see them. */
function keepReturnedFacts(host: HostRun, result: Vars): void {
  const facts = result.ansible_facts;
  if (typeof facts === "object" && facts !== null && !Array.isArray(facts)) host.addModuleFacts(facts as Vars);
}

interface Executed extends TaskOutcome {
  drift?: "drift" | "pending";
  /** Under no_log, the summary and diffs are the ones safe to show (metadata only). */
  noLogShown?: boolean;
  /** The host apply ran on (not in check mode; none: the controller): its cached facts may be stale. */
  touched?: HostRun | undefined;
  summary?: string;
  reason?: string;
  diffs?: readonly FileDiff[];
  warnings?: string[];
  commands?: string[];
  msg?: unknown;
  debugVar?: Vars | undefined;
}

async function execute(resolved: ResolvedTask, settings: TaskSettings, env: TaskEnv, vars: Vars, where: TemplateWhere, item: string | undefined): Promise<Executed> {
  const { task } = resolved;
  const label = taskLabel(task);
  const module = env.settings.registry.get(task.action);
  if (!module) {
    const { that: _that, ...rest } = task.args;
    const args = renderValue(rest, vars, where) as Vars;
    if (task.action === "include_vars") {
      const included = includeVars(args, { role: task.role, taskDir: task.dir, playbookDir: env.play.dir, host: env.host.name, task: label, vault: env.vault }, vars);
      env.host.includeVars(included.vars);
      return { status: "ok", changed: false, result: { changed: false, ansible_included_var_files: included.files } };
    }
    if (task.action === "setup" || task.action === "gather_facts") {
      const from = env.runsOn(settings);
      if (!from) throw new TaskFailedError(`${task.action} on the controller (delegate_to: localhost outside the inventory) is not supported`, { host: env.host.name, task: label });
      return { status: "ok", changed: false, result: await gatherOnDemand(args, from, env.factsHolder(settings)) };
    }
    const result = runAction(task.action, args, task.args, {
      condition: (c) => evaluateCondition(c, vars, where),
      value: (expression) => renderValue(`{{ ${expression} }}`, vars, where),
      place: { host: env.host.name, task: label },
    });
    if (result.facts) env.factsHolder(settings).setFacts(result.facts);
    return { status: "ok", changed: false, result: { changed: false, failed: false, ...(result.msg === undefined ? {} : { msg: result.msg }), ...result.debugVar }, msg: result.msg, debugVar: result.debugVar };
  }

  const rendered = coerceArgs(module.schema, withoutOmitted(renderValue(task.args, vars, where) as Vars)) as Vars;
  const errors = validateModuleArgs(module, rendered, task.args, { task: label, loc: task.loc, host: env.host.name });
  const [firstError] = errors;
  if (firstError) throw errors.length === 1 ? firstError : new InputErrors(errors);

  const { checkMode, diffMode, becomeUser, noLog } = settings;
  // The host the task runs on: its own, a delegate_to host or another remote_user's connection; none: the controller.
  const target = env.runsOn(settings);
  if (target) await target.connect();
  const connection = target ? target.connection : env.local();
  const ctx = new HostContext({
    host: env.host.name,
    user: target ? (becomeUser ?? target.loginUser) : userInfo().username,
    probeUser: target ? (target.probeUser ?? target.loginUser) : userInfo().username,
    connection,
    facts: target ? target.facts : new FactCache("localhost", (command) => connection.exec(command.text)),
    runAs: () => (target ? target.runAs(becomeUser) : Promise.resolve(undefined)),
    vars,
    checkMode,
    diffMode,
    changesPlanned: target?.facts.changesPlanned ?? false,
    environment: settings.environment,
    role: task.role,
    taskDir: task.dir,
    playbookDir: env.play.dir,
    secrets: env.secrets,
    signal: env.signal,
    task: label,
    vault: env.vault,
    asyncSeconds: settings.asyncSeconds,
    noLog,
    render: (text, path, options) => renderFile(text, path, vars, { ...where, file: path }, options),
  });

  const plan: Plan = await module.check(ctx, rendered);
  const wanted = fingerprint(task.action, rendered, ctx.sources, ctx.rendered);
  const key = `${env.play.name} / ${label}${item === undefined ? "" : ` [${item}]`}`;
  const predicted = ctx.predictedFacts.size > 0 ? ` (planned against the simulated outcome of earlier tasks: ${[...ctx.predictedFacts].join(", ")})` : "";
  const base = { warnings: ctx.warnings, commands: ctx.commands };
  if (plan.changed === false) {
    if (plan.warnings) ctx.warnings.push(...plan.warnings);
    if (!checkMode) env.host.noteApplied(key, wanted);
    return { ...base, status: "ok", changed: false, result: { changed: false, ...plan.output }, reason: plan.reason + predicted };
  }
  if (plan.changed === "unknown") {
    if (task.kw.register) env.host.unknownResults.add(task.kw.register);
    return { ...base, status: "unknown", changed: false, result: { changed: false, unknown: true, msg: plan.reason }, reason: plan.reason };
  }
  // An audit judges every hunk, shown or not (a no_log file's are counted, not shown).
  const audit = checkMode ? classify(resolved, env, key, wanted, plan.diffs ?? []) : undefined;
  const planned = audit?.diffs ?? plan.diffs;
  // no_log hides values, not facts about them: a metadata summary and diffs (mode, owner ...) stay visible. A file
  // made from a vaulted source never shows its content, no_log or not.
  const summary = noLog ? plan.metadataSummary : plan.summary;
  const diffs = !planned ? [] : noLog ? planned.filter((diff) => diff.metadata) : ctx.readVaulted ? planned.map((diff) => (diff.metadata ? diff : withoutContent(diff))) : planned;
  const shown = {
    ...(summary === undefined ? {} : { summary: summary + predicted }),
    ...(diffMode && planned ? { diffs } : {}),
    ...(noLog ? { noLogShown: true } : {}),
  };
  if (plan.warnings) ctx.warnings.push(...plan.warnings);
  if (audit) {
    // Later tasks plan on what this one would do only in a --check run: a task with its own check_mode in a normal
    // run changes nothing, and the tasks after it must see the host as it is (ansible-core's cron target).
    if (env.settings.check && target) {
      target.facts.changesPlanned = true;
      for (const p of plan.predicts ?? []) target.facts.predict(p.fact, p.args, p.value);
    }
    return { ...base, ...shown, ...audit.verdict, status: "changed", changed: true, result: { changed: true, ...plan.output }, commands: plan.commands.map((c) => c.display) };
  }
  const applied = module.apply ? await module.apply(ctx, rendered, plan) : await runPlanned(ctx, plan);
  env.host.noteApplied(key, wanted, linesLeft(plan.predicts ?? [], env.host.lineHash));
  return {
    ...base,
    touched: target,
    ...shown,
    status: applied.changed ? "changed" : "ok",
    changed: applied.changed,
    result: { changed: applied.changed, ...plan.output, ...applied.output },
  };
}

/**
 * Check mode, a change found: each of its differences is drift or pending (differences.ts), judged against the lines
 * the last apply left; where none are recorded, the task's: drift when its wanted state is the one last applied,
 * pending when it changed. A handler's change follows from another task's, so it is neither, unless an
 * interrupted run left it notified: then it is pending.
 */
function classify(resolved: ResolvedTask, env: TaskEnv, key: string, wanted: string, diffs: readonly FileDiff[]): { diffs?: FileDiff[]; verdict: Pick<Executed, "drift" | "differences" | "reason"> } {
  const { task } = resolved;
  if (task.listen !== undefined) {
    const left = task.listen.some((name) => env.leftPending.has(name));
    return { verdict: left ? { drift: "pending", differences: { drift: 0, pending: 1 }, reason: "notified by an earlier run that stopped before its handlers ran" } : {} };
  }
  const whole = env.host.previousRecord?.tasks[key] === wanted ? "drift" : "pending";
  const classified = classifyDifferences(diffs, whole, env.host.recordedLines(key));
  const { differences } = classified;
  return { diffs: classified.diffs, verdict: { drift: differences.drift > 0 ? "drift" : "pending", differences } };
}

/** A diff of a task that read a vault-encrypted file: its headers, none of its content (before or after). */
function withoutContent(diff: FileDiff): FileDiff {
  const { before: _before, after: _after, hunks: _hunks, ...headers } = diff;
  return { ...headers, before: "", after: "(content from a vault-encrypted source: not shown)\n" };
}

async function runPlanned(ctx: HostContext, plan: ChangePlan): Promise<{ changed: boolean; output: Vars }> {
  let last = { code: 0, stdout: "", stderr: "" };
  for (const command of plan.commands) last = await ctx.run(command);
  return { changed: true, output: { rc: last.code } };
}

function applyChangedAndFailedWhen(task: Task, outcome: Executed, vars: Vars, where: TemplateWhere, place: { loc: SourceLocation; host: string; task: string }): void {
  if (outcome.status === "unknown" || outcome.status === "unreachable") return;
  if (task.kw.changed_when !== undefined) {
    const changed = conditionList(task.kw.changed_when).every((c) => evaluateCondition(c, vars, where));
    outcome.changed = changed;
    outcome.result.changed = changed;
    if (outcome.status === "changed" || outcome.status === "ok") outcome.status = changed ? "changed" : "ok";
  }
  if (task.kw.failed_when !== undefined) {
    const failed = conditionList(task.kw.failed_when).some((c) => evaluateCondition(c, vars, where));
    outcome.result.failed = failed;
    if (failed) {
      outcome.status = "failed";
      // What the command said goes with it: a failed_when on a script must not hide the script's own error.
      const said = typeof outcome.result.stderr === "string" && outcome.result.stderr.trim() !== "" ? `\n${outcome.result.stderr.trimEnd().split("\n").slice(-8).join("\n")}` : "";
      const rc = typeof outcome.result.rc === "number" ? ` (exit code ${outcome.result.rc})` : "";
      outcome.error = new TaskFailedError(`failed_when condition is true: ${conditionList(task.kw.failed_when).map(String).join(" or ")}${rc}${said}`, place);
    } else if (outcome.status === "failed") {
      outcome.status = outcome.changed ? "changed" : "ok";
      delete outcome.error;
    }
  }
}

/**
 * Emits the task's (or loop item's) result. A change's handlers are noted first, so a run that stops right after
 * the report still leaves them notified. `settings` is undefined when the task stopped before its keywords were
 * rendered (skipped, unknown, a bad loop): nothing to hide then but an error, which no_log hides when set.
 */
async function report(resolved: ResolvedTask, env: TaskEnv, settings: TaskSettings | undefined, outcome: Executed, extra: { item?: string | undefined; reason?: string; durationMs: number }): Promise<TaskOutcome> {
  const { task } = resolved;
  const noLog = settings?.noLog ?? false;
  if (outcome.status === "changed" && task.kw.notify && task.kw.notify.length > 0) {
    try {
      await env.notify(task.kw.notify);
    } catch (error) {
      // A notify no handler answers (a play with include_role is checked only now): the task fails, at its place.
      if (!(error instanceof InputErrors)) throw error;
      outcome.status = "failed";
      outcome.error = error;
    }
  }
  const ignored = outcome.status === "failed" && (settings?.ignoreErrors ?? false);
  const label = taskLabel(task, env.vars);
  const finding = findingOf(resolved.kw.tags, outcome.status, outcome.msg, label, noLog);
  env.emit({
    type: "task_result",
    host: env.host.name,
    task: label,
    where: formatLocation(task.loc),
    order: env.order,
    status: outcome.status,
    delegatedTo: settings?.delegateTo,
    item: extra.item,
    summary: shownSummary(outcome, noLog),
    reason: noLog ? undefined : (extra.reason ?? outcome.reason),
    error: outcome.error ? { code: outcome.error.code, message: noLog ? NO_LOG_MESSAGE : outcome.error.describe() } : undefined,
    ignored: ignored || undefined,
    diffs: outcome.diffs,
    warnings: nonEmpty([...(outcome.warnings ?? []), ...templatedConditions(task)]),
    msg: noLog ? undefined : outcome.msg,
    debugVar: noLog ? undefined : outcome.debugVar,
    commands: env.settings.verbosity >= 2 && !noLog ? outcome.commands : undefined,
    drift: outcome.drift,
    // What changed_when turned into an ok is no difference.
    differences: outcome.status === "changed" ? outcome.differences : undefined,
    finding,
    durationMs: extra.durationMs,
  });
  // A module's warnings are part of its registered result, as in Ansible (`result.warnings`).
  const result = outcome.warnings && outcome.warnings.length > 0 ? { ...outcome.result, warnings: [...outcome.warnings] } : outcome.result;
  return {
    status: outcome.status,
    changed: outcome.changed,
    result,
    ...(outcome.error ? { error: outcome.error } : {}),
    ...(ignored ? { ignored } : {}),
    ...(finding !== undefined || (outcome.warnings?.length ?? 0) > 0 ? { warned: true } : {}),
    ...(outcome.status === "changed" && outcome.differences ? { differences: outcome.differences } : {}),
  };
}

/** Ansible's warnings for the task's own conditions written with {{ }} or {% %} (rendered, as Ansible renders them). */
function templatedConditions(task: Task): string[] {
  const { when, changed_when: changedWhen, failed_when: failedWhen, until } = task.kw;
  return conditionWarnings([when, changedWhen, failedWhen, until, task.action === "assert" ? task.args.that : undefined]);
}

function nonEmpty(list: string[]): string[] | undefined {
  return list.length > 0 ? list : undefined;
}

/** The summary an event may show: under no_log, only one made of facts about the change (put-file's), or the notice. */
function shownSummary(outcome: Executed, noLog: boolean): string | undefined {
  if (!noLog) return outcome.summary;
  if (outcome.noLogShown) return outcome.summary ?? NO_LOG_MESSAGE;
  return outcome.summary === undefined ? undefined : NO_LOG_MESSAGE;
}

function errorOutcome(error: RemsError): Executed {
  const status: TaskStatus = error.code === "REMS_CONNECTION" ? "unreachable" : "failed";
  const result: Vars = { changed: false, failed: true, msg: error.message };
  if (error instanceof CommandFailedError) Object.assign(result, { rc: error.exitCode, stdout: error.stdout, stderr: error.stderr });
  // A module's failure may carry its result's fields (uri's status -1), for register, failed_when and until.
  if (error instanceof ModuleError) Object.assign(result, error.result);
  return { status, changed: false, result, error };
}

function itemLabel(task: Task, vars: Vars, item: unknown, where: TemplateWhere): string {
  const label = task.kw.loop_control?.label;
  const value = label === undefined ? item : renderValue(label, vars, where);
  return typeof value === "string" ? value : JSON.stringify(value);
}

function conditionList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** The name of a registered variable with an unknown result that this task reads, if any (a textual check of its keywords and arguments). */
function unknownDependency(resolved: ResolvedTask, unknown: ReadonlySet<string>): string | undefined {
  if (unknown.size === 0) return undefined;
  const { task, kw } = resolved;
  const text = JSON.stringify([task.args, kw.when, task.kw.loop, task.kw.changed_when, task.kw.failed_when]);
  return [...unknown].find((name) => new RegExp(`\\b${name}\\b`).test(text));
}

const ORDER: TaskStatus[] = ["skipped", "ok", "changed", "unknown", "failed", "unreachable"];
function worse(a: TaskStatus, b: TaskStatus): TaskStatus {
  return ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a;
}

/** Waits MS, or until SIGNAL aborts. The listener goes with the timer: an until loop's retries leave none behind. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
