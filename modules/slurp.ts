/**
 * slurp: a file of the host, base64-encoded, as ansible.builtin.slurp returns it (`content`, `encoding: base64`,
 * `source`), for `{{ result.content | b64decode }}`. The file is read through the file_base64 fact, so the read
 * travels in the play's one batched probe instead of costing a `shell: cat FILE` round trip. Read-only: it runs in
 * check mode too and always reports ok. The content is never put in a message or a reason (it may be a secret: a
 * key, a token); a task that registers one should say `no_log: true`.
 *
 * Failures carry Ansible's messages (file not found, not readable, a directory, a path through a file). The file is
 * read as the task's user (its become_user), as Ansible's module reads it. A path is read as written:
 * `~` is not expanded (Ansible would expand it on the host), so a path starting with it is refused.
 */
import { ModuleError } from "../engine/errors.js";
import { defineModule } from "../engine/module-api.js";
import { fileBase64, type FileBase64 } from "./facts/file-base64.js";

export interface SlurpArgs {
  src?: string;
}

/** The bytes of a base64 text (without decoding it). */
function decodedSize(content: string): number {
  return (content.length / 4) * 3 - (content.endsWith("==") ? 2 : content.endsWith("=") ? 1 : 0);
}

/** The base64 content of the fact, or Ansible's failure for the file. */
function content(source: string, file: FileBase64): string {
  switch (file.kind) {
    case "file":
      return file.content;
    case "absent":
      throw new ModuleError(`file not found: ${source}`);
    case "notdir":
      throw new ModuleError(`unable to slurp file: [Errno 20] Not a directory: '${source}'`);
    case "unreadable":
      throw new ModuleError(`file is not readable: ${source}`);
    case "directory":
      throw new ModuleError(`source is a directory and must be a file: ${source}`);
    case "special":
      throw new ModuleError(`unable to slurp file: ${source} is not a regular file (a device, a FIFO or a socket)`);
    case "failed":
      throw new ModuleError(`unable to slurp file: base64 failed on ${source} with exit code ${file.code}`);
  }
}

/** src, required at run time as in Ansible: a task without it fails when it runs (`action: slurp` alone). */
function sourceOf(args: SlurpArgs): string {
  const source = args.src;
  if (source === undefined) throw new ModuleError("missing required arguments: src");
  if (source.startsWith("~")) throw new ModuleError(`${source}: ~ is not expanded here; give the path from / (or relative to the login directory)`);
  return source;
}

export default defineModule<SlurpArgs>({
  name: "slurp",
  description: "Read a file of the host, base64-encoded, into the registered result (content, encoding, source)",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      src: {
        type: "string",
        minLength: 1,
        description:
          "The file to read on the host: a regular file, not a directory. Required (also spelled path). Taken as written: ~ is not expanded, and a relative path is relative to the login directory",
      },
    },
  },
  examples: [
    "- slurp:\n    src: /etc/rems/secret_key\n  register: rems_secret_key\n  no_log: true",
    "- slurp: { path: /var/run/sshd.pid }",
    "- slurp:\n    src: /etc/ssh/ssh_host_ed25519_key.pub\n  register: host_key\n- debug:\n    msg: \"{{ host_key.content | b64decode }}\"",
  ],
  capabilities: { diff: false, idempotent: true },
  aliases: { path: "src" },
  async check(ctx, args) {
    const source = sourceOf(args);
    const encoded = content(source, await ctx.fact(fileBase64, { path: source }));
    return { changed: false, reason: `read ${decodedSize(encoded)} bytes of ${source}`, output: { content: encoded, encoding: "base64", source } };
  },
});
