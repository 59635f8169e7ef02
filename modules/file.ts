/**
 * file: the state of a path on the host (Ansible's file): a directory, a file's owner/group/mode, a symlink or
 * hard link, an empty file (touch), or nothing (absent). It never writes content; that is copy and template.
 */
import { posix } from "node:path";
import { andThen, sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import type { FactRequest } from "../engine/facts.js";
import { defineModule, type ChangePlan, type ModuleContext, type Plan, type Prediction } from "../engine/module-api.js";
import { dirTree, type DirTree, type TreeEntry } from "./facts/dir-tree.js";
import { fileContent, type FileContent } from "./facts/file-content.js";
import { fileFlagsFact } from "./facts/file-flags.js";
import { getentFact } from "./facts/getent.js";
import { fileStat, type FileStat, type PresentFile } from "./facts/file-stat.js";
import { extraEntries, remaining, removeExtras } from "./shared/exclusive-dir.js";
import { formatMode, modeSchema, parseMode, type ModeArg } from "./shared/file-mode.js";
import { flagsCommand } from "./shared/file-flags.js";
import { planTimes, type TimesPlan } from "./shared/file-times.js";
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
  modification_time?: string;
  modification_time_format?: string;
  access_time?: string;
  access_time_format?: string;
  attributes?: string;
  exclusive?: boolean;
  keep?: string[];
  keep_listed_in?: string;
  /** Ansible's internal peek (its copy and template actions ask it): whether the file looks binary, nothing else. */
  _diff_peek?: boolean;
}

/** The arguments as written: a missing path fails the task when it runs, as in Ansible. */
export type Args = Omit<FileArgs, "path"> & Partial<Pick<FileArgs, "path">>;

/**
 * Ansible's result `diff`: the path before and after, with what changes (state, owner, group, mode, src, mtime,
 * atime, and the content of a directory removed); a registered result carries it whether or not --diff is on.
 */
