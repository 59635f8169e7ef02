/**
 * The one write path for file content (copy, template, and any module that writes a file; pyinfra files.put,
 * ansible's copy action). Plan: compare the wanted content's sha256 and owner/group/mode with the file_stat fact.
 * Apply: one exec streams the content on stdin (a controller file straight from disk, source-file.ts) into a temp
 * file in the destination's directory, checks its sha256 (a dropped connection leaves a short file that never
 * reaches dest), sets owner, group and mode, runs `validate`, keeps a backup, and renames it over dest. Any failure
 * removes the temp file and leaves dest untouched.
 */
import { posix } from "node:path";
import { andThen, raw, sh, type Command } from "../../engine/command.js";
import { attributesPath, type FileDiff } from "../../engine/diff-types.js";
import { ModuleError } from "../../engine/errors.js";
import type { ApplyResult, ChangePlan, ModuleContext, Plan, Prediction } from "../../engine/module-api.js";
import { fileBase64, type FileBase64 } from "../facts/file-base64.js";
import { fileContent, MAX_DIFF_BYTES, type FileContent } from "../facts/file-content.js";
import { fileStat, type FileStat, type FileType, type PresentFile } from "../facts/file-stat.js";
import { formatMode, parseMode, type ModeArg } from "./file-mode.js";
import { afterText, bytesUpTo, checksumOf, sendStream, sizeOf, type Sendable } from "./source-file.js";
import { validateStep, validateFailure, type ValidateReport } from "./validate.js";

/** Owner, group and mode as a task gives them (any may be left out). */
export interface FileAttrs {
  /** User name or numeric uid. */
  owner?: string | undefined;
  /** Group name or numeric gid. */
  group?: string | undefined;
  mode?: ModeArg | undefined;
}

/** Schemas of the owner/group/mode arguments, shared by every module that writes files. */
export const attrSchemas = {
  owner: { type: "string", minLength: 1, description: "User (name or uid) that should own the file; unchanged when not given" },
  group: { type: "string", minLength: 1, description: "Group (name or gid) that should own the file; unchanged when not given" },
} as const;

export interface PutFileRequest extends FileAttrs {
  dest: string;
  /**
   * The wanted content, sent from the controller (a function: made once the host was read, e.g. a template that
   * renders a result registered by an earlier task, or a controller file, hashed only then); or `remoteSrc`, a
   * file already on the host to copy.
   */
  content?: string | Sendable | (() => string | Promise<Sendable>) | undefined;
  remoteSrc?: string | undefined;
  /** Keep a copy of the replaced file as `dest.<timestamp>~`; its path is returned as backup_file. */
  backup?: boolean | undefined;
  /** Command run on the temp file before it replaces dest; `%s` is the temp file's path (validate.ts). */
  validate?: string | undefined;
  /** How a failed validate reads: copy's wording (default) or the in-place edits'. */
  validateReport?: ValidateReport | undefined;
  /** False: leave an existing dest's content alone (ansible's force: no). Default true. */
  force?: boolean | undefined;
  /** Mode of a new file when `mode` is not given (or is symbolic); default 0644. */
  newFileMode?: number | undefined;
  /** Header of the "after" side of a diff (the template or source file); default dest. */
  source?: string | undefined;
  /** Create dest's missing parent directories first (mkdir -p: 0755), as lineinfile's create does. */
  parents?: boolean | undefined;
}

/** A content write (put-tree's too): its single command gets `contents` back to back on stdin (none for a remote src). */
export interface PutFileData {
  contents: readonly Sendable[];
  validateReport: ValidateReport;
}

/** One attribute that differs: owner root → www-data, mode 0644 → 0640. */
export interface AttrDelta {
  attr: "owner" | "group" | "mode";
  from: string;
  to: string;
}

/** The attributes a path will have after the change, and what changes. */
export interface AttrChange {
  owner: string;
  group: string;
  /** Permission bits. */
  mode: number;
  /** Empty when nothing changes. */
  changes: AttrDelta[];
}

const NUMERIC = /^\d+$/;

function idMatches(want: string, name: string, id: number | undefined): boolean {
  return NUMERIC.test(want) && id !== undefined ? Number(want) === id : want === name;
}

