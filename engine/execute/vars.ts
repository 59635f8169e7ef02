/**
 * Variable precedence, lowest first (Ansible's order where it matters, documented in the README):
 *   1 role defaults (all of the play's roles; the task's own role last)
 *   2 inventory group vars (all, then parent groups before child groups)
 *   3 inventory host vars
 *   4 play vars, then vars_files
 *   5 role vars, then role parameters
 *   6 block vars (outer to inner), then task vars
 *   7 registered results and set_fact
 *   8 extra vars (-e)
 * Magic variables (inventory_hostname, groups, hostvars, ansible_facts ...) are set by the engine and cannot be
 * overridden by layers 1-7.
 */
import type { RoleContext, Vars } from "../types.js";

export interface VarLayer {
  /** What the layer is, for messages: "role app defaults", "host vars", "extra vars". */
  label: string;
  vars: Vars;
}

/** What layers 1-5 come from: the same for every task of one role on one host. */
export interface RoleScope {
  playRoles: readonly RoleContext[];
  role: RoleContext | undefined;
  inventoryVars: Vars;
  playVars: Vars;
  playVarsFiles: Vars;
}

/** What layers 6-8 and the magic variables come from: each task's own. */
export interface OwnScope {
  /** Outer block vars first, the task's own vars last. */
  scopeVars: readonly Vars[];
  hostFacts: Vars;
  extraVars: Vars;
  magic: Vars;
}

export type TaskScope = RoleScope & OwnScope;

export function roleLayers(scope: RoleScope): VarLayer[] {
  const layers: VarLayer[] = [];
  for (const role of scope.playRoles) {
    if (role !== scope.role) layers.push({ label: `role ${role.name} defaults`, vars: role.defaults });
  }
  if (scope.role) layers.push({ label: `role ${scope.role.name} defaults`, vars: scope.role.defaults });
  layers.push({ label: "inventory vars", vars: scope.inventoryVars });
  layers.push({ label: "play vars", vars: scope.playVars });
  layers.push({ label: "play vars_files", vars: scope.playVarsFiles });
  if (scope.role) {
    layers.push({ label: `role ${scope.role.name} vars`, vars: scope.role.vars });
    layers.push({ label: `role ${scope.role.name} parameters`, vars: scope.role.params });
  }
  return layers;
}

export function ownLayers(scope: OwnScope): VarLayer[] {
  const layers = scope.scopeVars.map((vars, i) => ({ label: i === scope.scopeVars.length - 1 ? "task vars" : "block vars", vars }));
  layers.push({ label: "registered and set_fact", vars: scope.hostFacts });
  layers.push({ label: "extra vars", vars: scope.extraVars });
  layers.push({ label: "magic vars", vars: scope.magic });
  return layers;
}

/**
 * Flattens layers over `below` (already merged lower layers, e.g. a role's on a host, merged once for all its
 * tasks): a later layer's variable replaces an earlier one whole (Ansible's default hash_behaviour=replace).
 */
export function mergeLayers(layers: readonly VarLayer[], below: Vars = {}): Vars {
  const out: Vars = { ...below };
  for (const layer of layers) Object.assign(out, layer.vars);
  return out;
}

/** Ansible's `omit` placeholder: a module argument templated to it is left out. */
export const OMIT = "__omit_place_holder__rems_play__";

/** Drops the arguments whose value is the omit placeholder. */
export function withoutOmitted(args: Vars): Vars {
  return Object.fromEntries(Object.entries(args).filter(([, value]) => value !== OMIT));
}
