/**
 * user: Ansible's user on Debian, its common arguments: an account present (useradd; usermod for what differs:
 * uid, primary group, supplementary groups with append, comment, home with move_home, shell, password, lock) or
 * absent (userdel, with force and remove). Read with getent (passwd, and shadow, group only when the task asks
 * about passwords or groups), so it rides in the batched probe. The password hash goes to `chpasswd -e` on stdin,
 * never into a command line where any user of the host could read it (Ansible puts it in useradd's argv).
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ApplyResult, type ChangePlan, type ModuleContext, type Plan } from "../engine/module-api.js";
import { getentFact, type Getent } from "./facts/getent.js";

export interface Args {
  name: string;
  state?: "present" | "absent";
  uid?: number;
  non_unique?: boolean;
  group?: string;
  groups?: string | string[];
  append?: boolean;
  comment?: string;
  home?: string;
  move_home?: boolean;
  shell?: string;
  create_home?: boolean;
  skeleton?: string;
  system?: boolean;
  password?: string;
  update_password?: "always" | "on_create";
  password_lock?: boolean;
  remove?: boolean;
  force?: boolean;
}

interface Account {
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
}

/** Handed from check to apply: the stdin of the `chpasswd -e` command, which is commands[index]. */
interface PasswordData {
  index: number;
  stdin: string;
}

const lookup = (database: string, key?: string): { fact: typeof getentFact; args: { database: string; key?: string } } => ({ fact: getentFact, args: key === undefined ? { database } : { database, key } });

function account(name: string, found: Getent): Account | undefined {
  if (found.code === 2) return undefined;
  const fields = found.code === 0 ? found.lines[0]?.split(":") : undefined;
  if (fields?.length !== 7) throw new ModuleError(`getent passwd ${name} answered ${found.code}: ${JSON.stringify(found.lines)}`);
  const [, , uid = "", gid = "", comment = "", home = "", shell = ""] = fields;
  return { uid: Number(uid), gid: Number(gid), comment, home, shell };
}

/** Ansible's groups: a list, or one comma-separated string; "" is none. */
function groupList(groups: string | string[]): string[] {
  const list = typeof groups === "string" ? groups.split(",") : groups;
  return [...new Set(list.map((g) => g.trim()).filter((g) => g !== ""))];
}

