/**
 * pamd: community.general's pamd. The service file PATH/NAME is read in the batched probe (as every in-place edit
 * reads its file), edited on the controller by pamd's rules (modules/shared/pam-service.ts) and written as put-file
 * writes, keeping the file's owner and mode. A rule is found by its type, control and module path, all three as
 * written in the file (a bracketed control with single spaces); every rule that matches is edited.
 */
import { posix } from "node:path";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { missingFile, readForEdit } from "./shared/file-edit.js";
import {
  addArgs,
  insertRule,
  invalidLine,
  PAM_TYPES,
  PamFileError,
  parseArgs,
  parsePamService,
  removeArgs,
  removeRules,
  renderPamService,
  updateRules,
  type PamLine,
} from "./shared/pam-service.js";
import { applyPutFile, planPutFile } from "./shared/put-file.js";

type PamType = (typeof PAM_TYPES)[number];

export interface Args {
  name: string;
  type: PamType;
  control: string;
  module_path: string;
  new_type?: PamType;
  new_control?: string;
  new_module_path?: string;
  module_arguments?: string | string[];
  state?: "updated" | "before" | "after" | "args_present" | "args_absent" | "absent";
  path?: string;
  backup?: boolean;
}

/** What each state needs besides type, control and module_path (Ansible's required_if). */
const REQUIRED: Partial<Record<NonNullable<Args["state"]>, (keyof Args)[]>> = {
  args_present: ["module_arguments"],
  args_absent: ["module_arguments"],
  before: ["new_control", "new_type", "new_module_path"],
  after: ["new_control", "new_type", "new_module_path"],
};

/** module_arguments as Ansible's list type takes it (a string is split at commas), then cut as pamd cuts it. */
function argumentList(value: string | string[] | undefined): string[] | undefined {
  return value === undefined ? undefined : parseArgs(typeof value === "string" ? value.split(",") : value);
}

/** The edit STATE makes to LINES; how many rules it changed. */
function edit(lines: PamLine[], args: Args): number {
  const key = { type: args.type, control: args.control, path: args.module_path };
  const moduleArgs = argumentList(args.module_arguments);
  const state = args.state ?? "updated";
  switch (state) {
    case "updated":
      return updateRules(lines, key, { type: args.new_type, control: args.new_control, path: args.new_module_path, args: moduleArgs });
    case "before":
    case "after":
      return insertRule(lines, key, { type: args.new_type ?? "", control: args.new_control ?? "", path: args.new_module_path ?? "", args: moduleArgs ?? [] }, state);
    case "args_present":
      return addArgs(lines, key, moduleArgs ?? []);
    case "args_absent":
      return removeArgs(lines, key, moduleArgs ?? []);
    case "absent":
      return removeRules(lines, key);
  }
}

/** The mark's time as pamd writes it (Python's isoformat), from the controller's clock in UTC. */
function markTime(): string {
  return `${new Date().toISOString().slice(0, -1)}000`;
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  const state = args.state ?? "updated";
  const missing = (REQUIRED[state] ?? []).filter((arg) => args[arg] === undefined);
  if (missing.length > 0) throw new ModuleError(`state is ${state} but all of the following are missing: ${missing.join(", ")}`);
  if (state === "args_present" && argumentList(args.module_arguments)?.some((arg) => arg.startsWith("[")) === true) {
    throw new ModuleError("Unable to process bracketed '[' complex arguments with 'args_present'. Please use 'updated'.");
  }
  const dir = args.path ?? "/etc/pam.d";
  const file = args.name.startsWith("/") ? args.name : posix.join(dir, args.name);
  const current = await readForEdit(ctx, file, "pamd");
  if (current === undefined) {
    return missingFile(ctx, file, `Unable to open/read PAM module file ${file} with error [Errno 2] No such file or directory: '${file}'.`);
  }
  let lines: PamLine[];
  let changes: number;
  try {
    lines = parsePamService(current.toString("utf8"));
    changes = edit(lines, args);
  } catch (error) {
    if (error instanceof PamFileError) throw new ModuleError(`${file}: ${error.message}`);
    throw error;
  }
  const invalid = invalidLine(lines);
  if (invalid !== undefined) throw new ModuleError(invalid);
  const output = { change_count: changes, backupdest: "" };
  const rule = `${args.type} ${args.control} ${args.module_path}`;
  if (changes === 0) return { changed: false, reason: `${file} needs no change for ${state} of ${rule}`, output };
  const plan = await planPutFile(ctx, { dest: file, content: renderPamService(lines, markTime()), backup: args.backup });
  if (plan.changed !== true) return { changed: false, reason: `${file} has the wanted rules`, output };
  return { ...plan, summary: `${state} ${rule} in ${file} (${changes} rule${changes === 1 ? "" : "s"})`, output };
}

