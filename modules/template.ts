/**
 * template: render a nunjucks template on the controller with the host's variables and write the result with
 * the same atomic write path, backup, validate and diff as copy (ansible's template action → copy).
 */
import { defineModule } from "../engine/module-api.js";
import { modeSchema, type ModeArg } from "./shared/file-mode.js";
import { applyPutFile, attrSchemas, planPutFile } from "./shared/put-file.js";
import { validateSchema } from "./shared/validate.js";

export interface TemplateArgs {
  src: string;
  dest: string;
  owner?: string;
  group?: string;
  mode?: ModeArg;
  backup?: boolean;
  validate?: string;
  force?: boolean;
  trim_blocks?: boolean;
  lstrip_blocks?: boolean;
  newline_sequence?: "\n" | "\r\n" | "\r";
}

export default defineModule<TemplateArgs>({
  name: "template",
  description: "Render a template on the controller and write it to a file on the host",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["src", "dest"],
    properties: {
      src: {
        type: "string",
        minLength: 1,
        description: "Template file, searched in the role's templates/ then relative to the playbook; a vault-encrypted one is decrypted on the controller",
      },
      dest: { type: "string", minLength: 1, description: "Absolute path of the file to write on the host" },
      ...attrSchemas,
      mode: modeSchema,
      backup: { type: "boolean", default: false, description: "Keep the replaced file as dest.<timestamp>~; its path is returned as backup_file" },
      validate: validateSchema,
      force: { type: "boolean", default: true, description: "Replace a file whose content differs; false only writes dest when it does not exist yet" },
      trim_blocks: { type: "boolean", default: true, description: "Remove the first newline after a block tag ({% if %}, {% for %} ...); a `#jinja2:` first line of the template wins" },
      lstrip_blocks: { type: "boolean", default: false, description: "Strip the blanks before a block tag at the start of a line; a `#jinja2:` first line of the template wins" },
      newline_sequence: { type: "string", enum: ["\n", "\r\n", "\r"], default: "\n", description: "Line break written for each line break of the template's text" },
    },
  },
  examples: [
    "- template:\n    src: rems.nginx.conf.j2\n    dest: /etc/nginx/sites-available/rems\n    mode: \"0644\"\n    backup: true",
    "- template: { src: rems.env.j2, dest: /etc/rems/rems.env, owner: root, group: rems, mode: \"u=rw,g=r,o=\" }",
  ],
  capabilities: { diff: true, idempotent: true },
  controllerFile: () => ({ arg: "src", kind: "templates" }),
  check(ctx, args) {
    const path = ctx.findFile(args.src, "templates");
    return planPutFile(ctx, {
      dest: args.dest,
      // Rendered after planPutFile read the host: the template may read a result an earlier task registers, which
      // the prefetch pass does not have.
      content: () => ctx.renderFile(path, { trim_blocks: args.trim_blocks, lstrip_blocks: args.lstrip_blocks, newline_sequence: args.newline_sequence }),
      owner: args.owner,
      group: args.group,
      mode: args.mode,
      backup: args.backup,
      validate: args.validate,
      force: args.force,
      source: args.src,
    });
  },
  apply: (ctx, _args, plan) => applyPutFile(ctx, plan),
});
