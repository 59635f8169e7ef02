/**
 * The magic variables (inventory_hostname, groups, hostvars, ansible_facts, ansible_check_mode ...): the parts
 * that depend only on the inventory and the play are made once per play; a host's are made again only when its
 * facts or the play's active hosts changed. Facts are data: never rendered.
 */
import { factVars } from "../gather-facts.js";
import type { Inventory } from "../load/inventory.js";
import { unsafeVars } from "../template/render.js";
import { ownScope } from "../template/scope.js";
import type { Play, Vars } from "../types.js";
import type { HostPool } from "./host-pool.js";
import type { HostRun } from "./host-run.js";
import { OMIT } from "./vars.js";


export interface MagicSettings {
  check: boolean;
  diff: boolean;
  verbosity: number;
}

/** Makes the magic variables of each host of one play. */
export function playMagic(
  inventory: Inventory,
  pool: HostPool,
  play: Play,
  playHostNames: readonly string[],
  inventoryVars: (host: string) => Vars,
  settings: MagicSettings,
): (host: HostRun) => Vars {
  const { hosts } = pool;
  const described = inventory.hosts();
  const groups: Record<string, string[]> = { all: described.map((h) => h.name) };
  for (const group of inventory.groupNames()) groups[group] = inventory.selectHosts(group);
  const groupNames = new Map(described.map((h) => [h.name, [...h.groups].sort()]));
  const hostMagic = (name: string): Vars => ({
    inventory_hostname: name,
    inventory_hostname_short: name.split(".")[0],
    group_names: groupNames.get(name) ?? [],
    groups,
    playbook_dir: play.dir,
  });
  // Each host's inventory variables, facts and own magic variables, read when used (facts are gathered after this
  // is made). Their templates render with that host's variables, wherever they are read from (ownScope).
  const hostvars: Record<string, Vars> = {};
  for (const h of described) {
    Object.defineProperty(hostvars, h.name, {
      enumerable: true,
      get: () => {
        // A host outside the play may hold facts a task delegated to it with delegate_facts.
        const state = pool.stateOf(h.name);
        return ownScope({ ...inventoryVars(h.name), ...hostFactVars(state), ...state?.hostFacts, ...hostMagic(h.name), hostvars });
      },
    });
  }
  const made = new Map<HostRun, { facts: Vars; active: number; vars: Vars }>();
  return (host) => {
    // Every task asks: hosts only drop out of a play, so a count tells whether the active hosts changed.
    const active = playHostNames.filter((name) => hosts.get(name)?.active ?? true);
    const facts = hostFactVars(host);
    const cached = made.get(host);
    if (cached && cached.facts === facts && cached.active === active.length) return cached.vars;
    const vars: Vars = {
      ...facts,
      ...hostMagic(host.name),
      hostvars,
      ansible_play_hosts: active,
      ansible_play_hosts_all: playHostNames,
      ansible_check_mode: settings.check,
      ansible_diff_mode: settings.diff,
      ansible_verbosity: settings.verbosity,
      omit: OMIT,
    };
    made.set(host, { facts, active: active.length, vars });
    return vars;
  };
}

// Every task's variables include the host's facts, which change only when gathered or returned by a module.
const factVarsMemo = new WeakMap<HostRun, { gathered: Vars | undefined; returned: Vars | undefined; vars: Vars }>();

function hostFactVars(host: HostRun | undefined): Vars {
  if (!host) return factVars({});
  const memo = factVarsMemo.get(host);
  if (memo && memo.gathered === host.gathered && memo.returned === host.moduleFacts) return memo.vars;
  const vars = unsafeVars(factVars(host.gathered ?? {}, host.moduleFacts));
  factVarsMemo.set(host, { gathered: host.gathered, returned: host.moduleFacts, vars });
  return vars;
}
