/**
 * package: Ansible's OS-neutral package module. Ansible's package action finds the host's package manager and
 * hands it the task with every argument but `use`; on Debian that manager is apt, so this module is that
 * hand-over: apt's own check (modules/apt.ts) with apt's arguments, as a role written for package may use them.
 */
import { ModuleError } from "../engine/errors.js";
import { defineModule, type JsonSchema } from "../engine/module-api.js";
import apt, { type Args as AptArgs } from "./apt.js";

export interface Args extends AptArgs {
  use?: string;
}

const APT_ARGUMENTS = apt.schema.properties as Record<string, JsonSchema>;

export default defineModule<Args>({
  name: "package",
  description: "Manage packages with the host's package manager (Ansible's package: apt on Debian)",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      ...APT_ARGUMENTS,
      use: {
        type: "string",
        default: "auto",
        description: "The package manager module to use: `auto` or `apt` (the one rems-play has for Debian); anything else fails the task.",
      },
    },
  },
  examples: [
    "- package: { name: [nginx, sqlite3], state: present }",
    "- package: { name: chrony, state: latest, update_cache: true, cache_valid_time: 3600 }",
    "- package: { name: apache2, state: absent }",
  ],
  capabilities: apt.capabilities,
  aliases: { ...apt.aliases },
  check: (ctx, args) => {
    const { use = "auto", ...passed } = args;
    if (use !== "auto" && use !== "apt") throw new ModuleError(`use: ${use}: rems-play manages Debian's packages with apt; use auto or apt`);
    return apt.check(ctx, passed);
  },
});
