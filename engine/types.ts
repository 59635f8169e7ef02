/**
 * What the loaders produce and the executor runs. Values are as written in YAML (untemplated); the executor
 * templates them per host. Source locations of any loaded mapping key are kept by engine/source/locations.ts.
 */
import type { SourceLocation } from "./errors.js";
import type { JsonSchema } from "./module-api.js";

export type Vars = Record<string, unknown>;

/** Task keywords (everything of a task that is not the module and its arguments), as written. */
export interface TaskKeywords {
  when?: unknown[];
  loop?: unknown;
  /** Set by `with_<lookup>`: `loop` holds the lookup's terms, and the items are what the lookup gives for them. */
  loop_with?: string;
  loop_control?: { loop_var?: string; index_var?: string; label?: string };
  register?: string;
  notify?: string[];
  changed_when?: unknown;
  failed_when?: unknown;
  ignore_errors?: unknown;
  tags?: string[];
  become?: unknown;
  become_user?: unknown;
  check_mode?: unknown;
  diff?: unknown;
  no_log?: unknown;
  until?: unknown;
  retries?: unknown;
  delay?: unknown;
  run_once?: unknown;
  delegate_to?: unknown;
  delegate_facts?: unknown;
  remote_user?: unknown;
  connection?: unknown;
  throttle?: unknown;
  /** Seconds the task may run; the loader refuses it without a poll above 0. */
  async?: unknown;
  poll?: unknown;
  any_errors_fatal?: unknown;
  environment?: Record<string, unknown>;
  vars?: Vars;
}

/** The role a task or handler came from: where its files and templates are, and its variables. */
export interface RoleContext {
  name: string;
  /** Absolute path of roles/<name>. */
  path: string;
  defaults: Vars;
  vars: Vars;
  /** Role parameters given where the role is used (`roles: [{ role: app, app_name: rems }]`). */
  params: Vars;
  /** Where the role is used (the `roles:` entry, dependency or import_role task): blamed for missing variables. */
  loc?: SourceLocation;
  /** JSON schema of the role's variables, from meta/argument_specs.yml (engine/load/role-vars.ts). */
  argumentSchema?: JsonSchema;
}

export interface Task {
  kind: "task";
  name: string | undefined;
  /**
   * Canonical action: a module name from the registry ("apt"), or an engine action: debug, assert, fail,
   * set_fact, meta, include_tasks, include_role (import_* are expanded by the loader).
   */
  action: string;
  /** Module arguments as written (free-form text already split into the module's free-form argument). */
  args: Vars;
  kw: TaskKeywords;
  loc: SourceLocation;
  role: RoleContext | undefined;
  /** Handlers only: the names this handler answers to (its name plus `listen`). */
  listen?: string[];
  /** Absolute directory of the file the task was read from (include paths are relative to it). */
  dir: string;
}

export interface Block {
  kind: "block";
  name: string | undefined;
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
  kw: TaskKeywords;
  loc: SourceLocation;
  role: RoleContext | undefined;
  dir: string;
}

export type TaskNode = Task | Block;

export interface Play {
  name: string;
  /** Host pattern as written ("all", "web:&prod"). */
  hosts: string;
  loc: SourceLocation;
  vars: Vars;
  /** vars_files already read and merged in order (later files win). */
  varsFiles: Vars;
  preTasks: TaskNode[];
  /** The play's roles, expanded (meta dependencies first), as one block per role. */
  roleTasks: TaskNode[];
  tasks: TaskNode[];
  postTasks: TaskNode[];
  /** Play handlers and role handlers, in definition order. */
  handlers: Task[];
  /** Role contexts of the play, in order, for variable validation and role defaults. */
  roles: RoleContext[];
  /** The play's own keywords, the outermost scope of its tasks (become, check_mode, diff, environment, no_log ...). */
  kw: TaskKeywords;
  gather_facts: boolean;
  serial?: unknown;
  any_errors_fatal: boolean;
  max_fail_percentage?: number;
  tags: string[];
  /** Absolute directory of the playbook file. */
  dir: string;
  file: string;
}

export interface InventoryHost {
  name: string;
  /** Variables set on the host itself (inventory line, host_vars/). */
  vars: Vars;
  /** Groups the host belongs to, directly or through children; excluding "all" (a host in no group is in "ungrouped"): Ansible's group_names. */
  groups: string[];
}

export interface InventoryGroup {
  name: string;
  vars: Vars;
  children: string[];
  /** Hosts listed directly in the group. */
  hosts: string[];
}
