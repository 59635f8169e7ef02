/**
 * file: the state of a path on the host (Ansible's file): a directory, a file's owner/group/mode, a symlink or
 * hard link, an empty file (touch), or nothing (absent). It never writes content; that is copy and template.
 */
import { andThen, sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import type { FactRequest } from "../engine/facts.js";
import { defineModule, type ChangePlan, type ModuleContext, type Plan, type Prediction } from "../engine/module-api.js";
import { dirTree, type DirTree } from "./facts/dir-tree.js";
import { fileContent, type FileContent } from "./facts/file-content.js";
import { fileFlagsFact } from "./facts/file-flags.js";
import { fileStat, type FileStat, type PresentFile } from "./facts/file-stat.js";
import { extraEntries, remaining, removeExtras } from "./shared/exclusive-dir.js";
import { formatMode, modeSchema, parseMode, type ModeArg } from "./shared/file-mode.js";
import { flagsCommand } from "./shared/file-flags.js";
import { attrCommands, attrDiff, attrSchemas, describeChanges, planAttrs, predictStat, type FileAttrs } from "./shared/put-file.js";

export type FileState = "file" | "directory" | "link" | "hard" | "touch" | "absent";

export interface FileArgs {
  path: string;
  state?: FileState;
  src?: string;
  owner?: string;
  group?: string;
  mode?: ModeArg;
  recurse?: boolean;
  follow?: boolean;
  force?: boolean;
  modification_time?: TimeArg;
  access_time?: TimeArg;
  attributes?: string;
  exclusive?: boolean;
  keep?: string[];
  keep_listed_in?: string;
}

/** The arguments as written: a missing path fails the task when it runs, as in Ansible. */
export type Args = Omit<FileArgs, "path"> & Partial<Pick<FileArgs, "path">>;

/** Ansible's file times: `preserve` leaves them, `now` sets them (timestamps in a given format are not supported). */
type TimeArg = "preserve" | "now";

function attrsOf(args: FileArgs): FileAttrs {
  return { owner: args.owner, group: args.group, mode: args.mode };
}

function ownership(args: FileArgs): string | undefined {
  if (args.owner === undefined) return args.group === undefined ? undefined : `:${args.group}`;
  return args.group === undefined ? args.owner : `${args.owner}:${args.group}`;
}

function change(summary: string, commands: Command[], predicts: Prediction[] = []): ChangePlan {
  return { changed: true, summary, commands, predicts };
}

/** A new path: created by `create`, then given the wanted owner and mode. */
function createPlan(args: FileArgs, what: string, create: Command, type: "file" | "directory", base: number, previous: FileStat): Plan {
  const attrs = planAttrs(undefined, attrsOf(args), type, base);
  const own = ownership(args);
  const commands = [create, ...(own === undefined ? [] : [sh`chown ${own} -- ${args.path}`])];
  if (args.mode !== undefined) commands.push(sh`chmod ${formatMode(attrs.mode)} -- ${args.path}`);
  const predicted = { type, mode: formatMode(attrs.mode), owner: attrs.owner, group: attrs.group, size: type === "directory" ? 4096 : 0 };
  return change(`${what} ${args.path}`, commands, predictStat(args.path, predicted, previous));
}

/** The path and each directory above it, outermost first: /opt/rems/app → /opt, /opt/rems, /opt/rems/app. */
function pathChain(path: string): string[] {
  const parts = path.split("/").filter((part) => part !== "");
  const root = path.startsWith("/") ? "/" : "";
  return parts.map((_, index) => root + parts.slice(0, index + 1).join("/"));
}

/**
 * A missing directory and its missing parents, each given the task's owner, group and mode as Ansible's file does
 * (not `mkdir -p`, whose parents would be root's 0755); the ones that exist are left as they are.
 */
function directoryPlan(args: FileArgs, previous: FileStat): Plan {
  const attrs = planAttrs(undefined, attrsOf(args), "directory", 0o755);
  const own = ownership(args);
  const made = pathChain(args.path).map((dir) => {
    const steps = [sh`mkdir -- ${dir}`];
    if (own !== undefined) steps.push(sh`chown ${own} -- ${dir}`);
    if (args.mode !== undefined) steps.push(sh`chmod ${formatMode(attrs.mode)} -- ${dir}`);
    return sh`{ [ -d ${dir} ] || { ${andThen(steps)}; }; }`;
  });
  const create = andThen(made);
  const predicted = { type: "directory", mode: formatMode(attrs.mode), owner: attrs.owner, group: attrs.group, size: 4096 } as const;
  return change(`create directory ${args.path}`, [create], predictStat(args.path, predicted, previous));
}

/** Owner/group/mode of an existing path (and, with recurse, of everything under a directory). */
async function attrsPlan(ctx: ModuleContext, args: FileArgs, stat: PresentFile, noop: string): Promise<Plan> {
  const attrs = planAttrs(stat, attrsOf(args), stat.type, 0);
  if (args.recurse === true && stat.type === "directory") return recursePlan(ctx, args, noop);
  if (attrs.changes.length === 0) return { changed: false, reason: noop, output: { path: args.path, ...attrFields(stat) } };
  const { exists: _exists, uid: _uid, gid: _gid, ...kept } = stat;
  const predicted = { ...kept, mode: formatMode(attrs.mode), owner: attrs.owner, group: attrs.group };
  const plan = change(describeChanges(attrs.changes, args.path), attrCommands(args.path, attrsOf(args), attrs), predictStat(args.path, predicted, stat));
  if (ctx.diffMode) plan.diffs = [attrDiff(args.path, attrs)];
  return plan;
}

function attrFields(stat: PresentFile): Record<string, unknown> {
  return { owner: stat.owner, group: stat.group, mode: stat.mode };
}

/** The tree's root is the entry "" of dir_tree, so it is compared with everything under it. */
async function recursePlan(ctx: ModuleContext, args: FileArgs, noop: string): Promise<Plan> {
  const tree = await ctx.fact(dirTree, { path: args.path });
  const entries = tree.exists ? Object.values(tree.entries).filter((e) => e.type !== "link") : [];
  const differing = entries.filter((e) => planAttrs(e, attrsOf(args), e.type, 0).changes.length > 0).length;
  if (differing === 0) return { changed: false, reason: `${noop}, and so is everything under it` };
  const commands: Command[] = [];
  const own = ownership(args);
  if (own !== undefined) commands.push(sh`chown -R ${own} -- ${args.path}`);
  // chmod applies a symbolic mode per file (X included), as planAttrs does.
  if (args.mode !== undefined) {
    const mode = typeof args.mode === "number" ? formatMode(args.mode) : parseMode(args.mode).text;
    commands.push(sh`chmod -R ${mode} -- ${args.path}`);
  }
  const what = [...(own === undefined ? [] : [`owner ${own}`]), ...(args.mode === undefined ? [] : [`mode ${String(args.mode)}`])];
  return change(`set ${what.join(", ")} on ${differing} paths under ${args.path}`, commands);
}

function describeAttrs(args: FileArgs, stat: PresentFile): string {
  const attrs = planAttrs(stat, attrsOf(args), stat.type, 0);
  return `${args.path} is a ${stat.type === "directory" ? "directory" : "file"} (${attrs.owner}:${attrs.group} ${formatMode(attrs.mode)})`;
}

async function planLink(ctx: ModuleContext, args: FileArgs, stat: FileStat): Promise<Plan> {
  const { path, src } = args;
  const hard = args.state === "hard";
  if (src === undefined) throw new ModuleError(`src is required for creating new ${hard ? "hardlinks" : "symlinks"}`);
  const predicts = hard ? [] : [{ fact: fileStat, args: { path, follow: false }, value: { exists: true, type: "link", mode: "0777", owner: "root", group: "root", size: src.length, target: src } } as Prediction];
  if (hard) {
    const target = await ctx.fact(fileStat, { path: src, follow: true });
    if (!target.exists) throw new ModuleError("src does not exist");
    if (stat.exists && stat.inode !== undefined && stat.inode === target.inode) return { changed: false, reason: `${path} is a hard link to ${src}` };
  } else if (stat.exists && stat.type === "link" && stat.target === src) {
    return { changed: false, reason: `${path} is a link to ${src}` };
  }
  const ln = hard ? sh`ln -f -- ${src} ${path}` : sh`ln -sfn -- ${src} ${path}`;
  if (!stat.exists) return change(`link ${path} to ${src}`, [ln], predicts);
  if (stat.type === "directory") throw new ModuleError(`${path} is a directory; it will not be replaced by a link`);
  if (stat.type !== "link" && args.force !== true) throw new ModuleError(`${path} exists and is a ${stat.type}; set force: true to replace it with a link`);
  return change(`replace ${path} with a link to ${src}`, [ln], predicts);
}

async function planFile(ctx: ModuleContext, args: FileArgs): Promise<Plan> {
  const { path, state = "file" } = args;
  if (args.recurse === true && state !== "directory") throw new ModuleError("recurse applies only to state: directory");
  const follow = state === "link" || state === "hard" || state === "absent" ? false : args.follow !== false;
  const stat = await ctx.fact(fileStat, { path, follow });
  switch (state) {
    case "absent":
      if (!stat.exists) return { changed: false, reason: `${path} is absent` };
      return change(`remove ${path}`, [sh`rm -rf -- ${path}`], [false, true].map((f) => ({ fact: fileStat, args: { path, follow: f }, value: { exists: false } })));
    case "link":
    case "hard":
      return planLink(ctx, args, stat);
    case "directory":
      if (!stat.exists) return directoryPlan(args, stat);
      if (stat.type !== "directory") throw new ModuleError(`${path} exists and is a ${stat.type}, not a directory`);
      return attrsPlan(ctx, args, stat, describeAttrs(args, stat));
    case "touch": {
      if (!stat.exists) return createPlan(args, "create empty file", sh`touch -- ${path}`, "file", 0o644, stat);
      // Both times preserved: "the file exists, with these attributes" (Ansible's idempotent touch).
      if (args.modification_time === "preserve" && args.access_time === "preserve") return attrsPlan(ctx, args, stat, describeAttrs(args, stat));
      const attrs = planAttrs(stat, attrsOf(args), stat.type, 0);
      // Like Ansible, touching an existing file always changes its times.
      return change(`touch ${path}`, [sh`touch -- ${path}`, ...attrCommands(path, attrsOf(args), attrs)]);
    }
    case "file":
      if (args.modification_time === "now" || args.access_time === "now") throw new ModuleError("modification_time/access_time: now is supported with state: touch only");
      if (!stat.exists) throw new ModuleError(`${path} does not exist; state: file only changes an existing file (use state: touch, copy or template to create one)`);
      if (stat.type === "directory") throw new ModuleError(`${path} is a directory, not a file`);
      return attrsPlan(ctx, args, stat, describeAttrs(args, stat));
  }
}

/** The file's chattr flags joined to the plan of its other attributes (states that leave a file or directory). */
async function withFlags(ctx: ModuleContext, args: FileArgs, plan: Plan): Promise<Plan> {
  const state = args.state ?? "file";
  if (args.attributes === undefined || state === "absent" || state === "link" || state === "hard") return plan;
  if (plan.changed !== true && plan.changed !== false) return plan;
  // A path created by this task has no flags yet.
  const current = plan.changed && !(await ctx.fact(fileStat, { path: args.path, follow: true })).exists ? { known: true as const, flags: "" } : await ctx.fact(fileFlagsFact, { path: args.path });
  const chattr = flagsCommand(args.path, args.attributes, current);
  if (chattr === undefined) return plan;
  if (plan.changed) return { ...plan, summary: `${plan.summary}; set attributes ${args.attributes}`, commands: [...plan.commands, chattr] };
  return change(`set attributes ${args.attributes} on ${args.path}`, [chattr]);
}

/** What an exclusive directory's plan reads: its tree and the registry of names to keep; asked first, in one round trip. */
function exclusiveFacts(args: FileArgs): FactRequest[] {
  const registry = args.keep_listed_in === undefined ? [] : [{ fact: fileContent, args: { path: args.keep_listed_in } }];
  return [{ fact: dirTree, args: { path: args.path } }, ...registry];
}

/** An exclusive directory: what is in it but not named in keep goes (joined to the plan of the directory itself). */
async function withoutExtras(ctx: ModuleContext, args: FileArgs, plan: Plan): Promise<Plan> {
  if (args.exclusive !== true) return plan;
  if (plan.changed !== true && plan.changed !== false) return plan;
  const [tree, listed] = (await ctx.facts(exclusiveFacts(args))) as [DirTree, FileContent | undefined];
  const entries = tree.exists ? tree.entries : {};
  const registry = listed?.kind === "text" ? listed.content.split("\n").map((line) => line.trim()).filter((line) => line !== "") : [];
  const extras = extraEntries(args.path, Object.keys(entries), new Set(), [...(args.keep ?? []), ...registry]);
  if (extras.length === 0) return plan.changed ? plan : { ...plan, reason: `${plan.reason}, holding nothing but what keep names` };
  const removal = removeExtras(args.path, extras);
  const predicts = [...removal.predicts, { fact: dirTree, args: { path: args.path }, value: { exists: true, entries: remaining(entries, extras) } }];
  if (!plan.changed) return change(removal.summary, [removal.command], predicts);
  return { ...plan, summary: `${plan.summary}, ${removal.summary}`, commands: [...plan.commands, removal.command], predicts: [...(plan.predicts ?? []), ...predicts] };
}

/** Ansible's order: the required path is checked when the task runs (a task without it fails, and can be ignored). */
function withPath(args: Args): FileArgs {
  const { path } = args;
  if (path === undefined) throw new ModuleError("missing required arguments: path");
  return { ...args, path };
}

export default defineModule<Args>({
  name: "file",
  description: "Manage a path's existence, type, owner, group and mode",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      path: { type: "string", minLength: 1, description: "Absolute path on the host (also spelled dest or name). Required: a task without it fails when it runs, as in Ansible" },
      state: {
        type: "string",
        enum: ["file", "directory", "link", "hard", "touch", "absent"],
        default: "file",
        description:
          "file: an existing file's attributes; directory: create it (with parents); link/hard: a symbolic/hard link " +
          "to src; touch: create an empty file or update its times; absent: remove it (recursively)",
      },
      src: { type: "string", minLength: 1, description: "Target of the link (state link or hard)" },
      ...attrSchemas,
      mode: modeSchema,
      recurse: { type: "boolean", default: false, description: "With state directory: set owner, group and mode on everything under path too" },
      follow: { type: "boolean", default: true, description: "Manage what a symlink at path points to rather than the link" },
      force: { type: "boolean", default: false, description: "With state link or hard: replace an existing file at path" },
      modification_time: {
        type: "string",
        enum: ["preserve", "now"],
        description: "With state touch: preserve keeps an existing file's modification time (with access_time: preserve the task is idempotent); now sets it (the default of touch)",
      },
      attributes: {
        type: "string",
        description:
          "chattr flags (also spelled attr): `+A` adds, `-A` removes, `A` (or `\"\"`) is the whole set; a change only when a flag differs. On a file system without attributes the task fails with its error",
      },
      access_time: {
        type: "string",
        enum: ["preserve", "now"],
        description: "With state touch: preserve keeps an existing file's access time; now sets it (the default of touch)",
      },
      exclusive: {
        type: "boolean",
        default: false,
        description:
          "rems-play addition, with state directory: the directory is exclusive, holding only the names in `keep` (sites enabled, drop-in files); anything else in it (an entry added by hand) is removed: a normal run names each one in its change summary, an audit reports it as drift (exit 10 with `--detailed-exitcode`)",
      },
      keep: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description: "rems-play addition, with `exclusive`: the entries the directory keeps, as names in it (or absolute paths); the tasks that write them are others",
      },
      keep_listed_in: {
        type: "string",
        minLength: 1,
        description:
          "rems-play addition, with `exclusive`: a file on the host naming more entries to keep, one per line: the registry through which deployments that share the directory (several apps on one host) keep each other's entries, each adding its own names (with `lineinfile`). A missing file names none",
      },
    },
  },
  examples: [
    "- file: { path: /opt/rems, state: directory, owner: rems, group: rems, mode: \"0755\" }",
    "- file: { path: /etc/nginx/sites-enabled/rems, src: /etc/nginx/sites-available/rems, state: link }",
    "- file: { path: /etc/nginx/sites-enabled/default, state: absent }",
    "# An exclusive directory: sites-enabled holds `rems` only (its link is another task's). A site enabled by hand is\n# drift in an audit and removed by the next run.\n- file: { path: /etc/nginx/sites-enabled, state: directory, exclusive: true, keep: [rems] }",
    "- file: { path: /var/log/rems-health.log, state: touch, mode: \"0640\", modification_time: preserve, access_time: preserve }",
    "- file:\n    path: /opt/rems/app\n    state: directory\n    recurse: true\n    owner: rems\n    mode: u=rwX,g=rX,o=rX",
  ],
  capabilities: { diff: true, idempotent: true },
  aliases: { dest: "path", name: "path", attr: "attributes" },
  check: async (ctx, args) => {
    const full = withPath(args);
    if (full.exclusive === true) {
      if (full.state !== "directory") throw new ModuleError("exclusive applies to state: directory");
      // An exclusive directory's facts travel with the directory's own (the prefetch sees them all at once).
      await ctx.facts([{ fact: fileStat, args: { path: full.path, follow: full.follow !== false } }, ...exclusiveFacts(full)]);
    }
    return withoutExtras(ctx, full, await withFlags(ctx, full, await planFile(ctx, full)));
  },
});
