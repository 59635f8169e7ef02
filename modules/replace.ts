/**
 * replace: Ansible's replace. Every match of a Python regexp (MULTILINE) in the file's text, or in the part of it
 * between `after` and `before`, is replaced by a template of its groups, as Python's re.subn does; the result is
 * written as every edited file is (modules/shared/file-edit.ts). Ansible's quirks are kept because roles rely on
 * them: a section pattern that matches nothing leaves the file and its attributes alone, and a replacement equal
 * to what it replaces is no change.
 */
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { expandReplacement, pyRegex } from "../engine/template/regex.js";
import { editMessage, editSchemas, missingFile, readForEdit } from "./shared/file-edit.js";
import type { ModeArg } from "./shared/file-mode.js";
import { applyPutFile, planPutFile } from "./shared/put-file.js";

export interface Args {
  path: string;
  regexp: string;
  replace?: string;
  after?: string;
  before?: string;
  backup?: boolean;
  validate?: string;
  encoding?: string;
  owner?: string;
  group?: string;
  mode?: ModeArg;
  unsafe_writes?: boolean;
}

/** Python's codec names → Node's, for the encodings Node can both read and write. */
const ENCODINGS: Readonly<Record<string, BufferEncoding>> = { "utf-8": "utf8", utf8: "utf8", "latin-1": "latin1", latin1: "latin1", "iso-8859-1": "latin1" };

function encodingOf(name: string): BufferEncoding {
  const encoding = ENCODINGS[name.toLowerCase().replaceAll("_", "-")];
  if (encoding === undefined) throw new ModuleError(`encoding ${name} is not supported here: give utf-8 or latin-1`);
  return encoding;
}

function compile(pattern: string, options: { multiline?: boolean; dotall?: boolean }, flags: string): RegExp {
  try {
    return pyRegex(pattern, options, flags);
  } catch (error) {
    throw new ModuleError(error instanceof Error ? error.message : String(error));
  }
}

/** Ansible's pattern of the section between `after` and `before` (empty: the whole file); it tests them for truth. */
function sectionPattern({ after, before }: Args): string {
  if (after && before) return `${after}(?P<subsection>.*?)${before}`;
  if (after) return `${after}(?P<subsection>.*)`;
  return before ? `(?P<subsection>.*)${before}` : "";
}

/** Where the section is in the text; undefined when its pattern matches nothing. */
function section(text: string, pattern: string): { start: number; end: number } | undefined {
  if (pattern === "") return { start: 0, end: text.length };
  const span = compile(pattern, { dotall: true }, "d").exec(text)?.indices?.groups?.["subsection"];
  return span === undefined ? undefined : { start: span[0], end: span[1] };
}

/** Python's re.subn: the text with every match replaced by the template's expansion, and how many there were. */
function subn(text: string, regexp: string, template: string): { text: string; count: number } {
  let out = "";
  let last = 0;
  let count = 0;
  for (const match of text.matchAll(compile(regexp, { multiline: true }, "g"))) {
    out += text.slice(last, match.index) + expandReplacement(template, match);
    last = match.index + match[0].length;
    count++;
  }
  return { text: out + text.slice(last), count };
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  const { path } = args;
  const encoding = encodingOf(args.encoding ?? "utf-8");
  const bytes = await readForEdit(ctx, path, "replace");
  if (bytes === undefined) return missingFile(ctx, path, `Path ${path} does not exist !`);
  const text = bytes.toString(encoding);
  if (!Buffer.from(text, encoding).equals(bytes)) throw new ModuleError(`${path} is not ${args.encoding ?? "utf-8"} text: give its encoding`);
  const pattern = sectionPattern(args);
  const where = section(text, pattern);
  if (where === undefined) {
    // Ansible stops here: not even the attributes are set.
    const msg = `Pattern for before/after params did not match the given file: ${pattern}`;
    return { changed: false, reason: `the after/before section is not in ${path}`, output: { msg, rc: 0 } };
  }
  const part = text.slice(where.start, where.end);
  const result = subn(part, args.regexp, args.replace ?? "");
  const edited = result.count > 0 && result.text !== part;
  const after = edited ? text.slice(0, where.start) + result.text + text.slice(where.end) : text;
  const want = { owner: args.owner, group: args.group, mode: args.mode };
  const plan = await planPutFile(ctx, { dest: path, content: Buffer.from(after, encoding), ...want, backup: args.backup, validate: args.validate, validateReport: "edit" });
  if (plan.changed !== true) {
    return { changed: false, reason: result.count === 0 ? `nothing in ${path} matches` : `the matches in ${path} are replaced already`, output: { msg: "", rc: 0 } };
  }
  const msg = await editMessage(ctx, path, want, edited ? `${result.count} replacements made` : "");
  return { ...plan, summary: `${plan.summary}: ${msg}`, output: { ...plan.output, msg, rc: 0 } };
}

export default defineModule<Args>({
  name: "replace",
  description: "Replace every match of a regular expression in a file (Ansible's replace)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["path", "regexp"],
    properties: {
      path: { type: "string", minLength: 1, description: "The file to edit on the host (absolute); it must exist." },
      regexp: {
        type: "string",
        description: "A Python regular expression, MULTILINE (`^` and `$` match at every line), searched in the whole text: it may span lines.",
      },
      replace: { type: "string", default: "", description: "What each match becomes: a template of `\\1`/`\\g<name>` references to its groups; empty removes the match." },
      after: { type: "string", description: "Only replace after the first match of this regular expression (DOTALL)." },
      before: { type: "string", description: "Only replace before the last match of this regular expression (DOTALL); with `after`, between the two." },
      backup: { type: "boolean", default: false, description: "Keep a copy of the file as it was, with a timestamp in its name; its path is returned as `backup_file`." },
      encoding: { type: "string", default: "utf-8", description: "The file's encoding: `utf-8` or `latin-1`." },
      ...editSchemas,
    },
  },
  examples: [
    "- replace:\n    path: /etc/ssh/sshd_config\n    regexp: '^#?PasswordAuthentication .*$'\n    replace: PasswordAuthentication no\n    validate: /usr/sbin/sshd -t -f %s",
    "- replace: { path: /etc/hosts, regexp: '(\\s+)old\\.example\\.com(\\s+.*)?$', replace: '\\1new.example.com\\2', backup: true }",
    "- replace: { path: /etc/apache2/ports.conf, after: '<IfModule ssl_module>', before: '</IfModule>', regexp: '^(\\s*)Listen 443$', replace: '\\1Listen 8443' }",
  ],
  capabilities: { diff: true, idempotent: true },
  aliases: { dest: "path", destfile: "path", name: "path" },
  check,
  apply: (ctx, _args, plan) => applyPutFile(ctx, plan),
});