/** The supplementary groups that list `name` as a member (Ansible's user_group_membership). */
function memberships(name: string, all: Getent): string[] {
  return all.lines.flatMap((line) => {
    const [group = "", , , members = ""] = line.split(":");
    return members.split(",").includes(name) ? [group] : [];
  });
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  const { name, state = "present" } = args;
  if (args.password !== undefined) ctx.addSecret(args.password);
  const wantsGroups = args.groups !== undefined;
  const wantsPassword = args.password !== undefined || args.password_lock !== undefined;
  // One request for all the task reads, so the prefetch pass learns all of it; the optional reads are by name.
  const wanted = {
    passwd: lookup("passwd", name),
    shadow: wantsPassword ? lookup("shadow", name) : undefined,
    allGroups: wantsGroups ? lookup("group") : undefined,
    primaryGroup: args.group === undefined ? undefined : lookup("group", args.group),
    // Without a group, a group of the account's name decides useradd's -N.
    ownGroup: args.group === undefined && state === "present" ? lookup("group", name) : undefined,
  };
  const asked = Object.entries(wanted).flatMap(([key, request]) => (request === undefined ? [] : [{ key, request }]));
  const answers = await ctx.facts(asked.map((a) => a.request));
  const got = Object.fromEntries(asked.map((a, i) => [a.key, answers[i] as Getent])) as Partial<Record<keyof typeof wanted, Getent>>;
  const { passwd, shadow: shadowEntry, allGroups, primaryGroup, ownGroup } = got;
  const current = account(name, passwd ?? { code: 2, lines: [] });
  const output: Record<string, unknown> = { name, state, ...(args.password === undefined ? {} : { password: "NOT_LOGGING_PASSWORD" }) };

  if (state === "absent") {
    if (current === undefined) return { changed: false, reason: `user ${name} does not exist`, output };
    const options = [...(args.force === true ? ["-f"] : []), ...(args.remove === true ? ["-r"] : [])];
    return {
      changed: true,
      summary: `remove user ${name}${args.remove === true ? " and its home" : ""}`,
      commands: [sh`userdel ${[...options, name]}`],
      predicts: [{ ...lookup("passwd", name), value: { code: 2, lines: [] } }],
      output: { ...output, force: args.force ?? false, remove: args.remove ?? false },
    };
  }

  if (args.group !== undefined && primaryGroup?.code !== 0) throw new ModuleError(`Group ${args.group} does not exist`);
  const wantedGroups = args.groups === undefined ? undefined : groupList(args.groups);
  const known = new Set((allGroups?.lines ?? []).map((line) => line.split(":")[0]));
  const missingGroup = wantedGroups?.find((g) => !known.has(g));
  if (missingGroup !== undefined) throw new ModuleError(`Group ${missingGroup} does not exist`);
  const lock = args.password_lock === true ? "!" : "";
  const passwordStep = (hash: string): { command: Command; stdin: string } => ({ command: sh`chpasswd -e`, stdin: `${name}:${hash}\n` });
  const commands: Command[] = [];
  const changes: string[] = [];
  let password: { command: Command; stdin: string } | undefined;

  if (current === undefined) {
    const options = [
      ...(args.uid === undefined ? [] : ["-u", String(args.uid), ...(args.non_unique === true ? ["-o"] : [])]),
      // Debian's useradd refuses to make a user group when a group of that name exists: -N (the default group), as Ansible.
      ...(args.group === undefined ? (ownGroup?.code === 0 ? ["-N"] : []) : ["-g", args.group]),
      ...(wantedGroups === undefined || wantedGroups.length === 0 ? [] : ["-G", wantedGroups.filter((g) => g !== args.group).join(",")]),
      ...(args.comment === undefined ? [] : ["-c", args.comment]),
      ...(args.home === undefined ? [] : ["-d", args.home]),
      ...(args.shell === undefined ? [] : ["-s", args.shell]),
      ...((args.create_home ?? true) ? ["-m", ...(args.skeleton === undefined ? [] : ["-k", args.skeleton])] : ["-M"]),
      ...(args.system === true ? ["-r"] : []),
    ];
    commands.push(sh`useradd ${[...options, name]}`);
    if (args.password !== undefined) password = passwordStep(`${lock}${args.password}`);
    else if (args.password_lock === true) commands.push(sh`usermod -L ${name}`);
    changes.push(`add ${args.system === true ? "system " : ""}user ${name}`);
  } else {
    const options: string[] = [];
    if (args.uid !== undefined && args.uid !== current.uid) options.push("-u", String(args.uid), ...(args.non_unique === true ? ["-o"] : []));
    const gid = gidOf(primaryGroup);
    if (gid !== undefined && Number(gid) !== current.gid) options.push("-g", gid);
    if (wantedGroups !== undefined) {
      const have = memberships(name, allGroups ?? { code: 0, lines: [] });
      const append = args.append === true;
      const differs = append ? wantedGroups.some((g) => !have.includes(g)) : wantedGroups.length !== have.length || have.some((g) => !wantedGroups.includes(g));
      if (differs) options.push(...(append ? ["-a"] : []), "-G", wantedGroups.join(","));
    }
    if (args.comment !== undefined && args.comment !== current.comment) options.push("-c", args.comment);
    if (args.home !== undefined && args.home !== current.home) options.push("-d", args.home, ...(args.move_home === true ? ["-m"] : []));
    if (args.shell !== undefined && args.shell !== current.shell) options.push("-s", args.shell);
    const hash = shadowEntry?.code === 0 ? (shadowEntry.lines[0]?.split(":")[1] ?? "") : "";
    const newHash = (args.update_password ?? "always") === "always" && args.password !== undefined && hash.replace(/^!+/, "") !== args.password.replace(/^!+/, "");
    // A new hash replaces a lock, unless password_lock asks for one (Ansible's usermod -p).
    if (newHash) password = passwordStep(`${lock}${args.password ?? ""}`);
    else if (args.password_lock === true && !hash.startsWith("!")) options.push("-L");
    else if (args.password_lock === false && hash.startsWith("!")) options.push("-U");
    if (options.length > 0) {
      commands.push(sh`usermod ${[...options, name]}`);
      changes.push(`change user ${name} (${options.filter((o) => o.startsWith("-")).join(" ")})`);
    }
    if (password) changes.push(`set the password of ${name}`);
  }
  if (password) commands.push(password.command);
  const result = { ...output, ...(current === undefined ? { system: args.system ?? false, create_home: args.create_home ?? true } : { append: args.append ?? false, move_home: args.move_home ?? false }) };
  if (commands.length === 0) return { changed: false, reason: `user ${name} is as wanted (uid ${current?.uid ?? ""})`, output: { ...result, uid: current?.uid, group: current?.gid, comment: current?.comment, home: current?.home, shell: current?.shell } };
  const after = `${name}:x:${args.uid ?? current?.uid ?? ""}:${gidOf(primaryGroup) ?? current?.gid ?? ""}:${args.comment ?? current?.comment ?? ""}:${args.home ?? current?.home ?? `/home/${name}`}:${args.shell ?? current?.shell ?? ""}`;
  return {
    changed: true,
    summary: changes.join("; "),
    commands,
    predicts: [{ ...lookup("passwd", name), value: { code: 0, lines: [after] } }],
    // Ansible's result names the home (useradd's default /home/NAME for a new user): tasks read `result.home`.
    output: { ...result, home: args.home ?? current?.home ?? `/home/${name}` },
    ...(password ? { data: { index: commands.length - 1, stdin: password.stdin } satisfies PasswordData } : {}),
  };
}

