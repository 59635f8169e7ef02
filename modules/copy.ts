/**
 * copy: put a file or a directory tree from the controller (or a file already on the host) at dest, as Ansible's
 * copy. Files are written atomically by put-file; a tree sends only the files that differ, in one exec. A
 * vault-encrypted controller file is decrypted on the controller (Ansible's `decrypt: true`, its default).
 */
import { statSync } from "node:fs";
import { basename, posix } from "node:path";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { fileStat } from "./facts/file-stat.js";
import { modeSchema, type ModeArg } from "./shared/file-mode.js";
import { applyPutFile, attrSchemas, planPutFile } from "./shared/put-file.js";
import { validateSchema } from "./shared/validate.js";
import { planPutTree } from "./shared/put-tree.js";
import { sourceFile } from "./shared/source-file.js";

export interface CopyArgs {
  dest: string;
  src?: string;
  content?: string;
  owner?: string;
  group?: string;
  mode?: ModeArg;
  directory_mode?: ModeArg;
  backup?: boolean;
  validate?: string;
  force?: boolean;
  remote_src?: boolean;
  exclusive?: boolean;
  keep?: string[];
}

/** Where a file from src lands: dest itself, or inside dest when dest is a directory (ends in / or is one). */
async function fileDest(ctx: ModuleContext, dest: string, src: string): Promise<string> {
  if (dest.endsWith("/")) return posix.join(dest, basename(src));
  const stat = await ctx.fact(fileStat, { path: dest, follow: true });
  return stat.exists && stat.type === "directory" ? posix.join(dest, basename(src)) : dest;
}

async function planCopy(ctx: ModuleContext, args: CopyArgs): Promise<Plan> {
  const attrs = { owner: args.owner, group: args.group, mode: args.mode };
  const common = { ...attrs, backup: args.backup, validate: args.validate, force: args.force };
  if (args.content !== undefined) {
    if (args.src !== undefined) throw new ModuleError("give either src or content, not both");
    if (args.dest.endsWith("/")) throw new ModuleError(`dest must be a file path when content is given: '${args.dest}'`);
    return planPutFile(ctx, { ...common, dest: args.dest, content: args.content });
  }
  if (args.src === undefined) throw new ModuleError("src or content is required");
  if (args.remote_src === true) {
    return planPutFile(ctx, { ...common, dest: await fileDest(ctx, args.dest, args.src), remoteSrc: args.src });
  }
  const local = ctx.findFile(args.src, "files");
  const stat = statSync(local);
  if (stat.isDirectory()) {
    if (args.backup === true) throw new ModuleError("backup applies to a single file, not to a directory src");
    // Like rsync and Ansible: "dir/" copies the directory's content, "dir" the directory itself.
    const dest = args.src.endsWith("/") ? args.dest.replace(/(.)\/$/, "$1") : posix.join(args.dest, basename(local));
    const exclusiveKeep = args.exclusive === true ? (args.keep ?? []) : undefined;
    return planPutTree(ctx, { ...attrs, src: local, source: args.src, dest, directoryMode: args.directory_mode, force: args.force, exclusiveKeep, validate: args.validate });
  }
  if (args.exclusive === true) throw new ModuleError("exclusive applies to a directory src (a tree), not to a single file");
  const dest = await fileDest(ctx, args.dest, args.src);
  // A new file keeps the controller file's execute bits (minus group/other write, a umask of 022).
  // Hashed once the host was read (the prefetch pass stops before), streamed from disk when sent.
  return planPutFile(ctx, { ...common, dest, content: () => sourceFile(ctx, local), newFileMode: stat.mode & 0o755, source: args.src });
}

export default defineModule<CopyArgs>({
  name: "copy",
  description: "Copy a file or a directory tree to the host, or write given content to a file",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["dest"],
    properties: {
      dest: { type: "string", minLength: 1, description: "Absolute path on the host; a directory (or a path ending in /) receives src inside it" },
      src: {
        type: "string",
        minLength: 1,
        description:
          "File or directory on the controller, searched in the role's files/ then relative to the playbook; " +
          "a directory ending in / copies its content, without / the directory itself; vault-encrypted files are decrypted on the controller. " +
          "With remote_src, a file on the host",
      },
      content: { type: "string", description: "Text to write to dest instead of copying src" },
      ...attrSchemas,
      mode: modeSchema,
      directory_mode: { ...modeSchema, description: "Permissions of directories created when copying a directory tree; existing ones are left as they are" },
      backup: { type: "boolean", default: false, description: "Keep the replaced file as dest.<timestamp>~; its path is returned as backup_file" },
      validate: validateSchema,
      force: { type: "boolean", default: true, description: "Replace a file whose content differs; false only writes files that do not exist yet" },
      remote_src: { type: "boolean", default: false, description: "src is a file on the host rather than on the controller" },
      exclusive: {
        type: "boolean",
        default: false,
        description:
          "rems-play addition, with a directory src: the tree is exclusive. Whatever is under dest that src does not have (a file added by hand) is removed, except the paths in `keep`: a normal run names each one in its change summary, an audit reports it as drift (exit 10 with `--detailed-exitcode`)",
      },
      keep: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description: "rems-play addition, with `exclusive`: paths under dest that stay although src does not have them (data, a virtualenv, secrets written by other tasks), relative to dest or absolute; a directory keeps everything in it",
      },
    },
  },
  examples: [
    "- copy:\n    src: app/\n    dest: /opt/rems/app\n    owner: rems\n    group: rems\n    mode: u=rwX,g=rX,o=rX",
    "- copy:\n    content: \"SECRET_KEY={{ rems_secret_key }}\\n\"\n    dest: /etc/rems/rems.env\n    mode: \"0640\"",
    "# An exclusive tree: /opt/rems holds app/'s files and the kept paths only. A file added by hand is drift in an\n# audit and removed by the next run.\n- copy:\n    src: app/\n    dest: /opt/rems/\n    exclusive: true\n    keep: [instance, venv, .env]",
    "- copy:\n    src: sudoers-rems\n    dest: /etc/sudoers.d/rems\n    validate: visudo -cf %s\n    backup: true",
  ],
  capabilities: { diff: true, idempotent: true },
  // With remote_src (or a templated one, which may be true) src is on the host; with content there is no src.
  controllerFile: (args) => (args.content === undefined && (args.remote_src === undefined || args.remote_src === false) ? { arg: "src", kind: "files" } : undefined),
  check: planCopy,
  apply: (ctx, _args, plan) => applyPutFile(ctx, plan),
});