/** Compares wanted owner/group/mode with a path's current ones (current undefined: a new path with `baseMode`). */
export function planAttrs(
  current: Pick<PresentFile, "owner" | "group" | "uid" | "gid" | "mode"> | undefined,
  want: FileAttrs,
  type: FileType,
  baseMode: number,
): AttrChange {
  const currentMode = current ? parseInt(current.mode, 8) : baseMode;
  const mode = want.mode === undefined ? currentMode : parseMode(want.mode).resolve(currentMode, type === "directory");
  const owner = want.owner ?? current?.owner ?? "root";
  const group = want.group ?? current?.group ?? "root";
  const changes: AttrDelta[] = [];
  if (current) {
    if (want.owner !== undefined && !idMatches(want.owner, current.owner, current.uid)) changes.push({ attr: "owner", from: current.owner, to: want.owner });
    if (want.group !== undefined && !idMatches(want.group, current.group, current.gid)) changes.push({ attr: "group", from: current.group, to: want.group });
    if (mode !== currentMode) changes.push({ attr: "mode", from: current.mode, to: formatMode(mode) });
  }
  return { owner, group, mode, changes };
}

/** chown/chmod commands that give an existing path the wanted attributes (only those that differ). */
export function attrCommands(path: string, want: FileAttrs, change: AttrChange): Command[] {
  const commands: Command[] = [];
  const differs = (attr: AttrDelta["attr"]): boolean => change.changes.some((c) => c.attr === attr);
  const ownerChanged = differs("owner");
  const groupChanged = differs("group");
  if (ownerChanged || groupChanged) {
    const spec = ownerChanged ? (groupChanged ? `${want.owner ?? ""}:${want.group ?? ""}` : (want.owner ?? "")) : `:${want.group ?? ""}`;
    commands.push(sh`chown ${spec} -- ${path}`);
  }
  if (differs("mode")) commands.push(sh`chmod ${formatMode(change.mode)} -- ${path}`);
  return commands;
}

/** A file_stat prediction for check mode: what `path` will look like after the change. */
export function predictStat(path: string, stat: Omit<PresentFile, "exists">, previous: FileStat): Prediction[] {
  const value: PresentFile = { exists: true, ...stat };
  // Ids are known only where the name did not change.
  if (previous.exists) {
    if (previous.owner === value.owner && previous.uid !== undefined) value.uid = previous.uid;
    if (previous.group === value.group && previous.gid !== undefined) value.gid = previous.gid;
  }
  return [
    { fact: fileStat, args: { path, follow: false }, value },
    { fact: fileStat, args: { path, follow: true }, value },
  ] as Prediction[];
}

/** The --diff entry for owner/group/mode changes ("mode 0644" → "mode 0600"). */
export function attrDiff(path: string, attrs: AttrChange): FileDiff {
  const lines = (side: "from" | "to"): string => attrs.changes.map((c) => `${c.attr} ${c[side]}\n`).join("");
  return { path: attributesPath(path), before: lines("from"), after: lines("to"), metadata: true };
}

/** "set owner www-data, mode 0640 on /etc/rems/rems.env" */
export function describeChanges(changes: readonly AttrDelta[], path: string): string {
  return `set ${changes.map((c) => `${c.attr} ${c.to}`).join(", ")} on ${path}`;
}

function contentText(c: FileContent): string {
  if (c.kind === "text") return c.content;
  if (c.kind === "absent") return "";
  return c.kind === "large" ? `(${c.size} bytes, too large to show)\n` : "(binary content not shown)\n";
}

/**
 * Steps that give a temp file (`temp` is shell syntax such as "$t") its final owner, group and mode: those of the
 * file it replaces unless the task says otherwise (ansible's atomic_move keeps them too).
 */
export function tempAttrSteps(temp: string, dest: string, want: FileAttrs, attrs: AttrChange, destExists: boolean): Command[] {
  const steps: Command[] = [];
  if (destExists) steps.push(sh`chown --reference=${dest} ${raw(temp)}`);
  const ownership = want.owner === undefined ? (want.group === undefined ? undefined : `:${want.group}`) : `${want.owner}${want.group === undefined ? "" : `:${want.group}`}`;
  if (ownership !== undefined) steps.push(sh`chown ${ownership} ${raw(temp)}`);
  steps.push(sh`chmod ${formatMode(attrs.mode)} ${raw(temp)}`);
  return steps;
}

