/**
 * Argument schemas of the engine's own actions (run by the executor, not by a module). Same shape as a
 * module's, so the loader parses and validates both alike.
 */
import type { JsonSchema } from "../module-api.js";

export interface ActionSpec {
  name: string;
  schema: JsonSchema;
  /** Argument receiving free-form text (`meta: flush_handlers`, `include_tasks: setup.yml`). */
  freeForm?: string;
  /** Ansible's other names of arguments, alias → argument, as a module's (ModuleDefinition.aliases). */
  aliases?: Readonly<Record<string, string>>;
}

const anything = { description: "Any value" };

const roleArgs: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", description: "Role name or path" },
    tasks_from: { type: "string", description: "Task file of the role to run instead of main" },
    vars_from: { type: "string", description: "Vars file of the role to load instead of main" },
    defaults_from: { type: "string", description: "Defaults file of the role to load instead of main" },
    handlers_from: { type: "string", description: "Handlers file of the role to load instead of main" },
    public: { type: "boolean", description: "Expose the role's variables to later tasks" },
    allow_duplicates: { type: "boolean", description: "Run the role even if it already ran with the same parameters" },
    apply: { type: "object", description: "Keywords applied to the included tasks" },
  },
};

const fileArgs: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["file"],
  properties: {
    file: { type: "string", description: "Task file, relative to the including file" },
    apply: { type: "object", description: "Keywords applied to the included tasks" },
  },
};

/** setup's arguments (gather_facts takes them too, and hands them to setup, as Ansible's). */
const setupArgs = {
  gather_subset: {
    anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
    description: "Ansible's fact subsets (all, min, hardware, network, !name ...): accepted; rems-play's one probe gathers its whole set of facts",
  },
  filter: {
    anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
    description: "Keep only the facts whose ansible_ name matches one of these shell patterns (ansible_distribution*, distribution*)",
  },
  gather_timeout: { type: "integer", minimum: 0, description: "Accepted for Ansible compatibility: the probe is one command, bounded by the connection's timeout" },
} as const;

const actions: ActionSpec[] = [
  {
    name: "debug",
    schema: {
      type: "object",
      additionalProperties: false,
      properties: {
        msg: { ...anything, description: "Message to print" },
        var: { type: "string", description: "Variable (expression) to print" },
        verbosity: { type: "integer", minimum: 0, description: "Print only at this -v level or above" },
      },
    },
  },
  {
    name: "assert",
    schema: {
      type: "object",
      additionalProperties: false,
      required: ["that"],
      properties: {
        that: {
          anyOf: [{ type: "string" }, { type: "boolean" }, { type: "array", items: { anyOf: [{ type: "string" }, { type: "boolean" }] } }],
          description: "Conditions that must all be true",
        },
        fail_msg: { ...anything, description: "Message when an assertion fails" },
        msg: { ...anything, description: "Old name of fail_msg" },
        success_msg: { ...anything, description: "Message when all assertions pass" },
        quiet: { type: "boolean", description: "Print less" },
      },
    },
  },
  {
    name: "fail",
    freeForm: "msg",
    schema: { type: "object", additionalProperties: false, properties: { msg: { ...anything, description: "Why the play fails" } } },
  },
  {
    name: "set_fact",
    schema: {
      type: "object",
      properties: { cacheable: { type: "boolean", description: "Accepted for Ansible compatibility; facts are not cached" } },
      additionalProperties: { description: "Variables to set on the host" },
    },
  },
  {
    name: "meta",
    freeForm: "action",
    schema: {
      type: "object",
      additionalProperties: false,
      required: ["action"],
      properties: {
        action: { enum: ["flush_handlers", "noop", "end_play", "end_host"], description: "What to do" },
      },
    },
  },
  {
    name: "include_vars",
    freeForm: "file",
    schema: {
      type: "object",
      additionalProperties: false,
      properties: {
        file: { type: "string", description: "A YAML or JSON file of variables: in a role its vars/ first, then beside the task, then the playbook's vars/ and directory" },
        dir: { type: "string", description: "A directory whose files of variables are read in name order (in a role, under its vars/)" },
        name: { type: "string", description: "Put the variables under this one variable instead of at the top level" },
        depth: { type: "integer", minimum: 0, description: "With dir: how many directory levels to read (0: all)" },
        files_matching: { type: "string", description: "With dir: read only the files whose name this regular expression matches" },
        ignore_files: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }], description: "With dir: file names to skip (regular expressions matched at their end)" },
        extensions: { type: "array", items: { type: "string" }, description: "With dir: the file extensions read (default json, yaml, yml)" },
        ignore_unknown_extensions: { type: "boolean", description: "With dir: skip files with other extensions instead of failing" },
        hash_behaviour: { enum: ["replace", "merge"], description: "merge: a mapping joins the variable's current mapping instead of replacing it" },
      },
    },
  },
  { name: "setup", schema: { type: "object", additionalProperties: false, properties: setupArgs } },
  {
    name: "gather_facts",
    schema: {
      type: "object",
      additionalProperties: false,
      properties: { ...setupArgs, parallel: { type: "boolean", description: "Accepted for Ansible compatibility: there is one facts module, so nothing to run in parallel" } },
    },
  },
  { name: "include_tasks", freeForm: "file", schema: fileArgs },
  { name: "import_tasks", freeForm: "file", schema: fileArgs },
  { name: "include_role", schema: roleArgs },
  { name: "import_role", schema: roleArgs },
];

export const ENGINE_ACTIONS: ReadonlyMap<string, ActionSpec> = new Map(actions.map((a) => [a.name, a]));