const typeSchema = { type: "string", enum: [...PAM_TYPES] } as const;

export default defineModule<Args>({
  name: "pamd",
  description: "Change, add or remove rules of a PAM service file in /etc/pam.d (community.general's pamd)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name", "type", "control", "module_path"],
    properties: {
      name: { type: "string", minLength: 1, description: "The PAM service file to change, in `path` (`common-auth`, `sshd`)." },
      type: { ...typeSchema, description: "The type of the rule to find. Type, control and module_path must all match a rule." },
      control: {
        type: "string",
        minLength: 1,
        description: "The control of the rule to find: a word (`required`) or a bracketed control in quotes (`'[success=1 default=ignore]'`), with single spaces, as in the file.",
      },
      module_path: { type: "string", minLength: 1, description: "The module path of the rule to find (`pam_unix.so`)." },
      new_type: { ...typeSchema, description: "The type to give the rule (updated), or of the new rule (before, after)." },
      new_control: { type: "string", minLength: 1, description: "The control to give the rule (updated), or of the new rule (before, after)." },
      new_module_path: { type: "string", minLength: 1, description: "The module path to give the rule (updated), or of the new rule (before, after)." },
      module_arguments: {
        anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
        description:
          "Module arguments (a list, or one comma-separated string). updated: they replace the rule's (an empty list removes them); before/after: the new rule's; args_present: added when missing, a `key=value`'s value replaced; args_absent: removed where written exactly so.",
      },
      state: {
        type: "string",
        enum: ["updated", "before", "after", "args_present", "args_absent", "absent"],
        default: "updated",
        description:
          "updated: change the matching rules; before/after: insert the rule of new_type, new_control and new_module_path next to each matching rule unless it is there already; args_present/args_absent: add or remove module_arguments; absent: remove the matching rules.",
      },
      path: { type: "string", minLength: 1, default: "/etc/pam.d", description: "The directory of the PAM service files." },
      backup: { type: "boolean", default: false, description: "Keep a copy of the file as it was, with a timestamp in its name; its path is returned as `backupdest`." },
    },
  },
  examples: [
    "- pamd: { name: login, type: auth, control: required, module_path: pam_faildelay.so, new_control: optional }",
    "- pamd:\n    name: common-auth\n    type: auth\n    control: '[success=1 default=ignore]'\n    module_path: pam_unix.so\n    state: args_absent\n    module_arguments: nullok",
    "- pamd:\n    name: sshd\n    type: auth\n    control: required\n    module_path: pam_env.so\n    new_type: auth\n    new_control: required\n    new_module_path: pam_faillock.so\n    module_arguments: [preauth, silent]\n    state: before",
    "- pamd: { name: su, type: session, control: optional, module_path: pam_mail.so, state: absent }",
  ],
  capabilities: { diff: true, idempotent: true },
  check,
  async apply(ctx, _args, plan) {
    const result = await applyPutFile(ctx, plan);
    return { changed: true, output: { ...plan.output, backupdest: result.output?.["backup_file"] ?? "" } };
  },
});
