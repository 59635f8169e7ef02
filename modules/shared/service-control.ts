/**
 * Plans the actions that take a service from its current state to the wanted one (pyinfra util/service.py): the
 * order is daemon-reload, unmask/mask, enable/disable, then start/stop/restart/reload. Pure: the systemd module
 * turns actions into systemctl commands.
 */

export type ServiceAction = "daemon-reload" | "unmask" | "mask" | "enable" | "disable" | "start" | "stop" | "restart" | "reload";

export interface ServiceState {
  /** The unit exists (a unit file, or a masked name). */
  exists: boolean;
  active: boolean;
  /** "enabled", "disabled", "static", "masked", ... as systemctl reports it. */
  unitFileState: string;
  needDaemonReload: boolean;
  canReload: boolean;
}

export interface ServiceWanted {
  state?: "started" | "stopped" | "restarted" | "reloaded" | undefined;
  enabled?: boolean | undefined;
  masked?: boolean | undefined;
  daemonReload: boolean;
}

export interface ServicePlan {
  actions: ServiceAction[];
  warnings: string[];
  /** The state after the actions. */
  after: ServiceState;
}

/** Unit file states `systemctl is-enabled` counts as enabled (exit code 0). */
const ENABLED = new Set(["enabled", "enabled-runtime", "alias", "static", "indirect", "generated", "transient"]);
/**
 * States enable/disable cannot change: the unit has no [Install] section or is not managed by links. An indirect
 * unit can: enabling or disabling it acts on the units its Also= names.
 */
const FIXED = new Set(["static", "generated", "transient", "alias"]);

export function isEnabled(state: ServiceState): boolean {
  return ENABLED.has(state.unitFileState);
}

export function planService(unit: string, current: ServiceState, wanted: ServiceWanted): ServicePlan {
  const actions: ServiceAction[] = [];
  const warnings: string[] = [];
  const after: ServiceState = { ...current, needDaemonReload: false };

  if (current.needDaemonReload) {
    warnings.push(`the unit file of ${unit} changed on disk: reloading systemd first`);
    actions.push("daemon-reload");
  }
  if (wanted.masked === true && current.unitFileState !== "masked") {
    actions.push("mask");
    after.unitFileState = "masked";
  }
  if (wanted.masked === false && current.unitFileState === "masked") {
    actions.push("unmask");
    // Unmasked, a unit is disabled until enabled.
    after.unitFileState = "disabled";
  }
  if (wanted.enabled !== undefined && after.unitFileState !== "masked") {
    if (FIXED.has(after.unitFileState)) {
      if (!wanted.enabled) warnings.push(`${unit} is ${after.unitFileState}: it cannot be disabled, only masked`);
    } else if (wanted.enabled !== isEnabled(after)) {
      actions.push(wanted.enabled ? "enable" : "disable");
      after.unitFileState = wanted.enabled ? "enabled" : "disabled";
    }
  }
  switch (wanted.state) {
    case "started":
      if (!current.active) actions.push("start");
      after.active = true;
      break;
    case "stopped":
      if (current.active) actions.push("stop");
      after.active = false;
      break;
    case "restarted":
      actions.push("restart");
      after.active = true;
      break;
    case "reloaded":
      // An inactive unit cannot reload: starting it loads its configuration too.
      if (!current.active) actions.push("start");
      else if (current.canReload) actions.push("reload");
      else {
        warnings.push(`${unit} cannot reload: restarting it instead`);
        actions.push("restart");
      }
      after.active = true;
      break;
    case undefined:
      break;
  }
  // An explicit daemon_reload joins a change; alone it would run on every play and never settle.
  if (wanted.daemonReload && actions.length > 0 && !actions.includes("daemon-reload")) actions.unshift("daemon-reload");
  return { actions, warnings, after };
}

/** "nginx.service is active and enabled". */
export function describeService(unit: string, state: ServiceState): string {
  if (!state.exists) return `unit ${unit} does not exist`;
  const file = state.unitFileState === "" ? "" : ` and ${state.unitFileState}`;
  return `${unit} is ${state.active ? "active" : "inactive"}${file}`;
}
