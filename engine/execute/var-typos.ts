/**
 * Likely typos in the variables a user sets: an inventory or -e variable that no role or play of the run knows
 * (defaults, vars, parameters, argument_specs, play vars and vars_files) but that is one edit away from one that
 * it does (`sever_name` for `server_name`). Such a variable is silently unused in Ansible and the role falls back
 * to its default; here it is a warning naming the likely intent and where the variable was set.
 */
import { oneEditApart } from "../did-you-mean.js";
import { variableSchemas, type VarLayer } from "../load/role-vars.js";
import { formatLocation } from "../errors.js";
import { locationOf } from "../source/locations.js";
import type { Play } from "../types.js";

/** Names shorter than this are too often one edit from another real name (`ip`/`id`) to be called typos. */
const MIN_LENGTH = 5;

/** The variable names the plays' roles and plays themselves define or declare. */
export function knownVariables(plays: readonly Play[]): Set<string> {
  const known = new Set<string>();
  const add = (vars: object): void => {
    for (const name of Object.keys(vars)) known.add(name);
  };
  for (const play of plays) {
    add(play.vars);
    add(play.varsFiles);
    for (const role of play.roles) {
      add(role.defaults);
      add(role.vars);
      add(role.params);
      if (role.argumentSchema) add(variableSchemas(role.argumentSchema));
    }
  }
  return known;
}

/** One warning per likely typo among the layers' variables (the inventory's and -e's). */
export function variableTypos(layers: readonly VarLayer[], known: ReadonlySet<string>): string[] {
  const warnings: string[] = [];
  const candidates = [...known];
  for (const layer of layers) {
    for (const name of Object.keys(layer.vars)) {
      if (known.has(name) || name.length < MIN_LENGTH || name.startsWith("ansible_")) continue;
      const intended = candidates.find((candidate) => oneEditApart(name, candidate));
      if (intended === undefined) continue;
      const loc = locationOf(layer.vars, name);
      const where = loc ? formatLocation(loc) : layer.label;
      warnings.push(`variable '${name}' (${where}) is used by no role or play of this run: did you mean '${intended}'?`);
    }
  }
  return warnings;
}
