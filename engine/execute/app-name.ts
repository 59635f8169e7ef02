/**
 * The application a play deploys to a host, as the roles name it (`app_name`): part of the key of the host's run
 * record, so two apps deployed with the same playbook keep records of their own. Read from the layers known
 * before the host is contacted (role defaults, inventory, play vars, vars_files, extra vars); a name that needs
 * facts or results cannot be known yet, and the record is then the playbook's alone.
 */
import { renderValue } from "../template/render.js";
import type { Play, Vars } from "../types.js";
import { mergeLayers, roleLayers } from "./vars.js";

export function appName(play: Play, host: string, inventoryVars: Vars, extraVars: Vars): string | undefined {
  const vars: Vars = { ...mergeLayers(roleLayers({ playRoles: play.roles, role: undefined, inventoryVars, playVars: play.vars, playVarsFiles: play.varsFiles })), ...extraVars, inventory_hostname: host };
  if (vars.app_name === undefined || vars.app_name === null) return undefined;
  try {
    const name = renderValue(vars.app_name, vars, {});
    return typeof name === "string" && name !== "" ? name : undefined;
  } catch {
    return undefined;
  }
}