function gidOf(group: Getent | undefined): string | undefined {
  return group?.code === 0 ? group.lines[0]?.split(":")[2] : undefined;
}

/** Runs the planned commands; `chpasswd -e` gets the name and hash on stdin. */
async function apply(ctx: ModuleContext, _args: Args, plan: ChangePlan): Promise<ApplyResult> {
  const data = plan.data as PasswordData | undefined;
  for (const [index, command] of plan.commands.entries()) await ctx.run(command, data?.index === index ? { stdin: data.stdin } : {});
  return { changed: true, ...(plan.output === undefined ? {} : { output: plan.output }) };
}

export default defineModule<Args>({
  name: "user",
  description: "Add, change or remove a user account (Ansible's user, its common arguments)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 1, description: "The account's name." },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "Whether the account should exist." },
      uid: { type: "integer", minimum: 0, description: "The account's uid." },
      non_unique: { type: "boolean", default: false, description: "Allow a uid another account has (`-o`)." },
      group: { type: "string", minLength: 1, description: "The primary group (name or gid); it must exist." },
      groups: {
        anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
        description: "Supplementary groups, a list or a comma-separated string; they must exist. Without append the account is in these alone; \"\" takes it out of all.",
      },
      append: { type: "boolean", default: false, description: "Add the groups to those the account is in instead of replacing them." },
      comment: { type: "string", description: "The GECOS field (full name)." },
      home: { type: "string", minLength: 1, description: "The home directory." },
      move_home: { type: "boolean", default: false, description: "With a new home: move the old one's content there (`usermod -m`)." },
      shell: { type: "string", minLength: 1, description: "The login shell." },
      create_home: { type: "boolean", default: true, description: "Create the home directory when the account is created." },
      skeleton: { type: "string", minLength: 1, description: "The skeleton directory a new home is copied from (with create_home)." },
      system: { type: "boolean", default: false, description: "Create a system account (a uid from the system range), when it is created." },
      password: {
        type: "string",
        description: "The password as a crypt hash (e.g. from `password_hash('sha512')`), set with `chpasswd -e` from stdin; masked in every output.",
      },
      update_password: { type: "string", enum: ["always", "on_create"], default: "always", description: "`on_create` sets the password only when the account is created." },
      password_lock: { type: "boolean", description: "Lock (true) or unlock (false) the password (`usermod -L`/`-U`)." },
      remove: { type: "boolean", default: false, description: "With state absent: remove the home directory and mail spool too." },
      force: { type: "boolean", default: false, description: "With state absent: remove the account even while it is logged in." },
    },
  },
  examples: [
    "- user: { name: rems, system: true, group: rems, home: /opt/rems, shell: /usr/sbin/nologin, create_home: false }",
    "- user: { name: ana, comment: Ana Lab, groups: [sudo, labstaff], append: true, shell: /bin/bash }",
    "- user: { name: olduser, state: absent, remove: true }",
  ],
  capabilities: { diff: false, idempotent: true },
  aliases: { user: "name", createhome: "create_home" },
  check,
  apply,
});
