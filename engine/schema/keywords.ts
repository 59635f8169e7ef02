/**
 * JSON schemas of the playbook keywords: plays, tasks, blocks, role entries. Values are checked as written;
 * anything that may be a template also accepts a string (validate.ts skips the type check of `{{ }}` values).
 */
import type { JsonSchema } from "../module-api.js";
import { LOOKUPS } from "../template/lookups/index.js";

const str = (description: string): JsonSchema => ({ type: "string", description });
const flag = (description: string): JsonSchema => ({ anyOf: [{ type: "boolean" }, { type: "string" }], description });
const condition = (description: string): JsonSchema => ({
  anyOf: [{ type: "string" }, { type: "boolean" }, { type: "array", items: { anyOf: [{ type: "string" }, { type: "boolean" }] } }],
  description,
});
const stringOrList = (description: string): JsonSchema => ({
  anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
  description,
});
const mapping = (description: string): JsonSchema => ({ type: "object", description });

const tags: JsonSchema = {
  anyOf: [{ type: "string" }, { type: "array", items: { anyOf: [{ type: "string" }, { type: "number" }] } }],
  description: "Tags for --tags/--skip-tags; inherited by everything inside",
};

/** `with_<lookup>` (with_items, with_dict, with_first_found ...): loop over what the lookup gives for the value. */
const WITH_LOOPS: Record<string, JsonSchema> = Object.fromEntries(
  Object.keys(LOOKUPS).map((name) => [`with_${name}`, { description: `Loop over the items of the ${name} lookup of this value` }]),
);

/** Keywords valid on tasks, blocks, role entries and plays alike. */
const common: Record<string, JsonSchema> = {
  // Ansible accepts `- name:` with no value: the task is then shown by its action.
  name: { anyOf: [{ type: "string" }, { type: "null" }], description: "Name shown in output" },
  become: flag("Run with sudo"),
  become_user: str("User to become (default root)"),
  check_mode: flag("Force check mode on (true) or off (false) for this task"),
  diff: flag("Force diff output on or off"),
  environment: { anyOf: [{ type: "object" }, { type: "string" }], description: "Environment variables for commands" },
  no_log: flag("Hide the task's arguments and results in all output"),
  remote_user: str("User to log in as on the host (its ansible_user for this scope)"),
  connection: {
    type: "string",
    enum: ["local", "ssh", "smart", "paramiko", "paramiko_ssh"],
    description: "How to reach the host unless its ansible_connection says: local runs on the controller, the others over SSH",
  },
  throttle: { anyOf: [{ type: "integer", minimum: 0 }, { type: "string" }], description: "At most this many hosts run the task at once (0: no limit)" },
  tags,
  vars: mapping("Variables for this scope"),
};

/** Keywords of blocks and tasks (and role entries), that a task inherits from the blocks around it. */
const inheritable: Record<string, JsonSchema> = {
  ...common,
  when: condition("Run only when every condition is true"),
  ignore_errors: flag("Go on when the task fails"),
  run_once: flag("Run on the first host of the batch only"),
  delegate_to: str("Run on another host (an inventory host or localhost), with that host's connection variables"),
  delegate_facts: flag("Facts the delegated task returns go to the delegate host rather than to the task's host"),
  any_errors_fatal: flag("A failure stops the play for all hosts"),
};

