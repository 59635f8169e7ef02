/**
 * The read, and the message, of the modules that edit a file in place (lineinfile, replace, blockinfile): the file's
 * bytes with Ansible's errors for what is not a regular file, and Ansible's message of the change; the write is
 * put-file's. A symlink is refused rather than replaced: Ansible edits the file it points to.
 */
import { posix } from "node:path";
import { ModuleError } from "../../engine/errors.js";
import type { ModuleContext, UnknownPlan } from "../../engine/module-api.js";
import { fileBase64, type FileBase64 } from "../facts/file-base64.js";
import { fileContent } from "../facts/file-content.js";
import { fileStat, type FileStat } from "../facts/file-stat.js";
import { modeSchema } from "./file-mode.js";
import { attrSchemas, planAttrs, type FileAttrs } from "./put-file.js";
import { validateSchema } from "./validate.js";

/**
 * The file's bytes, or undefined when it does not exist; `module` names the module in the symlink error. Reads
 * everything the later write plan needs in one request, so the prefetch pass learns all of it.
 */
export async function readForEdit(ctx: ModuleContext, path: string, module: string): Promise<Buffer | undefined> {
  const [content, stat] = (await ctx.facts([
    { fact: fileBase64, args: { path } },
    { fact: fileStat, args: { path, follow: false } },
    ...(ctx.diffMode ? [{ fact: fileContent, args: { path } }] : []),
  ])) as [FileBase64, FileStat];
  if (stat.exists && stat.type === "link") throw new ModuleError(`${path} is a symlink: ${module} edits the file itself here; give the path it points to`);
  switch (content.kind) {
    case "file":
      return Buffer.from(content.content, "base64");
    case "absent":
    case "notdir": // as absent: creating it then fails on the file in its way, as Ansible's does
      return undefined;
    case "directory":
      throw new ModuleError(`Path ${path} is a directory !`);
    case "unreadable":
      throw new ModuleError(`${path} is not readable`);
    case "special":
      throw new ModuleError(`${path} is not a regular file`);
    case "failed":
      throw new ModuleError(`reading ${path} failed (exit code ${content.code})`);
  }
}

/**
 * The plan of an edit of a file that is not there, where Ansible fails with MESSAGE. In check mode, when an earlier
 * task of the run planned a change and the file's directory is missing too, that task may bring both (the package
 * that brings a config file), so what the edit would do is unknown rather than a failure: an audit of a fresh host
 * must not fail on content that is fine. Otherwise the host is as the edit will find it, and Ansible's failure stands.
 */
export async function missingFile(ctx: ModuleContext, path: string, message: string): Promise<UnknownPlan> {
  if (!ctx.checkMode || !ctx.changesPlanned || (await ctx.fact(fileStat, { path: posix.dirname(path), follow: true })).exists) {
    throw new ModuleError(message);
  }
  return { changed: "unknown", reason: `${path} does not exist yet, nor its directory; an earlier task would create them` };
}

/**
 * Ansible's msg of an edit that changes something: what the edit did (`edited`, empty when the content stays), and
 * "ownership, perms or SE linux context changed" when the task's owner/group/mode differ from the file's: for a new
 * file, from what a new file gets (root's, 0644), except in check mode, where Ansible does not look.
 */
export async function editMessage(ctx: ModuleContext, path: string, want: FileAttrs, edited: string): Promise<string> {
  const stat = await ctx.fact(fileStat, { path, follow: false });
  const current = stat.exists ? stat : ctx.checkMode ? undefined : NEW_FILE;
  const attrs = current !== undefined && planAttrs(current, want, "file", 0o644).changes.length > 0;
  return [edited, ...(attrs ? ["ownership, perms or SE linux context changed"] : [])].filter((m) => m !== "").join(" and ");
}

/** A file the task creates, before its owner/group/mode are set (the become user is root). */
const NEW_FILE = { owner: "root", group: "root", uid: 0, gid: 0, mode: "0644" };

/** Schemas of the arguments every in-place edit takes after its own: validate, owner, group, mode, unsafe_writes. */
export const editSchemas = {
  validate: validateSchema,
  ...attrSchemas,
  mode: modeSchema,
  unsafe_writes: { type: "boolean", default: false, description: "Accepted for Ansible's roles; writes here are always atomic (temp file and rename)." },
} as const;
