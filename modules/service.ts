/**
 * service: Ansible's service on a systemd host. Ansible's service action hands a task to the systemd module when
 * the host runs systemd, after dropping, with a warning, the arguments systemd has no use for (pattern, runlevel,
 * sleep, arguments); rems-play manages systemd hosts, so this module is that hand-over: the systemd module's own
 * check (modules/systemd.ts, planned by modules/shared/service-control.ts) with the arguments it passes on, which
 * are all of systemd's that rems-play has, as in Ansible.
 */
import { ModuleError } from "../engine/errors.js";
import { defineModule, type JsonSchema } from "../engine/module-api.js";
import systemd, { type Args as SystemdArgs } from "./systemd.js";

export interface Args extends SystemdArgs {
  arguments?: string;
  pattern?: string;
  runlevel?: string;
  sleep?: number;
  use?: string;
}

/** What Ansible's service action removes before it runs systemd (its UNUSED_PARAMS). */
const IGNORED = ["pattern", "runlevel", "sleep", "arguments"] as const;

const SYSTEMD_ARGUMENTS = systemd.schema.properties as Record<string, JsonSchema>;

export default defineModule<Args>({
  name: "service",
  description: "Manage a service (Ansible's service on a systemd host: the systemd module does the work)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      ...SYSTEMD_ARGUMENTS,
      arguments: { type: "string", description: "Extra arguments for init scripts; ignored with a warning on systemd, as in Ansible." },
      pattern: { type: "string", description: "A `ps` pattern standing in for a status command; ignored with a warning on systemd, as in Ansible." },
      runlevel: { type: "string", description: "OpenRC's runlevel; ignored with a warning on systemd, as in Ansible." },
      sleep: { type: "integer", minimum: 0, description: "Seconds between stop and start of a restart for init scripts; ignored with a warning on systemd, as in Ansible." },
      use: {
        type: "string",
        default: "auto",
        description: "The service manager module to use: `auto` or `systemd` (the only one rems-play has); anything else fails the task.",
      },
    },
  },
  examples: [
    "- service: { name: nginx, state: started, enabled: true }",
    "- service: { name: nginx, state: reloaded, daemon_reload: true }",
    "- service: { name: apache2, state: stopped, enabled: false }",
  ],
  capabilities: systemd.capabilities,
  aliases: { ...systemd.aliases, args: "arguments" },
  check: (ctx, args) => {
    const { use = "auto", arguments: _arguments, pattern: _pattern, runlevel: _runlevel, sleep: _sleep, ...passed } = args;
    if (use !== "auto" && use !== "systemd") throw new ModuleError(`use: ${use}: rems-play manages services with systemd; use auto or systemd`);
    for (const name of IGNORED) if (args[name] !== undefined) ctx.warn(`Ignoring "${name}" as it is not used in "systemd"`);
    return systemd.check(ctx, passed);
  },
});
