/**
 * cron: one named job (or environment variable) in a user's crontab or in a file under /etc/cron.d, marked the
 * way Ansible marks it (`#Ansible: <name>`), so crontabs Ansible manages are adopted. Every other line stays byte
 * for byte. A user crontab is replaced whole through `crontab -u USER -` (cron swaps it in atomically).
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ApplyResult, type ChangePlan, type ModuleContext, type Plan } from "../engine/module-api.js";
import { crontabFact, type CrontabArgs } from "./facts/crontab.js";
import { applyPutFile, planPutFile } from "./shared/put-file.js";
import { findEnv, findJob, jobNames, renderJob, setEnv, setJob } from "./shared/crontab.js";

/** The arguments with Ansible's defaults filled in (the engine passes them as written). */
interface Settings {
  name: string;
  job?: string;
  minute?: string;
  hour?: string;
  day?: string;
  month?: string;
  weekday?: string;
  special_time?: "reboot" | "yearly" | "annually" | "monthly" | "weekly" | "daily" | "hourly";
  user?: string;
  state: "present" | "absent";
  disabled: boolean;
  env: boolean;
  cron_file?: string;
  exclusive: boolean;
  keep: string[];
}

type Defaulted = "state" | "disabled" | "env" | "exclusive" | "keep";
export type Args = Omit<Settings, Defaulted> & Partial<Pick<Settings, Defaulted>>;

function settings(args: Args): Settings {
  return { ...args, state: args.state ?? "present", disabled: args.disabled ?? false, env: args.env ?? false, exclusive: args.exclusive ?? false, keep: args.keep ?? [] };
}

const CRON_D = "/etc/cron.d/";
/** run-parts rules: cron ignores /etc/cron.d files whose names have dots or other characters. */
const CRON_D_NAME = /^[A-Za-z0-9_-]+$/;

interface Target {
  args: CrontabArgs;
  /** "the crontab of root", "/etc/cron.d/rems". */
  label: string;
  file: string | undefined;
}

function target(args: Settings): Target {
  if (args.cron_file === undefined) {
    const user = args.user;
    return user === undefined
      ? { args: {}, label: "the crontab of the remote user", file: undefined }
      : { args: { user }, label: `the crontab of ${user}`, file: undefined };
  }
  const file = args.cron_file.startsWith("/") ? args.cron_file : CRON_D + args.cron_file;
  if (file === "/etc/crontab") throw new ModuleError("Will not manage /etc/crontab via cron_file, see documentation.");
  if (!file.startsWith(CRON_D) || file.slice(CRON_D.length).includes("/")) {
    throw new ModuleError(`will not manage ${file} via cron_file: only files directly under ${CRON_D} are cron files`);
  }
  // The user column is needed only to write a line: removing one finds it by its name (Ansible #58493).
  if (args.user === undefined && args.state === "present") throw new ModuleError("To use cron_file=... parameter you must specify user=... as well");
  return { args: { file }, label: file, file };
}

/** The line the entry should have, or undefined to remove it. */
function wantedLine(args: Settings): string | undefined {
  if (args.state === "absent") return undefined;
  if (args.job === undefined) throw new ModuleError(`job is required with state: present`);
  if (args.env) return `${args.name}=${args.job}`;
  const fields = [args.minute, args.hour, args.day, args.month, args.weekday];
  if (args.special_time !== undefined && fields.some((f) => f !== undefined)) {
    throw new ModuleError("special_time cannot be combined with minute, hour, day, month or weekday");
  }
  const schedule = args.special_time === undefined ? fields.map((f) => f ?? "*").join(" ") : `@${args.special_time}`;
  return renderJob({ schedule, user: args.cron_file === undefined ? undefined : args.user, job: args.job, disabled: args.disabled });
}

async function check(ctx: ModuleContext, args: Settings): Promise<Plan> {
  const where = target(args);
  const line = wantedLine(args);
  if (where.file !== undefined && !CRON_D_NAME.test(where.file.slice(CRON_D.length))) {
    ctx.warn(`cron ignores ${where.file}: names under ${CRON_D} may only contain letters, digits, "_" and "-"`);
  }
  const current = await ctx.fact(crontabFact, where.args);
  // In an audit of a fresh host, cron is among the play's packages: planned, not installed yet.
  if (current.noCrontabCommand && !ctx.checkMode) {
    throw new ModuleError(`cannot edit ${where.label}: the host has no crontab command (Debian: install the cron package first)`);
  }
  const what = args.env ? `variable ${args.name}` : `job "${args.name}"`;
  const existing = args.env ? findEnv(current.text, args.name) : findJob(current.text, args.name);
  const entry = args.env ? setEnv(current.text, args.name, args.state === "absent" ? undefined : args.job) : setJob(current.text, args.name, line);
  const { text, extras } = args.exclusive ? removeOthers(entry, [...(args.env ? [] : [args.name]), ...args.keep]) : { text: entry, extras: [] };
  if (text === current.text) {
    const others = args.exclusive ? "; no other managed job" : "";
    return { changed: false, reason: `${what} is ${line === undefined ? "not " : ""}in ${where.label}${others}` };
  }
  const verb = line === undefined ? "remove" : existing === undefined ? "add" : "update";
  const preposition = verb === "remove" ? "from" : verb === "add" ? "to" : "in";
  const parts = [
    ...(entry === current.text ? [] : [`${verb} ${what} ${preposition} ${where.label}`]),
    ...extras.map((name) => `remove job "${name}" from ${where.label} (not in the exclusive set)`),
  ];
  const change = {
    summary: parts.join(", "),
    diffs: [{ path: where.file ?? where.label, before: current.text, after: text }],
    predicts: [{ fact: crontabFact, args: where.args, value: { exists: true, text } }],
  };
  if (where.file === undefined) {
    const data: CrontabData = { text };
    const warnings = current.noCrontabCommand ? ["crontab is not installed yet; an earlier task would install it"] : undefined;
    return { changed: true, ...change, commands: [crontabWrite(args.user)], data, ...(warnings ? { warnings } : {}) };
  }
  // A cron file left without entries is removed rather than kept empty.
  if (text.trim() === "") {
    return { ...change, changed: true, commands: [sh`rm -f -- ${where.file}`], predicts: [{ fact: crontabFact, args: where.args, value: { exists: false, text: "" } }] };
  }
  const put = await planPutFile(ctx, { dest: where.file, content: text, owner: "root", group: "root", mode: "0644" });
  if (put.changed !== true) throw new ModuleError(`${where.file} was expected to change`);
  return { ...put, ...change, predicts: [...(put.predicts ?? []), ...change.predicts] };
}

