/**
 * Copying a directory tree from the controller (how an app's code is shipped): compare the local tree with the
 * dir_tree fact and send only the files that differ, all in ONE exec. The files travel back to back on stdin, each
 * streamed from disk as it is sent (source-file.ts); `dd iflag=count_bytes` cuts each one into a staging directory
 * inside the destination, its sha256 is checked, it gets its owner and mode, and it is renamed into place, so no
 * file is ever half written.
 */
import { readdirSync, statSync } from "node:fs";
import { join, posix } from "node:path";
import { andThen, raw, sh, type Command } from "../../engine/command.js";
import type { FileDiff } from "../../engine/diff-types.js";
import { ModuleError } from "../../engine/errors.js";
import type { ChangePlan, ModuleContext, Plan, Prediction } from "../../engine/module-api.js";
import { dirTree, type TreeEntry } from "../facts/dir-tree.js";
import { fileStat } from "../facts/file-stat.js";
import { extraEntries, remaining, removeExtras } from "./exclusive-dir.js";
import { formatMode, type ModeArg } from "./file-mode.js";
import { attrCommands, cleanupTrap, contentDiff, planAttrs, tempAttrSteps, verifyStep, type FileAttrs, type PutFileData } from "./put-file.js";
import { afterText, checksumOf, sizeOf, sourceFile, type Sendable } from "./source-file.js";
import { validateStep } from "./validate.js";

export interface PutTreeRequest extends FileAttrs {
  /** Absolute path of the directory on the controller. */
  src: string;
  /** src as the task wrote it, for messages and diff headers. */
  source: string;
  /** Directory on the host that receives the tree's content. */
  dest: string;
  /** Mode of directories that get created (ansible's directory_mode); default: `mode` applied to 0755. */
  directoryMode?: ModeArg | undefined;
  /** False: leave existing files' content alone. */
  force?: boolean | undefined;
  /** Set: the tree is exclusive, whatever src does not have goes but these paths (relative to dest, or absolute). */
  exclusiveKeep?: readonly string[] | undefined;
  /** Run on each file sent before it replaces the old one, as Ansible's copy does file by file (validate.ts). */
  validate?: string | undefined;
}

interface LocalEntry {
  rel: string;
  type: "file" | "directory";
  /** Permission bits on the controller. */
  mode: number;
}

/** The controller-side tree, parents before children; symlinks are followed (ansible's local_follow). */
function walk(root: string, rel = ""): LocalEntry[] {
  const entries: LocalEntry[] = [{ rel, type: "directory", mode: statSync(join(root, rel)).mode & 0o7777 }];
  for (const name of readdirSync(join(root, rel)).sort()) {
    const path = posix.join(rel, name);
    const stat = statSync(join(root, path));
    if (stat.isDirectory()) entries.push(...walk(root, path));
    else if (stat.isFile()) entries.push({ rel: path, type: "file", mode: stat.mode & 0o7777 });
  }
  return entries;
}

interface Transfer {
  path: string;
  content: Sendable;
  attrs: ReturnType<typeof planAttrs>;
  exists: boolean;
}

/** The exec's steps that receive the files; `validate` (undefined in check mode, where it is not run) checks each. */
function transferSteps(root: string, want: FileAttrs, transfers: readonly Transfer[], validate: string | undefined): Command[] {
  const steps: Command[] = [sh`s=$(mktemp -d ${root}/.rems-XXXXXX)`, ...cleanupTrap('"$s"')];
  transfers.forEach((t, i) => {
    const temp = `"$s"/${i}`;
    steps.push(
      sh`dd bs=65536 iflag=fullblock,count_bytes count=${sizeOf(t.content)} of=${raw(temp)} status=none`,
      verifyStep(temp, checksumOf(t.content)),
      ...tempAttrSteps(temp, t.path, want, t.attrs, t.exists),
      ...(validate === undefined ? [] : [validateStep(validate, temp)]),
      sh`mv -f -- ${raw(temp)} ${t.path}`,
    );
  });
  return steps;
}

