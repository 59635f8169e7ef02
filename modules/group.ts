/**
 * group: Ansible's group on Debian: a group present (groupadd, with a gid and as a system group if asked; groupmod
 * when its gid differs) or absent (groupdel). The group is read with `getent group NAME` (the getent fact, so it
 * rides in the batched probe), which sees what Ansible's grp.getgrnam sees.
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan, type Prediction } from "../engine/module-api.js";
import { getentFact, type Getent } from "./facts/getent.js";

export interface Args {
  name: string;
  state?: "present" | "absent";
  gid?: number;
  system?: boolean;
  local?: boolean;
  non_unique?: boolean;
}

/**
 * The gid of the group getent found, or undefined when there is none. NaN: a group an earlier task would add in
 * check mode, with a gid groupadd would choose.
 */
function currentGid(name: string, found: Getent): number | undefined {
  if (found.code === 2) return undefined;
  const gid = found.code === 0 ? found.lines[0]?.split(":")[2] : undefined;
  if (gid === "") return NaN;
  if (gid === undefined || !/^\d+$/.test(gid)) throw new ModuleError(`getent group ${name} answered ${found.code}: ${JSON.stringify(found.lines)}`);
  return Number(gid);
}

/** What getent will answer after the change (an empty gid when groupadd chooses it). */
function predict(name: string, gid: number | undefined): Prediction[] {
  return [{ fact: getentFact, args: { database: "group", key: name }, value: { code: 0, lines: [`${name}:x:${gid ?? ""}:`] } }];
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  const { name, state = "present", system = false } = args;
  if (args.non_unique === true && args.gid === undefined) throw new ModuleError("missing parameter(s) required by 'non_unique': gid");
  // Ansible's local: true uses libuser's tools, which Debian does not install; they fail as they would there.
  const tool = (verb: "add" | "mod" | "del"): string => `${args.local === true ? "l" : ""}group${verb}`;
  const gid = currentGid(name, await ctx.fact(getentFact, { database: "group", key: name }));
  const output = (after: number | undefined): Record<string, unknown> => ({ name, state, ...(after === undefined ? {} : { system, gid: after }) });
  const gidOptions = args.gid === undefined ? [] : ["-g", String(args.gid), ...(args.non_unique === true ? ["-o"] : [])];
  let command: Command;
  if (state === "absent") {
    if (gid === undefined) return { changed: false, reason: `group ${name} does not exist`, output: output(undefined) };
    command = sh`${tool("del")} ${name}`;
    return { changed: true, summary: `remove group ${name}`, commands: [command], predicts: [{ fact: getentFact, args: { database: "group", key: name }, value: { code: 2, lines: [] } }], output: output(undefined) };
  }
  if (gid === undefined) {
    command = sh`${tool("add")} ${[...gidOptions, ...(system ? ["-r"] : []), name]}`;
    return { changed: true, summary: `add ${system ? "system " : ""}group ${name}${args.gid === undefined ? "" : ` (gid ${args.gid})`}`, commands: [command], predicts: predict(name, args.gid), output: output(args.gid) };
  }
  if (args.gid === undefined || args.gid === gid) return { changed: false, reason: `group ${name} exists${Number.isNaN(gid) ? "" : ` (gid ${gid})`}`, output: output(gid) };
  command = sh`${tool("mod")} ${[...gidOptions, name]}`;
  return { changed: true, summary: `change the gid of group ${name} from ${gid} to ${args.gid}`, commands: [command], predicts: predict(name, args.gid), output: output(args.gid) };
}

export default defineModule<Args>({
  name: "group",
  description: "Add, change or remove a group (Ansible's group)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 1, description: "The group's name." },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "Whether the group should exist." },
      gid: { type: "integer", minimum: 0, description: "The group's id; an existing group with another gid gets this one (groupmod)." },
      system: { type: "boolean", default: false, description: "Create it as a system group (a gid from the system range), when it is created." },
      local: { type: "boolean", default: false, description: "Use libuser's lgroupadd/lgroupmod/lgroupdel, as Ansible does (Debian has them only with the libuser package)." },
      non_unique: { type: "boolean", default: false, description: "Allow a gid another group has (`-o`); needs gid." },
    },
  },
  examples: [
    "- group: { name: rems, system: true }",
    "- group: { name: labstaff, gid: 2001 }",
    "- group: { name: olddept, state: absent }",
  ],
  capabilities: { diff: false, idempotent: true },
  check,
});