/** A name of keep: exact, or with `*` standing for any text. */
function named(pattern: string, name: string): boolean {
  return new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(name);
}

/** Removes every managed job not named in `wanted` (an exclusive set); returns the text and the removed names. */
function removeOthers(text: string, wanted: readonly string[]): { text: string; extras: string[] } {
  const extras = jobNames(text).filter((name) => !wanted.some((pattern) => named(pattern, name)));
  return { text: extras.reduce((t, name) => setJob(t, name, undefined), text), extras };
}

/** What apply writes to a user crontab through `crontab -`. */
interface CrontabData {
  text: string;
}

function crontabWrite(user: string | undefined): Command {
  return user === undefined ? sh`crontab -` : sh`crontab -u ${user} -`;
}

async function apply(ctx: ModuleContext, args: Settings, plan: ChangePlan): Promise<ApplyResult> {
  if (args.cron_file !== undefined) return applyPutFile(ctx, plan);
  await ctx.run(crontabWrite(args.user), { stdin: (plan.data as CrontabData).text });
  return { changed: true };
}

const timeField = (what: string) => ({ type: "string", minLength: 1, description: `${what} field of the schedule (cron syntax: "*", "5", "*/10", "1-5"); default "*".` });

export default defineModule<Args>({
  name: "cron",
  description: "Manage named cron jobs and crontab variables",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 1, description: "Name of the entry: the `#Ansible: <name>` marker above the job line, or the variable name with `env: true`." },
      job: { type: "string", minLength: 1, description: "The command to run (or the variable's value with `env: true`). Required with `state: present`." },
      minute: timeField("Minute"),
      hour: timeField("Hour"),
      day: timeField("Day of month"),
      month: timeField("Month"),
      weekday: timeField("Day of week"),
      special_time: {
        type: "string",
        enum: ["reboot", "yearly", "annually", "monthly", "weekly", "daily", "hourly"],
        description: "Run at a special time (`@reboot`, `@daily` ...) instead of minute/hour/day/month/weekday.",
      },
      user: { type: "string", minLength: 1, description: "Whose crontab to edit (default: the remote user); with `cron_file`, the user the job runs as (required there, except to remove a job)." },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "Whether the entry should exist." },
      disabled: { type: "boolean", default: false, description: "Keep the job but commented out (with `state: present`)." },
      env: { type: "boolean", default: false, description: "Manage an environment variable line `NAME=job` instead of a job; a new one goes at the top." },
      cron_file: {
        type: "string",
        minLength: 1,
        description: "Edit this file under /etc/cron.d (a bare name is taken relative to it) instead of a user crontab.",
      },
      exclusive: {
        type: "boolean",
        default: false,
        description:
          "rems-play addition: an exclusive set of jobs. Every other job managed in the same crontab or cron file (under an `#Ansible: <name>` marker) that is neither this task's nor named in `keep` is removed: a normal run names each one in its change summary, an audit reports it as drift (exit 10 with `--detailed-exitcode`). Lines without a marker (the user's own jobs) are never touched.",
      },
      keep: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description:
          "rems-play addition, with `exclusive`: the names of the other managed jobs of the set (written by other tasks), which stay; `*` stands for any text (`* health check`: every app's health check, when several apps share the crontab).",
      },
    },
  },
  examples: [
    '- cron: { name: rems backup, user: rems, minute: "15", hour: "3", job: "/opt/rems/bin/backup.sh" }',
    "- cron: { name: rems-cleanup, cron_file: rems, user: rems, special_time: daily, job: /opt/rems/bin/cleanup }",
    "- cron: { name: MAILTO, env: true, job: ops@example.org, user: rems }",
    "- cron: { name: rems backup, user: rems, state: absent }",
    "# An exclusive set: root's managed jobs are this one and `rems backup` (written by another task). Any other\n# #Ansible job is drift in an audit and removed by the next run; lines without the marker are never touched.\n- cron:\n    name: rems verify\n    user: root\n    weekday: \"0\"\n    job: /opt/rems/bin/verify\n    exclusive: true\n    keep: [rems backup]",
  ],
  capabilities: { diff: true, idempotent: true },
  aliases: { dom: "day", dow: "weekday", value: "job" },
  check: (ctx, args) => check(ctx, settings(args)),
  apply: (ctx, args, plan) => apply(ctx, settings(args), plan),
});