interface ResultDiff {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

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

/**
 * A new path: created by `create`, then given the wanted owner and mode; one it cannot give them is removed again
 * and the task fails, as Ansible's touch does (a user without the right to chown leaves no file behind).
 */
function createPlan(args: FileArgs, what: string, create: Command, type: "file" | "directory", base: number, previous: FileStat): Plan {
  const attrs = planAttrs(undefined, attrsOf(args), type, base);
  const own = ownership(args);
  const settle = [...(own === undefined ? [] : [sh`chown ${own} -- ${args.path}`]), ...(args.mode === undefined ? [] : [sh`chmod ${formatMode(attrs.mode)} -- ${args.path}`])];
  const commands = settle.length === 0 ? [create] : [create, sh`{ ${andThen(settle)}; } || { rm -f -- ${args.path}; exit 1; }`];
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
async function attrsPlan(ctx: ModuleContext, args: FileArgs, stat: PresentFile, noop: string, diff: ResultDiff): Promise<Plan> {
  const attrs = planAttrs(stat, attrsOf(args), stat.type, 0);
  for (const { attr, from, to } of attrs.changes) {
    diff.before[attr] = from;
    diff.after[attr] = to;
  }
  if (args.recurse === true && stat.type === "directory") return recursePlan(ctx, args, noop);
  if (attrs.changes.length === 0) return { changed: false, reason: noop, output: { path: args.path, ...attrFields(stat) } };
  const { exists: _exists, uid: _uid, gid: _gid, ...kept } = stat;
  const predicted = { ...kept, mode: formatMode(attrs.mode), owner: attrs.owner, group: attrs.group };
  const plan = change(describeChanges(attrs.changes, args.path), attrCommands(args.path, attrsOf(args), attrs), predictStat(args.path, predicted, stat));
  if (ctx.diffMode) plan.diffs = [attrDiff(args.path, attrs)];
  return plan;
}

/** Ansible's owner, group, mode, uid and gid of a path (an id known from the stat, or an owner given as a number). */
function attrFields(stat: PresentFile): Record<string, unknown> {
  const id = (known: number | undefined, name: string): number | undefined => known ?? (/^\d+$/.test(name) ? Number(name) : undefined);
  const uid = id(stat.uid, stat.owner);
  const gid = id(stat.gid, stat.group);
  // Ansible writes a mode as '0%03o': a sticky or setuid mode keeps its leading 0 (01444).
  const mode = stat.mode.startsWith("0") ? stat.mode : `0${stat.mode}`;
  return { owner: stat.owner, group: stat.group, mode, ...(uid === undefined ? {} : { uid }), ...(gid === undefined ? {} : { gid }) };
}

/** A path recurse sets: a directory with everything under it, or one file a link in the tree points to. */
interface RecurseScope {
  path: string;
  recursive: boolean;
  /** How many paths in it differ from what the task wants. */
  differing: number;
}

/**
 * The tree under PATH (its root is the entry "" of dir_tree) and, with follow (the default), what its symlinks point
 * to, as Ansible's recursive_set_attributes follows them: a link's target is read from the link's directory, a
 * missing one is skipped, a linked directory is set with everything under it (its own links followed in turn), and
 * the links themselves keep their mode (Linux has none to set). SEEN stops a loop of links.
 */
async function recurseScopes(ctx: ModuleContext, args: FileArgs, path: string, seen: Set<string>): Promise<RecurseScope[]> {
  if (seen.has(path)) return [];
  seen.add(path);
  const tree = await ctx.fact(dirTree, { path });
  if (!tree.exists) return [];
  const differs = (e: PresentFile | TreeEntry): boolean => planAttrs(e, attrsOf(args), e.type, 0).changes.length > 0;
  const entries = Object.entries(tree.entries);
  const scopes: RecurseScope[] = [{ path, recursive: true, differing: entries.filter(([, e]) => e.type !== "link" && differs(e)).length }];
  if (args.follow === false) return scopes;
  for (const [relative, entry] of entries) {
    if (entry.type !== "link" || entry.target === undefined) continue;
    const target = entry.target.startsWith("/") ? entry.target : posix.join(posix.dirname(posix.join(path, relative)), entry.target);
    const stat = await ctx.fact(fileStat, { path: target, follow: true });
    if (!stat.exists) continue;
    if (stat.type === "directory") scopes.push(...(await recurseScopes(ctx, args, target, seen)));
    else if (!seen.has(target)) {
      seen.add(target);
      scopes.push({ path: target, recursive: false, differing: differs(stat) ? 1 : 0 });
    }
  }
  return scopes;
}

async function recursePlan(ctx: ModuleContext, args: FileArgs, noop: string): Promise<Plan> {
  const [root, ...linked] = await recurseScopes(ctx, args, args.path, new Set());
  const differing = (root?.differing ?? 0) + linked.reduce((sum, scope) => sum + scope.differing, 0);
  if (differing === 0) return { changed: false, reason: `${noop}, and so is everything under it${linked.length > 0 ? " and what its links point to" : ""}` };
  const own = ownership(args);
  // chmod applies a symbolic mode per file (X included), as planAttrs does.
  const mode = args.mode === undefined ? undefined : typeof args.mode === "number" ? formatMode(args.mode) : parseMode(args.mode).text;
  const commands = [root, ...linked].filter((scope): scope is RecurseScope => scope !== undefined && scope.differing > 0).flatMap((scope) => {
    const chown = (o: string): Command => (scope.recursive ? sh`chown -R ${o} -- ${scope.path}` : sh`chown ${o} -- ${scope.path}`);
    const chmod = (m: string): Command => (scope.recursive ? sh`chmod -R ${m} -- ${scope.path}` : sh`chmod ${m} -- ${scope.path}`);
    return [...(own === undefined ? [] : [chown(own)]), ...(mode === undefined ? [] : [chmod(mode)])];
  });
  const what = [...(own === undefined ? [] : [`owner ${own}`]), ...(args.mode === undefined ? [] : [`mode ${String(args.mode)}`])];
  const through = linked.some((scope) => scope.differing > 0) ? " and what its links point to" : "";
  return change(`set ${what.join(", ")} on ${differing} paths under ${args.path}${through}`, commands);
}

function describeAttrs(args: FileArgs, stat: PresentFile): string {
  const attrs = planAttrs(stat, attrsOf(args), stat.type, 0);
  return `${args.path} is a ${stat.type === "directory" ? "directory" : "file"} (${attrs.owner}:${attrs.group} ${formatMode(attrs.mode)})`;
}

/** The state Ansible names what is at a path (a hard link reads as a file here: the stat has no link count). */
function stateOf(stat: FileStat): string {
  if (!stat.exists) return "absent";
  return stat.type === "link" || stat.type === "directory" ? stat.type : "file";
}

/**
 * state link without src on an existing symlink, not followed: the link stays as it points (Ansible's src is its
 * target), and only its owner and group are wanted (chown -h). Linux has no mode of a symlink to set: a mode is
 * left, and reported ok, as Ansible reports it there.
 */
function linkAttrsPlan(args: FileArgs, stat: PresentFile, diff: ResultDiff): Plan {
  const attrs = planAttrs(stat, { owner: args.owner, group: args.group }, "link", 0);
  if (attrs.changes.length === 0) return { changed: false, reason: `${args.path} is a link to ${stat.target ?? ""}` };
  for (const { attr, from, to } of attrs.changes) {
    diff.before[attr] = from;
    diff.after[attr] = to;
  }
  return change(describeChanges(attrs.changes, args.path), [sh`chown -h ${ownership(args) ?? ""} -- ${args.path}`]);
}

/** Where a symlink's src points from the link's place (Ansible's absrc); a hard link's src is taken as written. */
function absoluteSrc(args: FileArgs, src: string, stat: FileStat): string {
  if (args.state === "hard" || src.startsWith("/")) return src;
  return posix.join(stat.exists && stat.type === "directory" ? args.path : posix.dirname(args.path), src);
}

/**
 * A link and, following it (follow, the default), the owner, group and mode of what it points to, as Ansible sets
 * them through the link.
 */
async function planLink(ctx: ModuleContext, args: FileArgs, stat: FileStat, diff: ResultDiff): Promise<Plan> {
  const plan = await planLinkItself(ctx, args, stat, diff);
  const want = attrsOf(args);
  if (args.follow === false || plan.changed === "unknown" || Object.values(want).every((value) => value === undefined)) return plan;
  const src = args.src ?? (stat.exists && stat.type === "link" ? stat.target : undefined);
  const target = src === undefined ? undefined : await ctx.fact(fileStat, { path: absoluteSrc(args, src, stat), follow: true });
  if (target === undefined || !target.exists) return plan;
  const attrs = planAttrs(target, want, target.type, 0);
  if (attrs.changes.length === 0) return plan;
  for (const { attr, from, to } of attrs.changes) {
    diff.before[attr] = from;
    diff.after[attr] = to;
  }
  const commands = attrCommands(args.path, want, attrs);
  const what = describeChanges(attrs.changes, src ?? args.path);
  if (!plan.changed) return change(what, commands);
  return { ...plan, summary: `${plan.summary}; ${what}`, commands: [...plan.commands, ...commands] };
}

async function planLinkItself(ctx: ModuleContext, args: FileArgs, stat: FileStat, diff: ResultDiff): Promise<Plan> {
  const { path } = args;
  const hard = args.state === "hard";
  if (args.src === undefined && !hard && stat.exists && stat.type === "link") {
    if (args.follow === false) return linkAttrsPlan(args, stat, diff);
  }
  const src = args.src ?? (!hard && stat.exists && stat.type === "link" ? stat.target : undefined);
  if (src === undefined) throw new ModuleError(`src is required for creating new ${hard ? "hardlinks" : "symlinks"}`);
  const predicts = hard ? [] : [{ fact: fileStat, args: { path, follow: false }, value: { exists: true, type: "link", mode: "0777", owner: "root", group: "root", size: src.length, target: src } } as Prediction];
  if (hard) {
    const target = await ctx.fact(fileStat, { path: src, follow: true });
    // Ansible's result names both ends (ansible-core's file target reads them).
    if (!target.exists) throw new ModuleError("src does not exist", {}, { result: { dest: path, src } });
    if (stat.exists && stat.inode !== undefined && stat.inode === target.inode) return { changed: false, reason: `${path} is a hard link to ${src}` };
  } else {
    const absolute = absoluteSrc(args, src, stat);
    if (args.force !== true && !(await ctx.fact(fileStat, { path: absolute, follow: true })).exists) {
      throw new ModuleError(`src file does not exist, use "force=yes" if you really want to create the link: ${absolute}`);
    }
    if (stat.exists && stat.type === "link") {
      if (stat.target === src) return { changed: false, reason: `${path} is a link to ${src}` };
      diff.before.src = stat.target;
      diff.after.src = src;
    }
  }
  const ln = hard ? sh`ln -f -- ${src} ${path}` : sh`ln -sfn -- ${src} ${path}`;
  if (!stat.exists) return change(`link ${path} to ${src}`, [ln], predicts);
  if (stat.type === "link") return change(`replace ${path} with a link to ${src}`, [ln], predicts);
  if (args.force !== true) throw new ModuleError(`refusing to convert from ${stateOf(stat)} to ${hard ? "hard link" : "symlink"} for ${path}`);
  if (stat.type !== "directory") return change(`replace ${path} with a link to ${src}`, [ln], predicts);
  const tree = await ctx.fact(dirTree, { path });
  if (tree.exists && Object.keys(tree.entries).length > 1) throw new ModuleError(`the directory ${path} is not empty, refusing to convert it`);
  return change(`replace the empty directory ${path} with a link to ${src}`, [sh`rmdir -- ${path}`, hard ? sh`ln -- ${src} ${path}` : sh`ln -s -- ${src} ${path}`], predicts);
}

/** Ansible's diff of a directory removed: every directory and file under it. */
async function removedContent(ctx: ModuleContext, path: string): Promise<Record<string, string[]>> {
  const tree = await ctx.fact(dirTree, { path });
  const entries = tree.exists ? Object.entries(tree.entries).filter(([relative]) => relative !== "") : [];
  const under = (directories: boolean): string[] => entries.filter(([, entry]) => (entry.type === "directory") === directories).map(([relative]) => `${path}/${relative}`);
  return { directories: under(true), files: under(false) };
}

/** A plan with the times of planTimes added (a change of its own when the plan changes nothing else). */
function withTimes(plan: Plan, times: TimesPlan | undefined, path: string, diff: ResultDiff): Plan {
  if (times === undefined || plan.changed === "unknown") return plan;
  Object.assign(diff.before, times.before);
  Object.assign(diff.after, times.after);
  const what = times.after.mtime === "now" && times.after.atime === "now" ? `touch ${path}` : `set ${Object.keys(times.after).join(" and ")} of ${path}`;
  if (!plan.changed) return { ...change(what, times.commands), ...(plan.output ? { output: plan.output } : {}) };
  return { ...plan, summary: `${plan.summary}; ${what}`, commands: [...plan.commands, ...times.commands] };
}

/** Ansible's state when none is given: what is at the path (a link's target's), else a directory with recurse, else file. */
async function currentState(ctx: ModuleContext, args: FileArgs): Promise<FileState> {
  const stat = await ctx.fact(fileStat, { path: args.path, follow: args.follow !== false });
  if (stat.exists) return stat.type === "directory" ? "directory" : "file";
  return args.recurse === true ? "directory" : "file";
}

/** Ansible's refusals of arguments that do not go with the state, before anything is read. */
function refuseArgs(args: FileArgs, state: FileState): void {
  if (args.recurse === true && state !== "directory") throw new ModuleError("recurse option requires state to be 'directory'");
  if (args.src !== undefined && state !== "link" && state !== "hard") throw new ModuleError("src option requires state to be 'link' or 'hard'");
}

async function planFile(ctx: ModuleContext, args: FileArgs & { state: FileState }, diff: ResultDiff): Promise<Plan> {
  const { path, state } = args;
  refuseArgs(args, state);
  const follow = state === "link" || state === "hard" || state === "absent" ? false : args.follow !== false;
  const stat = await ctx.fact(fileStat, { path, follow });
  if (stateOf(stat) !== state && state !== "touch") {
    diff.before.state = stateOf(stat);
    diff.after.state = state;
  }
  const times = (byDefault: "now" | "preserve", created: boolean): Promise<TimesPlan | undefined> => planTimes(ctx, path, follow, args, byDefault, created);
  switch (state) {
    case "absent":
      if (!stat.exists) return { changed: false, reason: `${path} is absent` };
      if (stat.type === "directory") diff.before.path_content = await removedContent(ctx, path);
      return change(`remove ${path}`, [sh`rm -rf -- ${path}`], [false, true].map((f) => ({ fact: fileStat, args: { path, follow: f }, value: { exists: false } })));
    case "link":
    case "hard":
      return planLink(ctx, args, stat, diff);
    case "directory":
      if (!stat.exists) return withTimes(directoryPlan(args, stat), await times("preserve", true), path, diff);
      if (stat.type !== "directory") throw new ModuleError(`${path} exists and is a ${stat.type}, not a directory`);
      return withTimes(await attrsPlan(ctx, args, stat, describeAttrs(args, stat), diff), await times("preserve", false), path, diff);
    case "touch": {
      if (!stat.exists) {
        diff.before.state = "absent";
        diff.after.state = "touch";
        return withTimes(createPlan(args, "create empty file", sh`touch -- ${path}`, "file", 0o644, stat), await times("now", true), path, diff);
      }
      return withTimes(await attrsPlan(ctx, args, stat, describeAttrs(args, stat), diff), await times("now", false), path, diff);
    }
    case "file":
      if (!stat.exists || stat.type === "directory") {
        throw new ModuleError(`file (${path}) is ${stateOf(stat)}, cannot continue`, {}, { result: { path, state: stateOf(stat) } });
      }
      return withTimes(await attrsPlan(ctx, args, stat, describeAttrs(args, stat), diff), await times("preserve", false), path, diff);
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

/**
 * Ansible's _diff_peek: whether the file looks binary (a NUL in its first 8 KiB), and nothing else; a file that
 * cannot be read looks like text, as in Ansible.
 */
async function diffPeek(ctx: ModuleContext, path: string): Promise<Plan> {
  const head = sh`head -c 8192 -- ${path} 2>/dev/null`;
  const peek = await ctx.run(sh`[ "$(${head} | wc -c)" = "$(${head} | tr -d '\\000' | wc -c)" ]`, { okCodes: [0, 1] });
  const binary = peek.code === 1;
  return { changed: false, reason: `${path} looks like ${binary ? "binary data" : "text"}`, output: { path, appears_binary: binary } };
}

/** The owner and group a task names, with the getent lookup that says whether the host knows each. */
function idLookups(args: FileArgs) {
  const ids = [
    { attr: "owner", value: args.owner, database: "passwd", what: "user", id: "uid" },
    { attr: "group", value: args.group, database: "group", what: "group", id: "gid" },
  ] as const;
  return ids.flatMap((id) => (id.value === undefined ? [] : [{ ...id, value: id.value, request: { fact: getentFact, args: { database: id.database, key: id.value } } }]));
}

/**
 * In check mode, Ansible's warnings for an owner or group the host does not know (an earlier task of a real run
 * may create it); the task goes on.
 */
async function unknownIds(ctx: ModuleContext, args: FileArgs): Promise<{ attr: "owner" | "group"; name: string; warning: string }[]> {
  const lookups = idLookups(args);
  const found = (await ctx.facts(lookups.map((l) => l.request))) as { code: number }[];
  return lookups.flatMap(({ attr, value, what, id }, i) => {
    if (found[i]?.code === 0) return [];
    const name = /^\d+$/.test(value) ? `${what} with ${id} ${value}` : `${what} ${value}`;
    return [{ attr, name: value, warning: `failed to look up ${name}. Create ${what} up to this point in real play` }];
  });
}

/**
 * What the task's first steps read, asked in one request so that the prefetch pass sees all of it (one round trip
 * for the whole play): the path's stat as planFile reads it first, a link's src, in check mode the owner and group
 * lookups, and an exclusive directory's tree.
 */
function firstFacts(ctx: ModuleContext, args: FileArgs): FactRequest[] {
  const follow = args.state === "link" || args.state === "hard" || args.state === "absent" ? false : args.follow !== false;
  // A link's src is looked at too (it must exist, unless a symlink is forced), as absoluteSrc places it when the
  // path is not a directory.
  const looked = args.src !== undefined && (args.state === "hard" || (args.state === "link" && args.force !== true));
  const src = !looked || args.src === undefined ? undefined : args.state === "hard" || args.src.startsWith("/") ? args.src : posix.join(posix.dirname(args.path), args.src);
  return [
    { fact: fileStat, args: { path: args.path, follow } },
    ...(src === undefined ? [] : [{ fact: fileStat, args: { path: src, follow: true } }]),
    ...(ctx.checkMode && args.state !== "absent" ? idLookups(args).map((l) => l.request) : []),
    ...(args.exclusive === true ? exclusiveFacts(args) : []),
  ];
}

/** The owner, group and mode a change leaves at PATH, as its plan predicts them (none when it predicts none). */
function attrsAfter(plan: ChangePlan, path: string): Record<string, unknown> {
  const after = plan.predicts?.find((p) => p.fact === fileStat && (p.args as { path: string }).path === path)?.value as FileStat | undefined;
  return after?.exists === true ? attrFields(after) : {};
}

/**
 * A hard link whose path is a directory goes inside it, named as its src, as Ansible's file places it (a symlink
 * at a directory replaces it instead: state link is not rewritten).
 */
async function intoDirectory(ctx: ModuleContext, args: FileArgs): Promise<FileArgs> {
  if (args.state !== "hard" || args.src === undefined) return args;
  const stat = await ctx.fact(fileStat, { path: args.path, follow: true });
  return stat.exists && stat.type === "directory" ? { ...args, path: posix.join(args.path, posix.basename(args.src)) } : args;
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
        description:
          "file: an existing file's attributes; directory: create it (with parents); link/hard: a symbolic/hard link " +
          "to src; touch: create an empty file or update its times; absent: remove it (recursively). " +
          "Default, as in Ansible: what is at path (a file or a directory), else directory with recurse, else file",
      },
      src: { type: "string", minLength: 1, description: "Target of the link (state link or hard)" },
      ...attrSchemas,
      mode: modeSchema,
      recurse: { type: "boolean", default: false, description: "With state directory: set owner, group and mode on everything under path too" },
      follow: { type: "boolean", default: true, description: "Manage what a symlink at path points to rather than the link; with recurse, what the links under path point to as well (a linked directory with everything in it), as Ansible does" },
      force: { type: "boolean", default: false, description: "With state link or hard: replace an existing file at path" },
      modification_time: {
        type: "string",
        description:
          "preserve keeps the modification time, now sets it (always a change; the default of touch, preserve elsewhere), and a timestamp in modification_time_format sets that time (the host's local time), a change only when it differs",
      },
      modification_time_format: { type: "string", minLength: 1, default: "%Y%m%d%H%M.%S", description: "How modification_time is written: %Y %y %m %d %H %M %S as Python's strptime reads them" },
      attributes: {
        type: "string",
        description:
          "chattr flags (also spelled attr): `+A` adds, `-A` removes, `A` (or `\"\"`) is the whole set; a change only when a flag differs. On a file system without attributes the task fails with its error",
      },
      access_time: {
        type: "string",
        description: "As modification_time, for the access time (preserve, now or a timestamp in access_time_format)",
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
      access_time_format: { type: "string", minLength: 1, default: "%Y%m%d%H%M.%S", description: "How access_time is written, as modification_time_format" },
      _diff_peek: { type: "boolean", description: "Ansible's internal question of its copy and template actions: only reports whether path looks binary (appears_binary)" },
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
    const full = await intoDirectory(ctx, withPath(args));
    if (full._diff_peek === true) return diffPeek(ctx, full.path);
    if (full.exclusive === true && full.state !== "directory") throw new ModuleError("exclusive applies to state: directory");
    if (full.state !== undefined) refuseArgs(full, full.state);
    await ctx.facts(firstFacts(ctx, full));
    const diff: ResultDiff = { before: { path: full.path }, after: { path: full.path } };
    const state = full.state ?? (await currentState(ctx, full));
    // Looked up in check mode only: a real run's chown fails by itself on a name the host does not know.
    const unknown = ctx.checkMode && state !== "absent" ? await unknownIds(ctx, full) : [];
    const warnings = unknown.map(({ warning }) => warning);
    warnings.forEach((warning) => ctx.warn(warning));
    // An existing path given an owner or group the host does not know by name fails, as Ansible's chown does then.
    const unnamed = unknown.find(({ name }) => !/^\d+$/.test(name));
    if (unnamed !== undefined && (await ctx.fact(fileStat, { path: full.path, follow: full.follow !== false })).exists) {
      const failure = unnamed.attr === "owner" ? `chown failed: failed to look up user ${unnamed.name}` : `chgrp failed: failed to look up group ${unnamed.name}`;
      throw new ModuleError(failure, {}, { result: { path: full.path, ...(warnings.length > 0 ? { warnings } : {}) } });
    }
    const plan = await planFile(ctx, { ...full, state }, diff)
      .then((planned) => withFlags(ctx, full, planned))
      .then((planned) => withoutExtras(ctx, full, planned))
      .catch((error: unknown) => {
        // A failure's result keeps the warnings, as Ansible's does (ansible-core's file target reads them there).
        if (!(error instanceof ModuleError) || warnings.length === 0) throw error;
        throw new ModuleError(error.message, {}, { cause: error, result: { ...error.result, warnings } });
      });
    if (plan.changed === "unknown") return plan;
    // Ansible's result names the path's state after the task (touch leaves a file), and its owner, group and mode.
    return { ...plan, output: { path: full.path, state: state === "touch" ? "file" : state, ...(plan.changed ? attrsAfter(plan, full.path) : {}), ...plan.output, diff } };
  },
});
