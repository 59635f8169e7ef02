/**
 * systemd: starts, stops, restarts, reloads, enables and masks one unit. `restarted` and `reloaded` act on every
 * run by nature (like Ansible's); every other state settles: after apply, check reports no change. A unit that
 * does not exist fails any state or enabled wanted of it, stopped and disabled too, as in Ansible ("Could not find
 * the requested service"); only masking works on a unit not installed yet. In check mode such a unit is planned
 * with a warning instead (an earlier task, e.g. a template of the unit file or an apt install, would create it).
 * The service module runs this check: on a systemd host Ansible's service hands its task to systemd too.
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { systemdUnitFact, type SystemdUnit } from "./facts/systemd-unit.js";
import { describeService, planService, type ServiceAction, type ServiceState } from "./shared/service-control.js";

/** The arguments with Ansible's defaults filled in (the engine passes them as written). */
interface Settings {
  name: string;
  state?: "started" | "stopped" | "restarted" | "reloaded";
  enabled?: boolean;
  masked?: boolean;
  daemon_reload: boolean;
}

export type Args = Omit<Settings, "daemon_reload"> & Partial<Pick<Settings, "daemon_reload">>;

function settings(args: Args): Settings {
  return { ...args, daemon_reload: args.daemon_reload ?? false };
}

const UNIT_TYPES = /\.(service|socket|timer|target|path|mount|automount|swap|slice|scope|device)$/;

/** systemctl's own rule: a name without a unit type is a service. */
export function unitName(name: string): string {
  return UNIT_TYPES.test(name) ? name : `${name}.service`;
}

function serviceState(unit: SystemdUnit): ServiceState {
  return {
    exists: unit.loadState !== "not-found",
    active: unit.activeState === "active" || unit.activeState === "reloading" || unit.activeState === "activating",
    unitFileState: unit.unitFileState,
    needDaemonReload: unit.needDaemonReload,
    canReload: unit.canReload,
  };
}

/** What a unit created by an earlier task looks like once systemd has loaded it. */
const NEW_UNIT: ServiceState = { exists: true, active: false, unitFileState: "disabled", needDaemonReload: false, canReload: false };

function command(action: ServiceAction, unit: string): Command {
  return action === "daemon-reload" ? sh`systemctl daemon-reload` : sh`systemctl ${action} ${unit}`;
}

function summary(actions: readonly ServiceAction[], unit: string): string {
  const verbs = actions.filter((a) => a !== "daemon-reload");
  const reload = actions.includes("daemon-reload") ? "reload systemd units" : "";
  const act = verbs.length > 0 ? `${verbs.join(" and ")} ${unit}` : "";
  return [reload, act].filter((s) => s !== "").join("; ");
}

async function check(ctx: ModuleContext, args: Settings): Promise<Plan> {
  const unit = unitName(args.name);
  if (args.state === undefined && args.enabled === undefined && args.masked === undefined && !args.daemon_reload) {
    throw new ModuleError("one of the following is required: state, enabled, masked, daemon_reload");
  }
  if (args.masked === true && (args.enabled === true || (args.state !== undefined && args.state !== "stopped"))) {
    throw new ModuleError(`masked: true contradicts ${args.enabled === true ? "enabled: true" : `state: ${args.state ?? ""}`} for ${unit}`);
  }
  const facts = await ctx.fact(systemdUnitFact, { unit });
  let current = serviceState(facts);
  const warnings: string[] = [];
  if (!current.exists && (args.enabled !== undefined || args.state !== undefined)) {
    if (!ctx.checkMode) throw new ModuleError(`unit ${unit} does not exist`);
    warnings.push(`unit ${unit} is not installed yet; an earlier task would create it`);
    current = NEW_UNIT;
  }
  const plan = planService(unit, current, {
    state: args.state,
    enabled: args.enabled,
    masked: args.masked,
    daemonReload: args.daemon_reload,
  });
  if (plan.actions.length === 0) {
    const notes = [...warnings, ...plan.warnings];
    const reason = describeService(unit, current);
    return { changed: false, reason: notes.length > 0 ? `${reason} (${notes.join("; ")})` : reason };
  }
  const after = plan.after;
  const predicted: SystemdUnit = {
    ...facts,
    loadState: after.unitFileState === "masked" ? "masked" : "loaded",
    activeState: after.active ? "active" : "inactive",
    subState: after.active ? "running" : "dead",
    unitFileState: after.unitFileState,
    needDaemonReload: false,
  };
  return {
    changed: true,
    summary: summary(plan.actions, unit),
    commands: plan.actions.map((a) => command(a, unit)),
    ...(warnings.length + plan.warnings.length > 0 ? { warnings: [...warnings, ...plan.warnings] } : {}),
    predicts: [{ fact: systemdUnitFact, args: { unit }, value: predicted }],
  };
}

export default defineModule<Args>({
  name: "systemd",
  description: "Manage the state of a systemd unit",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 1, description: "Unit name; `.service` is added when it has no unit type (`rems` is `rems.service`). It must exist unless only `masked` is wanted." },
      state: {
        type: "string",
        enum: ["started", "stopped", "restarted", "reloaded"],
        description:
          "`started`/`stopped` act only when needed; `restarted` always restarts and `reloaded` always reloads (an inactive unit is started), so those two report a change on every run.",
      },
      enabled: { type: "boolean", description: "Whether the unit starts at boot. Static units count as enabled and cannot be disabled." },
      masked: { type: "boolean", description: "Whether the unit is masked (linked to /dev/null) so nothing can start it." },
      daemon_reload: {
        type: "boolean",
        default: false,
        description:
          "Run `systemctl daemon-reload` before acting on the unit. It joins a change; it never runs alone. The module also reloads on its own whenever systemd reports that the unit file changed on disk.",
      },
    },
  },
  examples: [
    "- systemd: { name: rems, state: started, enabled: true, daemon_reload: true }",
    "- systemd: { name: nginx, state: reloaded }",
    "- systemd: { name: apache2.service, state: stopped, enabled: false }",
    "- systemd: { name: rpcbind.socket, state: stopped, masked: true }",
  ],
  capabilities: { diff: false, idempotent: true },
  aliases: { service: "name", unit: "name", "daemon-reload": "daemon_reload" },
  check: (ctx, args) => check(ctx, settings(args)),
});