/** Plans copying the tree at req.src into req.dest; apply with applyPutFile. */
export async function planPutTree(ctx: ModuleContext, req: PutTreeRequest): Promise<Plan> {
  const local = walk(req.src);
  const tree = await ctx.fact(dirTree, { path: req.dest });
  const existing: Readonly<Record<string, TreeEntry>> = tree.exists ? tree.entries : {};
  const steps: Command[] = [];
  const transfers: Transfer[] = [];
  const diffs: FileDiff[] = [];
  const predicted: Record<string, TreeEntry> = { ...existing };
  const statPredictions: Prediction[] = [];
  let created = 0;
  let fixed = 0;
  for (const entry of local) {
    const path = entry.rel === "" ? req.dest : posix.join(req.dest, entry.rel);
    const current = existing[entry.rel];
    if (current && current.type !== entry.type && (current.type === "directory" || entry.type === "directory")) {
      throw new ModuleError(`${path} is a ${current.type} on the host but a ${entry.type} in ${req.source}`);
    }
    if (entry.type === "directory") {
      const mode = current ? req.mode : (req.directoryMode ?? req.mode);
      const attrs = planAttrs(current, { ...req, mode }, "directory", 0o755);
      if (!current) {
        created++;
        steps.push(sh`mkdir -p -m ${formatMode(attrs.mode)} -- ${path}`);
        if (req.owner !== undefined || req.group !== undefined) steps.push(sh`chown ${`${req.owner ?? ""}:${req.group ?? ""}`.replace(/:$/, "")} -- ${path}`);
      } else if (attrs.changes.length > 0) {
        fixed++;
        steps.push(...attrCommands(path, req, attrs));
      }
      predicted[entry.rel] = predictEntry("directory", attrs, current);
      continue;
    }
    // Vault-encrypted files are decrypted, as Ansible's copy does; the others are only hashed now.
    const content = await sourceFile(ctx, join(req.src, entry.rel));
    const checksum = checksumOf(content);
    const file = current?.type === "file" ? current : undefined;
    // A new file starts from the controller file's mode without group/other write (a umask of 022).
    const attrs = planAttrs(file, req, "file", entry.mode & 0o755);
    const write = file === undefined || (file.sha256 !== checksum && req.force !== false);
    if (write) {
      transfers.push({ path, content, attrs, exists: current !== undefined });
      if (ctx.diffMode) diffs.push(await contentDiff(ctx, path, file !== undefined, afterText(content), posix.join(req.source, entry.rel)));
    } else if (attrs.changes.length > 0) {
      fixed++;
      steps.push(...attrCommands(path, req, attrs));
    }
    const after: TreeEntry = { ...predictEntry("file", attrs, file), sha256: write ? checksum : (file.sha256 ?? checksum) };
    predicted[entry.rel] = after;
    for (const follow of [false, true]) {
      const { type: _type, ...rest } = after;
      statPredictions.push({ fact: fileStat, args: { path, follow }, value: { exists: true, type: "file", ...rest, size: sizeOf(content) } });
    }
  }
  const extras = req.exclusiveKeep === undefined ? [] : extraEntries(req.dest, Object.keys(existing), new Set(local.map((e) => e.rel)), req.exclusiveKeep);
  const removal = extras.length > 0 ? removeExtras(req.dest, extras) : undefined;
  if (removal) {
    steps.push(removal.command);
    statPredictions.push(...removal.predicts);
  }
  const files = local.filter((e) => e.type === "file").length;
  const output = { dest: req.dest, src: req.source, files, changed_files: transfers.map((t) => t.path), removed: extras.map((rel) => posix.join(req.dest, rel)) };
  if (steps.length === 0 && transfers.length === 0) {
    const only = req.exclusiveKeep === undefined ? "" : ", nothing else";
    return { changed: false, reason: `${req.dest} matches ${req.source} (${files} files${only})`, output };
  }
  const parts = [
    ...(transfers.length > 0 ? [`copy ${transfers.length} file${transfers.length === 1 ? "" : "s"}`] : []),
    ...(created > 0 ? [`create ${created} director${created === 1 ? "y" : "ies"}`] : []),
    ...(fixed > 0 ? [`set owner/mode of ${fixed} path${fixed === 1 ? "" : "s"}`] : []),
  ];
  const plan: ChangePlan = {
    changed: true,
    summary: [...(parts.length > 0 ? [`${parts.join(", ")} under ${req.dest}`] : []), ...(removal ? [removal.summary] : [])].join(", "),
    commands: [andThen(transfers.length > 0 ? [...steps, ...transferSteps(req.dest, req, transfers, ctx.checkMode ? undefined : req.validate)] : steps)],
    predicts: [{ fact: dirTree, args: { path: req.dest }, value: { exists: true, entries: remaining(predicted, extras) } }, ...statPredictions],
    output,
  };
  if (transfers.length > 0) plan.data = { contents: transfers.map((t) => t.content), validateReport: "copy" } satisfies PutFileData;
  if (diffs.length > 0) plan.diffs = diffs;
  return plan;
}

function predictEntry(type: "file" | "directory", attrs: ReturnType<typeof planAttrs>, current: TreeEntry | undefined): TreeEntry {
  const entry: TreeEntry = { type, mode: formatMode(attrs.mode), owner: attrs.owner, group: attrs.group };
  // Ids are known only where the name did not change.
  if (current?.uid !== undefined && current.owner === attrs.owner) entry.uid = current.uid;
  if (current?.gid !== undefined && current.group === attrs.group) entry.gid = current.gid;
  return entry;
}