export const TASK_KEYWORDS: Record<string, JsonSchema> = {
  ...inheritable,
  loop: { anyOf: [{ type: "array" }, { type: "string" }], description: "Items to run the task for" },
  ...WITH_LOOPS,
  loop_control: {
    type: "object",
    additionalProperties: false,
    description: "How the loop runs",
    properties: {
      loop_var: str("Name of the item variable (default item)"),
      index_var: str("Name of the index variable"),
      label: str("What to show for each item"),
    },
  },
  register: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$", description: "Variable receiving the result" },
  notify: stringOrList("Handlers to run when the task changed something"),
  changed_when: condition("When the task counts as changed"),
  failed_when: condition("When the task counts as failed"),
  until: condition("Retry until this is true"),
  retries: { anyOf: [{ type: "integer" }, { type: "string" }], description: "How many retries for until" },
  delay: { anyOf: [{ type: "number" }, { type: "string" }], description: "Seconds between retries" },
  args: mapping("Module arguments (merged with the inline ones, which win)"),
  action: { anyOf: [{ type: "string" }, { type: "object" }], description: "The module and its arguments: `action: copy src=a dest=b` or `action: { module: copy, ... }`" },
  local_action: { anyOf: [{ type: "string" }, { type: "object" }], description: "As action, run on the controller (delegate_to: localhost)" },
  async: { anyOf: [{ type: "integer", minimum: 0 }, { type: "string" }], description: "Seconds the task may run (with poll above 0)" },
  poll: { anyOf: [{ type: "integer", minimum: 0 }, { type: "string" }], description: "With async: seconds between checks; 0 (fire and forget) is not supported" },
};

export const HANDLER_KEYWORDS: Record<string, JsonSchema> = {
  ...TASK_KEYWORDS,
  listen: stringOrList("Topics this handler answers to, besides its name"),
};

export const BLOCK_KEYWORDS: Record<string, JsonSchema> = {
  ...inheritable,
  notify: stringOrList("Handlers to run when a task of the block changed something"),
  block: { type: "array", description: "Tasks" },
  rescue: { type: "array", description: "Tasks run when a task of the block failed" },
  always: { type: "array", description: "Tasks run in any case" },
};

/** Keywords of an entry of `roles:` or of meta/main.yml `dependencies:`; other keys are role parameters. */
export const ROLE_ENTRY_KEYWORDS: Record<string, JsonSchema> = {
  ...inheritable,
  role: str("Role name or path"),
};

export const PLAY_KEYWORDS: Record<string, JsonSchema> = {
  ...common,
  hosts: stringOrList("Host pattern: all, a group, a:b, a:&b, a:!b, globs"),
  vars_files: {
    type: "array",
    items: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
    description: "Files of variables; an inner list means the first file that exists",
  },
  roles: { type: "array", items: { anyOf: [{ type: "string" }, { type: "object" }] }, description: "Roles to apply" },
  pre_tasks: { type: "array", description: "Tasks run before the roles" },
  tasks: { type: "array", description: "Tasks run after the roles" },
  post_tasks: { type: "array", description: "Tasks run after the tasks" },
  handlers: { type: "array", description: "Tasks run once at the end of a section when notified" },
  gather_facts: flag("Collect facts first (default true)"),
  serial: {
    anyOf: [{ type: "integer" }, { type: "string" }, { type: "array", items: { anyOf: [{ type: "integer" }, { type: "string" }] } }],
    description: "Batch size: a number, a percentage, or a list of them",
  },
  any_errors_fatal: flag("A failure on one host stops the play for all"),
  max_fail_percentage: { anyOf: [{ type: "number" }, { type: "string" }], description: "Stop when more hosts than this failed" },
};

export const IMPORT_PLAYBOOK_KEYWORDS: Record<string, JsonSchema> = {
  import_playbook: str("Playbook file to include here"),
  name: str("Name shown in output"),
  tags,
};

/** An object schema over the given keywords (unknown keys refused). */
export function keywordSchema(keywords: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: "object", additionalProperties: false, properties: keywords, required };
}

export const PLAY_SCHEMA = keywordSchema(PLAY_KEYWORDS, ["hosts"]);
export const TASK_SCHEMA = keywordSchema(TASK_KEYWORDS);
export const HANDLER_SCHEMA = keywordSchema(HANDLER_KEYWORDS);
export const BLOCK_SCHEMA = keywordSchema(BLOCK_KEYWORDS, ["block"]);
export const IMPORT_PLAYBOOK_SCHEMA = keywordSchema(IMPORT_PLAYBOOK_KEYWORDS, ["import_playbook"]);
export const ROLE_ENTRY_SCHEMA: JsonSchema = { type: "object", properties: ROLE_ENTRY_KEYWORDS };