/** Removes the temp file (or directory) on every exit, including a hang-up when the connection drops. */
export function cleanupTrap(temp: string): Command[] {
  return [sh`trap ${`rm -rf ${temp}`} EXIT`, sh`trap 'exit 129' HUP INT TERM PIPE`];
}

/** Fails unless `temp` has exactly the wanted content: a transfer cut short never reaches dest. */
export function verifyStep(temp: string, checksum: string): Command {
  return sh`{ [ "$(sha256sum < ${raw(temp)})" = ${`${checksum}  -`} ] || { echo 'rems: content arrived incomplete' >&2; exit 1; }; }`;
}

/**
 * The single exec that writes content: temp file, fill (stdin or the remote src), verify, attrs, validate, backup,
 * rename. `validate` is left out in check mode, where Ansible neither runs nor checks it.
 */
function writeCommand(req: PutFileRequest, checksum: string, attrs: AttrChange, destExists: boolean, checkMode: boolean): Command {
  const steps: Command[] = [
    ...(req.parents === true ? [sh`mkdir -p -- ${posix.dirname(req.dest)}`] : []),
    sh`t=$(mktemp ${posix.dirname(req.dest)}/.rems-XXXXXX)`,
    ...cleanupTrap('"$t"'),
    req.remoteSrc === undefined ? sh`cat > "$t"` : sh`cat -- ${req.remoteSrc} > "$t"`,
    verifyStep('"$t"', checksum),
    ...tempAttrSteps('"$t"', req.dest, req, attrs, destExists),
  ];
  if (req.validate !== undefined && !checkMode) steps.push(validateStep(req.validate, '"$t"'));
  if (req.backup === true && destExists) {
    steps.push(sh`b=${req.dest}.$(date +%Y-%m-%d@%H:%M:%S)~`, sh`cp -p -- ${req.dest} "$b"`, sh`echo "backup_file=$b"`);
  }
  steps.push(sh`mv -f -- "$t" ${req.dest}`);
  return andThen(steps);
}

/** The --diff entry for new content at `path` (the old content is read only in diff mode, only if small text). */
export async function contentDiff(ctx: ModuleContext, path: string, exists: boolean, after: string, source: string): Promise<FileDiff> {
  const before = exists ? await ctx.fact(fileContent, { path }) : ({ kind: "absent" } as const);
  return { path, before: contentText(before), after, beforeHeader: path, afterHeader: source };
}

/** The most of a file's content a check-mode prediction holds (for a later edit of the file in the same run). */
const PREDICTED_BYTES = 1024 * 1024;

/** Where the content comes from: what to send, or a file on the host (`src`, its stat). */
async function wantedContent(ctx: ModuleContext, req: PutFileRequest, src: FileStat | undefined): Promise<{ sent?: Sendable; checksum: string; size: number; after: () => Promise<string> }> {
  if (req.remoteSrc !== undefined && src !== undefined) {
    if (!src.exists || src.type !== "file" || src.sha256 === undefined) throw new ModuleError(`src ${req.remoteSrc} is not a file on the host`);
    const remote = req.remoteSrc;
    return { checksum: src.sha256, size: src.size, after: async () => contentText(await ctx.fact(fileContent, { path: remote })) };
  }
  if (req.content === undefined) throw new ModuleError(`nothing to write to ${req.dest}: give content or a src`);
  const content = typeof req.content === "function" ? await req.content() : req.content;
  const sent = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return { sent, checksum: checksumOf(sent), size: sizeOf(sent), after: () => Promise.resolve(afterText(sent)) };
}

/**
 * Plans putting `content` at `dest`. Reads file_stat (and, in diff mode, file_content); never changes anything.
 * The plan's apply is applyPutFile.
 */
