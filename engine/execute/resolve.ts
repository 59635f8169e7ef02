/**
 * The resolved task: a task with the keywords of everything around it (play → role → block → include → task),
 * inherited once, by Ansible's rules, in this one place; and its keywords rendered once per run of it, into the
 * settings the task runner, the prefetch pass and the reporters read. Nothing else reads an outer scope's keywords.
 *
 * Inheritance: the innermost value of a keyword wins; `when` conditions of blocks, roles and static imports add up
 * (a dynamic include's `when` is its own: evaluated once, at the include); `environment` mappings merge, inner
 * names winning; `tags` add up (the loader already gave each task those of its static scopes; an include's own
 * tags stay its own, as in Ansible, and only its `apply: {tags}` reach the included tasks); `vars` stay one layer per scope (precedence, vars.ts); `notify`, `register`, `loop` and the
 * retry keywords belong to the task alone.
 */
import type { TemplateWhere } from "../template/render.js";
import { renderValue } from "../template/render.js";
import { TaskFailedError } from "../errors.js";
import { boolean } from "../truth.js";
import type { Task, TaskKeywords, Vars } from "../types.js";
import { knownConnection } from "./host-connection.js";

/** Keywords a scope does not hand down to the tasks inside it. */
const OWN_KEYWORDS = new Set(["when", "vars", "tags", "loop", "loop_control", "register", "notify", "until", "retries", "delay", "changed_when", "failed_when", "environment"]);

export interface ResolvedTask {
  /** The task as loaded: its identity (run_once, task_start once per play) and its own keywords. */
  readonly task: Task;
  /** Its keywords with the inherited ones: `when` holds every condition of the chain, outermost first. */
  readonly kw: TaskKeywords;
  /** The `vars` of each scope around the task, outermost first, the task's own last (precedence layer 6). */
  readonly scopeVars: readonly Vars[];
  /** The keywords of the scopes around the task, outermost first: what an include hands to the tasks it includes. */
  readonly chain: readonly TaskKeywords[];
}

/** Resolves a task inside `chain` (the keywords of its scopes, outermost first: play, role, blocks, includes). */
export function resolveTask(task: Task, chain: readonly TaskKeywords[]): ResolvedTask {
  const kw: TaskKeywords = {};
  const when: unknown[] = [];
  const tags = new Set<string>();
  let environment: Record<string, unknown> | undefined;
  for (const outer of chain) {
    for (const [key, value] of Object.entries(outer)) if (!OWN_KEYWORDS.has(key) && value !== undefined) (kw as Vars)[key] = value;
    if (outer.when) when.push(...outer.when);
    for (const tag of outer.tags ?? []) tags.add(tag);
    if (outer.environment) environment = { ...environment, ...outer.environment };
  }
  Object.assign(kw, task.kw);
  if (task.kw.environment) environment = { ...environment, ...task.kw.environment };
  if (environment) kw.environment = environment;
  when.push(...(task.kw.when ?? []));
  kw.when = when;
  for (const tag of task.kw.tags ?? []) tags.add(tag);
  if (tags.size > 0) kw.tags = [...tags];
  return { task, kw, chain, scopeVars: [...chain.map((outer) => outer.vars ?? NO_VARS), task.kw.vars ?? NO_VARS] };
}

/** The vars of a scope that has none: one object, so merges can compare parts by identity. */
export const NO_VARS: Vars = Object.freeze({});

/** What the task's keywords say for one run of it, rendered with its variables. */
export interface TaskSettings {
  checkMode: boolean;
  diffMode: boolean;
  /** The user to become, or undefined to run as the login user. */
  becomeUser: string | undefined;
  noLog: boolean;
  ignoreErrors: boolean;
  runOnce: boolean;
  /** The rendered delegate_to, when set. */
  delegateTo: string | undefined;
  /** delegate_facts: facts the task returns go to the delegate host. */
  delegateFacts: boolean;
  /** The rendered remote_user, when set: the login user unless the host's ansible_user says otherwise. */
  remoteUser: string | undefined;
  /** The rendered connection keyword (local, ssh ...), when set: how the host is reached unless its ansible_connection says. */
  connection: string | undefined;
  /** async: the seconds the task may take (its commands are stopped after them), when set. */
  asyncSeconds: number | undefined;
  environment: Record<string, string>;
}

/** Renders the task's keywords once (per host and loop item), by Ansible's rules, over the run's --check/--diff. */
export function settle(resolved: ResolvedTask, vars: Vars, where: TemplateWhere, run: { check: boolean; diff: boolean }): TaskSettings {
  const { kw } = resolved;
  const flag = (value: unknown, fallback: boolean): boolean => (value === undefined || value === null ? fallback : boolean(renderValue(value, vars, where)));
  const become = flag(kw.become ?? vars.ansible_become, false);
  const word = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(renderValue(value, vars, where)));
  const delegateTo = word(kw.delegate_to);
  const asyncSeconds = word(kw.async);
  const environment = kw.environment === undefined ? {} : (renderValue(kw.environment, vars, where) as Vars);
  return {
    // check_mode: true forces check mode on, false forces a real run even under --check (Ansible's rule).
    checkMode: flag(kw.check_mode, run.check),
    diffMode: flag(kw.diff, run.diff),
    becomeUser: become ? String(renderValue(kw.become_user ?? vars.ansible_become_user ?? "root", vars, where)) : undefined,
    noLog: flag(kw.no_log, false),
    ignoreErrors: flag(kw.ignore_errors, false),
    runOnce: flag(kw.run_once, false),
    delegateTo,
    delegateFacts: flag(kw.delegate_facts, false),
    remoteUser: word(kw.remote_user),
    connection: connectionWord(word(kw.connection), where),
    asyncSeconds: asyncSeconds === undefined ? undefined : seconds(asyncSeconds, where),
    environment: Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, String(value)])),
  };
}

/** The connection keyword as one rems-play has (a template may render to anything). */
function connectionWord(value: string | undefined, where: TemplateWhere): string | undefined {
  if (value === undefined || knownConnection(value) !== undefined) return value;
  throw new TaskFailedError(`connection must be local or ssh (smart, paramiko: the connections rems-play has), got '${value}'`, placeOf(where));
}

/** Where a task's keyword went wrong, for its error. */
function placeOf(where: TemplateWhere): ConstructorParameters<typeof TaskFailedError>[1] {
  return {
    ...(where.file === undefined ? {} : { loc: { file: where.file, line: where.line ?? 1, col: where.col ?? 1 } }),
    ...(where.host === undefined ? {} : { host: where.host }),
    ...(where.task === undefined ? {} : { task: where.task }),
  };
}

/** async's seconds: a whole number above 0 (Ansible's `async: 0` runs the task as usual). */
function seconds(value: string, where: TemplateWhere): number | undefined {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new TaskFailedError(`async must be a whole number of seconds, got '${value}'`, placeOf(where));
  return n === 0 ? undefined : n;
}
