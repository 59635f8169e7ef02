/**
 * systemd: starts, stops, restarts, reloads, enables and masks one unit. `restarted` and `reloaded` act on every
 * run by nature (like Ansible's); every other state settles: after apply, check reports no change. A unit that
 * does not exist fails any state or enabled wanted of it, stopped and disabled too, and in check mode as well, with
 * Ansible's message ("Could not find the requested service"); in a --check run after an earlier task planned a
 * change, unlike Ansible, it is planned with a warning (that task may install it: an audit of a fresh host must
 * not fail on content that is fine); only masking works on a unit not installed yet.
 * `daemon_reload` alone (no name, as Ansible allows) reloads when a unit file or drop-in changed since systemd read
 * them, so it settles too. The service module runs this check: on a systemd host Ansible's service hands its task to systemd.
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ApplyResult, type ChangePlan, type ModuleContext, type Plan, type Prediction } from "../engine/module-api.js";
import { systemdLinksFact } from "./facts/systemd-links.js";
import { systemdReloadNeededFact } from "./facts/systemd-reload-needed.js";
import { systemdUnitFact, type SystemdUnit } from "./facts/systemd-unit.js";
import { describeService, planService, type ServiceAction, type ServiceState } from "./shared/service-control.js";

/** The arguments with Ansible's defaults filled in (the engine passes them as written). */
interface Settings {
  name?: string;
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

/** What a unit created by an earlier task looks like once systemd has loaded it. */
const NEW_UNIT: ServiceState = { exists: true, active: false, unitFileState: "disabled", needDaemonReload: false, canReload: false };

/** `unitFileState` as Ansible's systemd judges it: an indirect unit none of whose Also= units is enabled is disabled. */
function serviceState(unit: SystemdUnit, indirectLinks: number): ServiceState {
  return {
    exists: unit.loadState !== "not-found",
    active: unit.activeState === "active" || unit.activeState === "reloading" || unit.activeState === "activating",
    unitFileState: unit.unitFileState === "indirect" && indirectLinks === 0 ? "disabled" : unit.unitFileState,
    needDaemonReload: unit.needDaemonReload,
    canReload: unit.canReload,
  };
}

function command(action: ServiceAction, unit: string): Command {
  return action === "daemon-reload" ? sh`systemctl daemon-reload` : sh`systemctl ${action} ${unit}`;
}

function summary(actions: readonly ServiceAction[], unit: string): string {
  const verbs = actions.filter((a) => a !== "daemon-reload");
  const reload = actions.includes("daemon-reload") ? "reload systemd units" : "";
  const act = verbs.length > 0 ? `${verbs.join(" and ")} ${unit}` : "";
  return [reload, act].filter((s) => s !== "").join("; ");
}

/** `daemon_reload` without a unit: a reload when a unit file or drop-in changed since systemd read them. */
async function reloadOnly(ctx: ModuleContext): Promise<Plan> {
  const changed = await ctx.fact(systemdReloadNeededFact, {});
  if (changed.length === 0) return { changed: false, reason: "no unit file changed since systemd read them" };
  // The deepest changed path names what changed best (a new drop-in directory also changes its parent).
  const deepest = changed.reduce((a, b) => (b.split("/").length > a.split("/").length ? b : a));
  return {
    changed: true,
    summary: `reload systemd units (changed since systemd read them: ${deepest})`,
    commands: [sh`systemctl daemon-reload`],
    predicts: [{ fact: systemdReloadNeededFact, args: {}, value: [] }],
    data: RELOAD_ONLY,
  };
}

/** The data of a plan that only reloads: applied, it reports ok, as Ansible's daemon_reload alone always does. */
const RELOAD_ONLY = { reloadOnly: true };

/** The plan's commands in order; a reload alone is not reported as a change (Ansible's status), though it ran. */
async function apply(ctx: ModuleContext, _args: Args, plan: ChangePlan): Promise<ApplyResult> {
  for (const command of plan.commands) await ctx.run(command);
  return { changed: plan.data !== RELOAD_ONLY };
}

/** Ansible's result fields: the unit's name, the state and enabled asked for, and the properties read. */
function output(args: Settings, unit: SystemdUnit): Record<string, unknown> {
  const status = {
    LoadState: unit.loadState,
    ActiveState: unit.activeState,
    SubState: unit.subState,
    UnitFileState: unit.unitFileState,
    NeedDaemonReload: unit.needDaemonReload ? "yes" : "no",
    CanReload: unit.canReload ? "yes" : "no",
  };
  const state = args.state === undefined ? {} : { state: args.state === "stopped" ? "stopped" : "started" };
  return { name: args.name, ...state, ...(args.enabled === undefined ? {} : { enabled: args.enabled }), status };
}

async function check(ctx: ModuleContext, args: Settings): Promise<Plan> {
  if (args.state === undefined && args.enabled === undefined && args.masked === undefined && !args.daemon_reload) {
    throw new ModuleError("one of the following is required: state, enabled, masked, daemon_reload");
  }
  if (args.name === undefined) {
    const wanted = (["state", "enabled", "masked"] as const).find((key) => args[key] !== undefined);
    if (wanted !== undefined) throw new ModuleError(`missing parameter(s) required by '${wanted}': name`);
    return reloadOnly(ctx);
  }
  const unit = unitName(args.name);
  if (args.masked === true && (args.enabled === true || (args.state !== undefined && args.state !== "stopped"))) {
    throw new ModuleError(`masked: true contradicts ${args.enabled === true ? "enabled: true" : `state: ${args.state ?? ""}`} for ${unit}`);
  }
  const facts = await ctx.fact(systemdUnitFact, { unit });
  const links = facts.unitFileState === "indirect" ? (await ctx.fact(systemdLinksFact, { unit })).links.length : 0;
  let current = serviceState(facts, links);
  const warnings: string[] = [];
  // Ansible's own message: a unit wanted started, stopped, enabled or disabled must exist, in check mode too. Where
  // an earlier task of a --check run planned a change, it is planned instead, with a warning, unlike Ansible: that
  // task may bring the unit (its package, its unit file), and an audit of a fresh host must not fail on content
  // that is fine. With nothing planned before it, the host is as the task finds it: the unit is missing.
  if (!current.exists && (args.enabled !== undefined || args.state !== undefined)) {
    if (!ctx.checkMode || !ctx.changesPlanned) throw new ModuleError(`Could not find the requested service ${args.name}: host`);
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
    return { changed: false, reason: describeService(unit, current), output: output(args, facts), ...(notes.length > 0 ? { warnings: notes } : {}) };
  }
  const after = plan.after;
  const predicted: SystemdUnit = {
    ...facts,
    loadState: after.unitFileState === "masked" ? "masked" : "loaded",
    activeState: after.active ? "active" : "inactive",
    subState: after.active ? "running" : "dead",
    // Enabling or disabling an indirect unit acts on its Also= units: systemd still calls it indirect.
    unitFileState: facts.unitFileState === "indirect" && after.unitFileState !== "masked" ? "indirect" : after.unitFileState,
    needDaemonReload: false,
  };
  const predicts: Prediction[] = [{ fact: systemdUnitFact, args: { unit }, value: predicted }];
  // Which links enabling creates is known only after it; that disabling leaves none is known before.
  if (predicted.unitFileState === "indirect" && plan.actions.includes("disable")) predicts.push({ fact: systemdLinksFact, args: { unit }, value: { state: "indirect", links: [] } });
  return {
    changed: true,
    summary: summary(plan.actions, unit),
    commands: plan.actions.map((a) => command(a, unit)),
    ...(warnings.length + plan.warnings.length > 0 ? { warnings: [...warnings, ...plan.warnings] } : {}),
    predicts,
    output: output(args, predicted),
  };
}

export default defineModule<Args>({
  name: "systemd",
  description: "Manage the state of a systemd unit",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      name: {
        type: "string",
        minLength: 1,
        description:
          "Unit name; `.service` is added when it has no unit type (`rems` is `rems.service`). Required with state, enabled and masked; it must exist unless only `masked` is wanted.",
      },
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
          "Run `systemctl daemon-reload` before acting on the unit: it joins a change of the unit. Without `name`, it reloads when a unit file or drop-in changed since systemd last read them (Ansible reloads every time); that reload is reported ok, as Ansible reports it (a --check run shows it as a change to come). The module also reloads on its own whenever systemd reports that the unit file changed on disk.",
      },
    },
  },
  examples: [
    "- systemd: { name: rems, state: started, enabled: true, daemon_reload: true }",
    "- systemd: { name: nginx, state: reloaded }",
    "- systemd: { name: apache2.service, state: stopped, enabled: false }",
    "- systemd: { name: rpcbind.socket, state: stopped, masked: true }",
    "- systemd: { daemon_reload: true }",
  ],
  capabilities: { diff: false, idempotent: true },
  aliases: { service: "name", unit: "name", "daemon-reload": "daemon_reload" },
  check: (ctx, args) => check(ctx, settings(args)),
  apply,
});
