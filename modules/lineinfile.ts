/**
 * lineinfile: Ansible's lineinfile. The file is read as bytes (file_base64, any size), edited by Ansible's own
 * rules (modules/shared/line-edit.ts), and the result written the one way edited files are written
 * (modules/shared/file-edit.ts), so a new content and new attributes are one plan with one diff.
 */
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { editMessage, editSchemas, missingFile, readForEdit } from "./shared/file-edit.js";
import type { ModeArg } from "./shared/file-mode.js";
import { editLines, splitLines, type LineEdit } from "./shared/line-edit.js";
import { applyPutFile, planPutFile } from "./shared/put-file.js";

export interface Args {
  path: string;
  state?: "present" | "absent";
  regexp?: string;
  search_string?: string;
  line?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs?: boolean;
  create?: boolean;
  backup?: boolean;
  firstmatch?: boolean;
  validate?: string;
  owner?: string;
  group?: string;
  mode?: ModeArg;
  unsafe_writes?: boolean;
}

/** Ansible's argument checks, with its messages. */
function checkArgs(ctx: ModuleContext, args: Args): void {
  for (const [a, b] of [["insertbefore", "insertafter"], ["regexp", "search_string"], ["backrefs", "search_string"]] as const) {
    if (args[a] !== undefined && args[b] !== undefined) throw new ModuleError(`parameters are mutually exclusive: ${a}|${b}`);
  }
  const empty = args.regexp === "" ? "regular expression" : args.search_string === "" ? "search string" : undefined;
  if (empty !== undefined) {
    ctx.warn(
      `The ${empty} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.` +
        (args.regexp === "" ? " If this is desired, use '^' to match every line in the file and avoid this warning." : ""),
    );
  }
  if ((args.state ?? "present") === "present") {
    if (args.backrefs === true && args.regexp === undefined) throw new ModuleError("regexp is required with backrefs=true");
    if (args.line === undefined) throw new ModuleError("line is required with state=present");
  } else if (args.line === undefined && args.regexp === undefined && args.search_string === undefined) {
    throw new ModuleError("one of line, search_string, or regexp is required with state=absent");
  }
}

function edit(lines: string[], args: Args): LineEdit {
  try {
    return editLines(lines, args);
  } catch (error) {
    // A regexp JavaScript cannot read fails the task, not the run.
    throw new ModuleError(error instanceof Error ? error.message : String(error));
  }
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  checkArgs(ctx, args);
  const { path } = args;
  const bytes = await readForEdit(ctx, path, "lineinfile");
  const lines = bytes === undefined ? undefined : splitLines(bytes.toString("latin1"));
  const absent = (args.state ?? "present") === "absent";
  if (lines === undefined) {
    if (absent) return { changed: false, reason: `${path} does not exist`, output: { msg: "file not present", found: 0, backup: "" } };
    if (args.create !== true) return missingFile(ctx, path, `Destination ${path} does not exist !`);
  }
  const result = edit(lines ?? [], args);
  const output = { msg: result.msg, backup: "", ...(absent ? { found: result.found } : {}) };
  if (lines === undefined && !result.changed) return { changed: false, reason: `${path} does not exist and nothing would be written to it`, output };
  const after = Buffer.from(result.lines.join(""), "latin1");
  const plan = await planPutFile(ctx, {
    dest: path,
    content: after,
    owner: args.owner,
    group: args.group,
    mode: args.mode,
    backup: args.backup,
    validate: args.validate,
    validateReport: "edit",
    parents: lines === undefined,
  });
  if (plan.changed !== true) return { changed: false, reason: absent ? `no line of ${path} matches` : `the line is in ${path}`, output };
  const msg = await editMessage(ctx, path, args, result.changed ? result.msg : "");
  return { ...plan, summary: `${plan.summary}: ${msg}`, output: { ...plan.output, ...output, msg } };
}

export default defineModule<Args>({
  name: "lineinfile",
  description: "Ensure a line is in a file, or not, replacing the line a regexp matches (Ansible's lineinfile)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["path"],
    properties: {
      path: { type: "string", minLength: 1, description: "The file to edit on the host (absolute)." },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "Whether the line should be there." },
      regexp: {
        type: "string",
        description:
          "A Python regular expression searched in every line: with `present` the last matching line (the first with `firstmatch`) is replaced by `line`; with `absent` every matching line is removed.",
      },
      search_string: { type: "string", description: "Like `regexp`, but a literal string a line contains." },
      line: { type: "string", description: "The line to insert or replace; with `backrefs`, a template of `\\1`/`\\g<name>` references to the regexp's groups." },
      insertafter: {
        type: "string",
        description: "Where a new line goes when nothing matched: `EOF` (the default), or after the last line matching this regular expression (EOF when none matches).",
      },
      insertbefore: { type: "string", description: "Where a new line goes when nothing matched: `BOF`, or before the last line matching this regular expression (EOF when none matches)." },
      backrefs: { type: "boolean", default: false, description: "Expand `line` with the regexp's groups; when the regexp matches no line, the file is left alone." },
      create: { type: "boolean", default: false, description: "Create the file (and its directories) when it does not exist; otherwise that fails." },
      backup: { type: "boolean", default: false, description: "Keep a copy of the file as it was, with a timestamp in its name; its path is returned as `backup`." },
      firstmatch: { type: "boolean", default: false, description: "Use the first line matching `regexp`/`insertafter`/`insertbefore` instead of the last." },
      ...editSchemas,
    },
  },
  examples: [
    "- lineinfile:\n    path: /etc/ssh/sshd_config\n    regexp: '^#?PermitRootLogin'\n    line: PermitRootLogin no\n    validate: /usr/sbin/sshd -t -f %s",
    "- lineinfile: { path: /etc/hosts, line: 10.0.0.5 db1, insertafter: '^127\\.0\\.0\\.1' }",
    "- lineinfile: { path: /etc/default/rems, regexp: '^(WORKERS)=', line: '\\1=4', backrefs: true }",
    "- lineinfile: { path: /etc/sudoers.d/rems, line: 'rems ALL=(ALL) NOPASSWD: /bin/systemctl restart rems', create: true, mode: '0440' }",
    "- lineinfile: { path: /etc/environment, regexp: '^http_proxy=', state: absent }",
  ],
  capabilities: { diff: true, idempotent: true },
  aliases: { dest: "path", destfile: "path", name: "path", regex: "regexp", value: "line" },
  check,
  async apply(ctx, _args, plan) {
    const applied = await applyPutFile(ctx, plan);
    const { backup_file: backup, ...output } = applied.output ?? {};
    return { ...applied, output: { ...output, backup: backup ?? "" } };
  },
});
