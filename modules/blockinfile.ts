/**
 * blockinfile: Ansible's blockinfile. The file's bytes are edited by Ansible's own rules
 * (modules/shared/block-edit.ts) and written as every edited file is (put-file), so a new block and new
 * attributes are one plan with one diff, headed as Ansible heads it ("<path> (content)").
 */
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { DEFAULT_MARKER, editBlock, type BlockEdit } from "./shared/block-edit.js";
import { editMessage, editSchemas, missingFile, readForEdit } from "./shared/file-edit.js";
import type { ModeArg } from "./shared/file-mode.js";
import { applyPutFile, planPutFile } from "./shared/put-file.js";

export interface Args {
  path: string;
  state?: "present" | "absent";
  marker?: string;
  marker_begin?: string;
  marker_end?: string;
  block?: string;
  insertafter?: string;
  insertbefore?: string;
  create?: boolean;
  backup?: boolean;
  validate?: string;
  owner?: string;
  group?: string;
  mode?: ModeArg;
  unsafe_writes?: boolean;
}

function edit(original: string | undefined, args: Args): BlockEdit {
  try {
    return editBlock(original, args);
  } catch (error) {
    // A regexp JavaScript cannot read fails the task, not the run.
    throw new ModuleError(error instanceof Error ? error.message : String(error));
  }
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  if (args.insertafter !== undefined && args.insertbefore !== undefined) throw new ModuleError("parameters are mutually exclusive: insertbefore|insertafter");
  const { path } = args;
  const current = await readForEdit(ctx, path, "blockinfile");
  if (current === undefined) {
    // Ansible asks for create first, even to remove a block.
    if (args.create !== true) return missingFile(ctx, path, `Path ${path} does not exist !`);
    if ((args.state ?? "present") === "absent") return { changed: false, reason: `${path} does not exist`, output: { msg: `File ${path} not present` } };
  }
  const original = current?.toString("latin1");
  const result = edit(original, args);
  const want = { owner: args.owner, group: args.group, mode: args.mode };
  const plan = await planPutFile(ctx, {
    dest: path,
    content: Buffer.from(result.content, "latin1"),
    ...want,
    backup: args.backup,
    validate: args.validate,
    validateReport: "edit",
    parents: current === undefined,
  });
  if (plan.changed !== true) return { changed: false, reason: (args.state ?? "present") === "absent" ? `the block is not in ${path}` : `the block is in ${path}`, output: { msg: "" } };
  const msg = await editMessage(ctx, path, want, result.msg);
  const diffs = plan.diffs?.map((diff) => (diff.metadata === true ? diff : { ...diff, beforeHeader: `${path} (content)`, afterHeader: `${path} (content)` }));
  return { ...plan, summary: `${plan.summary}: ${msg}`, ...(diffs === undefined ? {} : { diffs }), output: { ...plan.output, msg } };
}

export default defineModule<Args>({
  name: "blockinfile",
  description: "Ensure a block of lines between two marker lines is in a file, or not (Ansible's blockinfile)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["path"],
    properties: {
      path: { type: "string", minLength: 1, description: "The file to edit on the host (absolute)." },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "Whether the block should be there." },
      marker: {
        type: "string",
        default: DEFAULT_MARKER,
        description: "The marker lines' template: `{mark}` becomes `marker_begin` or `marker_end`. Give each block of a file its own marker.",
      },
      marker_begin: { type: "string", default: "BEGIN", description: "What `{mark}` becomes in the first marker line." },
      marker_end: { type: "string", default: "END", description: "What `{mark}` becomes in the last marker line." },
      block: { type: "string", default: "", description: "The lines between the markers; empty removes the block, markers included." },
      insertafter: {
        type: "string",
        description:
          "Where a new block goes when the markers are not found: `EOF` (the default), or after the last line matching this regular expression (EOF when none matches); with `(?m)` first, the regexp is searched in the whole file.",
      },
      insertbefore: { type: "string", description: "Where a new block goes when the markers are not found: `BOF`, or before the last line matching this regular expression (EOF when none matches)." },
      create: { type: "boolean", default: false, description: "Create the file (and its directories) when it does not exist; otherwise that fails." },
      backup: { type: "boolean", default: false, description: "Keep a copy of the file as it was, with a timestamp in its name; its path is returned as `backup_file`." },
      ...editSchemas,
    },
  },
  examples: [
    "- blockinfile:\n    path: /etc/ssh/sshd_config\n    block: |\n      Match User deploy\n        PasswordAuthentication no\n    validate: /usr/sbin/sshd -t -f %s",
    "- blockinfile: { path: /etc/hosts, marker: '# {mark} rems hosts', block: \"10.0.0.5 db1\\n10.0.0.6 db2\", insertafter: '^127\\.0\\.0\\.1' }",
    "- blockinfile: { path: /var/www/html/index.html, marker: '<!-- {mark} rems -->', insertbefore: '</body>', content: '<p>maintenance</p>' }",
    "- blockinfile: { path: /etc/hosts, marker: '# {mark} rems hosts', state: absent }",
  ],
  capabilities: { diff: true, idempotent: true },
  aliases: { dest: "path", destfile: "path", name: "path", content: "block" },
  check,
  apply: (ctx, _args, plan) => applyPutFile(ctx, plan),
});