export async function planPutFile(ctx: ModuleContext, req: PutFileRequest): Promise<Plan> {
  const { dest } = req;
  if (!posix.isAbsolute(dest)) throw new ModuleError(`dest must be an absolute path: '${dest}'`);
  // The host first, dest and remote src in one request: the prefetch pass learns both even when the content cannot
  // be made before the run reaches the task (lazy content).
  const [stat, src] = (await ctx.facts([
    { fact: fileStat, args: { path: dest, follow: false } },
    ...(req.remoteSrc === undefined ? [] : [{ fact: fileStat, args: { path: req.remoteSrc, follow: true } }]),
  ])) as [FileStat, FileStat | undefined];
  const wanted = await wantedContent(ctx, req, src);
  const { checksum } = wanted;
  if (stat.exists && stat.type === "directory") throw new ModuleError(`${dest} is a directory, not a file`);
  const current = stat.exists && stat.type === "file" ? stat : undefined;
  if (current && req.force === false) {
    return { changed: false, reason: `${dest} exists and force is false`, output: { dest, checksum: current.sha256 } };
  }
  const attrs = planAttrs(current, req, "file", req.newFileMode ?? 0o644);
  const contentChanged = current?.sha256 !== checksum;
  const output = { dest, checksum, size: wanted.size, owner: attrs.owner, group: attrs.group, mode: formatMode(attrs.mode) };
  if (!contentChanged && attrs.changes.length === 0) {
    return { changed: false, reason: `${dest} has the wanted content (${attrs.owner}:${attrs.group} ${formatMode(attrs.mode)})`, output };
  }
  const diffs: FileDiff[] = [];
  if (ctx.diffMode && contentChanged) diffs.push(await contentDiff(ctx, dest, current !== undefined, await wanted.after(), req.source ?? req.remoteSrc ?? dest));
  if (ctx.diffMode && attrs.changes.length > 0) diffs.push(attrDiff(dest, attrs));
  const summary = !contentChanged ? describeChanges(attrs.changes, dest) : current ? `write ${dest}` : `create ${dest}`;
  const commands = contentChanged ? [writeCommand(req, checksum, attrs, stat.exists, ctx.checkMode)] : attrCommands(dest, req, attrs);
  const predicted = { type: "file" as const, mode: formatMode(attrs.mode), owner: attrs.owner, group: attrs.group, size: wanted.size, sha256: checksum };
  const predicts: Prediction[] = predictStat(dest, predicted, stat);
  const { sent } = wanted;
  const bytes = sent === undefined ? undefined : bytesUpTo(sent, PREDICTED_BYTES);
  if (bytes !== undefined) {
    // A later edit of this file in check mode (lineinfile after copy) reads the bytes this write would leave.
    predicts.push({ fact: fileBase64, args: { path: dest }, value: { kind: "file", content: bytes.toString("base64") } } satisfies Prediction<FileBase64, { path: string }>);
    if (bytes.length <= MAX_DIFF_BYTES && !bytes.includes(0)) predicts.push({ fact: fileContent, args: { path: dest }, value: { kind: "text", content: bytes.toString("utf8") } });
  }
  // The summary names the path and attributes only, never content: safe to show under no_log.
  const plan: ChangePlan = { changed: true, summary, metadataSummary: contentChanged ? `${summary} (content not shown: no_log)` : summary, commands, predicts, output };
  if (diffs.length > 0) plan.diffs = diffs;
  if (contentChanged) plan.data = { contents: sent === undefined ? [] : [sent], validateReport: req.validateReport ?? "copy" } satisfies PutFileData;
  return plan;
}

/**
 * Carries out a planPutFile plan: the write exec gets the content on stdin, a controller file streamed from disk.
 * Output adds backup_file when a backup was kept. A failed validate fails with the validator's own output.
 */
export async function applyPutFile(ctx: ModuleContext, plan: ChangePlan): Promise<ApplyResult> {
  const data = plan.data as PutFileData | undefined;
  const output: Record<string, unknown> = { ...plan.output };
  for (const command of plan.commands) {
    const send = data === undefined || data.contents.length === 0 ? undefined : sendStream(data.contents);
    const result = await ctx.run(command, send ? { stdin: send.stream } : {}).catch((error: unknown) => {
      const unread = send?.failure();
      if (unread !== undefined) throw new ModuleError(`cannot read the file to send: ${unread.message}`, {}, { cause: unread });
      throw (data && validateFailure(error, data.validateReport)) ?? error;
    });
    const backup = /^backup_file=(.*)$/m.exec(result.stdout)?.[1];
    if (backup !== undefined) output.backup_file = backup;
  }
  return { changed: true, output };
}
