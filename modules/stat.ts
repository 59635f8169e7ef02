/**
 * stat: Ansible's stat, a read-only look at one path registered as Ansible's `stat` result (exists, isdir, isreg,
 * islnk, mode, uid/gid, pw_name/gr_name, size, mtime, checksum, mimetype, attributes ...). Its read is a fact, so
 * it rides in the host's batched probe; it never changes anything, in check mode or not.
 */
import { defineModule } from "../engine/module-api.js";
import { pathStat, type ChecksumAlgorithm, type PathStat } from "./facts/path-stat.js";

export interface Args {
  path: string;
  follow?: boolean;
  get_checksum?: boolean;
  checksum_algorithm?: ChecksumAlgorithm;
  get_md5?: boolean;
  get_mime?: boolean;
  get_attributes?: boolean;
}

function describe(path: string, stat: PathStat): string {
  if (!stat.exists) return `${path} does not exist`;
  const kind = stat.isreg === true ? "a file" : stat.isdir === true ? "a directory" : stat.islnk === true ? `a link to ${String(stat.lnk_target)}` : "a special file";
  return `${path} is ${kind} (${String(stat.pw_name ?? stat.uid)}:${String(stat.gr_name ?? stat.gid)} ${String(stat.mode)})`;
}

export default defineModule<Args>({
  name: "stat",
  description: "Read a path's status (Ansible's stat result); never changes anything",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["path"],
    properties: {
      path: { type: "string", minLength: 1, description: "The path on the host to look at." },
      follow: { type: "boolean", default: false, description: "Look at what a symlink points to instead of the link itself." },
      get_checksum: { type: "boolean", default: true, description: "Return `checksum`, of a regular file the connecting user can read." },
      checksum_algorithm: {
        type: "string",
        enum: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
        default: "sha1",
        description: "The algorithm of `checksum`.",
      },
      get_md5: { type: "boolean", default: false, description: "Also return `md5` (Ansible's undocumented option, still found in older roles)." },
      get_mime: { type: "boolean", default: true, description: "Return `mimetype` and `charset` as `file` sees them (`unknown` where the host has no `file`)." },
      get_attributes: { type: "boolean", default: true, description: "Return `attributes`, `attr_flags` and `version` as `lsattr` shows them." },
    },
  },
  examples: [
    "- stat: { path: /etc/nginx/sites-enabled/default }\n  register: default_site",
    "- stat: { path: /opt/rems/app.tar.gz, checksum_algorithm: sha256, get_mime: false }\n  register: archive",
    "- stat: { path: /etc/ssl/private/rems.key, follow: true }\n  register: key",
  ],
  capabilities: { diff: false, idempotent: true },
  aliases: { dest: "path", name: "path", checksum: "checksum_algorithm", checksum_algo: "checksum_algorithm", mime: "get_mime", mime_type: "get_mime", "mime-type": "get_mime", attr: "get_attributes", attributes: "get_attributes" },
  check: async (ctx, args) => {
    const stat = await ctx.fact(pathStat, {
      path: args.path,
      follow: args.follow ?? false,
      checksum: args.get_checksum === false ? null : (args.checksum_algorithm ?? "sha1"),
      md5: args.get_md5 ?? false,
      mime: args.get_mime ?? true,
      attributes: args.get_attributes ?? true,
    });
    return { changed: false, reason: describe(args.path, stat), output: { stat } };
  },
});
