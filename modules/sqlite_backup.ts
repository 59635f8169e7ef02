/**
 * sqlite_backup: a consistent hot backup of a SQLite database (SQLite's online backup API through python3, safe
 * while the app writes), integrity-checked and gzipped into `<dest>/<name>-YYYYmmddTHHMMSSZ.db.gz`, with max_age
 * (no new backup while the newest is younger) and keep retention; or `state: restored`, which puts a backup back
 * over the live database after keeping a safety copy of it. The work itself is the script of
 * shared/sqlite-backup-script.ts; this file plans it.
 */
import { posix } from "node:path";
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ApplyResult, type ChangePlan, type ModuleContext, type Plan } from "../engine/module-api.js";
import { backupDirFact, type BackupDir, type BackupFile } from "./facts/backup-dir.js";
import { fileStat, type FileStat } from "./facts/file-stat.js";
import { restoreStateFact } from "./facts/sqlite-restore-state.js";
import { expiredBackups, type Keep } from "./shared/backup-retention.js";
import { formatMode, modeSchema, parseMode, type ModeArg } from "./shared/file-mode.js";
import { attrSchemas } from "./shared/put-file.js";
import { SQLITE_BACKUP_SCRIPT } from "./shared/sqlite-backup-script.js";

/** The arguments with Ansible's defaults filled in (the engine passes them as written). */
interface Settings {
  db: string;
  dest?: string;
  state: "present" | "restored";
  from?: string;
  max_age?: number | string;
  keep?: Keep;
  compress: boolean;
  owner?: string;
  group?: string;
  mode: ModeArg;
}

export type Args = Omit<Settings, "state" | "compress" | "mode"> & Partial<Pick<Settings, "state" | "compress" | "mode">>;

function settings(args: Args): Settings {
  return { ...args, state: args.state ?? "present", compress: args.compress ?? true, mode: args.mode ?? "0600" };
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds of a max_age: 3600, "90m", "1d". */
export function durationSeconds(value: number | string): number {
  if (typeof value === "number") return value;
  const m = /^(\d+)([smhdw]?)$/.exec(value.trim());
  if (m?.[1] === undefined) throw new ModuleError(`max_age must be seconds or a number with s, m, h, d or w: '${value}'`);
  return Number(m[1]) * (UNITS[m[2] ?? ""] ?? 1);
}

/** "2d 3h", "5m 10s", "0s". */
export function formatAge(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.floor(seconds));
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.length === 0 ? "0s" : parts.join(" ");
}

function stamp(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

function prefixOf(db: string): string {
  const base = posix.basename(db);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

function backupCommand(args: Settings, dest: string): Command {
  const mode = formatMode(parseMode(args.mode).resolve(0o600, false));
  return sh`python3 - backup ${args.db} ${dest} ${args.compress ? "gzip" : "none"} ${mode} ${args.owner ?? ""} ${args.group ?? ""}`;
}

/** Check mode may plan around a database or backup an earlier task would create; a real run may not. */
function missing(ctx: ModuleContext, what: string, warnings: string[]): void {
  if (!ctx.checkMode) throw new ModuleError(`${what} does not exist`);
  warnings.push(`${what} does not exist yet; an earlier task would create it`);
}

async function planBackup(ctx: ModuleContext, args: Settings): Promise<Plan> {
  if (args.dest === undefined) throw new ModuleError("dest (the backup directory) is required with state: present");
  const dest = args.dest;
  const prefix = prefixOf(args.db);
  const [dir, db] = (await ctx.facts([
    { fact: backupDirFact, args: { dir: dest, prefix } },
    { fact: fileStat, args: { path: args.db, follow: true } },
  ])) as [BackupDir, FileStat];
  const warnings: string[] = [];
  if (!db.exists) missing(ctx, `database ${args.db}`, warnings);
  const newest = dir.backups.at(-1);
  const maxAge = args.max_age === undefined ? undefined : durationSeconds(args.max_age);
  const fresh = newest !== undefined && maxAge !== undefined && dir.now - newest.time < maxAge;

  // The script names the backup by the host's clock when it runs; this is the name it would get now.
  const plannedName = `${prefix}-${stamp(dir.now)}.db${args.compress ? ".gz" : ""}`;
  const planned: BackupFile | undefined = fresh ? undefined : { name: plannedName, path: posix.join(dest, plannedName), time: dir.now, size: 0 };
  const all = planned === undefined ? dir.backups : [...dir.backups, planned];
  const expired = args.keep === undefined ? [] : expiredBackups(all, args.keep);

  const newestText = newest === undefined ? "no backup yet" : `newest backup ${newest.name} is ${formatAge(dir.now - newest.time)} old`;
  if (planned === undefined && expired.length === 0) {
    return {
      changed: false,
      reason: `the ${newestText} (max_age ${formatAge(maxAge ?? 0)})`,
      output: { path: newest?.path, size: newest?.size, age: dir.now - (newest?.time ?? dir.now) },
    };
  }
  const commands: Command[] = [];
  const parts: string[] = [];
  if (planned !== undefined) {
    commands.push(backupCommand(args, dest));
    parts.push(`back up ${args.db} to ${dest} (${newestText})`);
  }
  if (expired.length > 0) {
    commands.push(sh`rm -f -- ${expired.map((b) => b.path)}`);
    parts.push(`remove ${expired.length} expired ${expired.length === 1 ? "backup" : "backups"} (${expired.map((b) => b.name).join(", ")})`);
  }
  return {
    changed: true,
    summary: parts.join("; "),
    commands,
    ...(warnings.length > 0 ? { warnings } : {}),
    output: { planned_path: planned?.path, removed: expired.map((b) => b.path) },
  };
}

async function planRestore(ctx: ModuleContext, args: Settings): Promise<Plan> {
  if (args.from === undefined) throw new ModuleError("from (a backup file, or latest) is required with state: restored");
  let source = args.from;
  if (source === "latest" || !source.startsWith("/")) {
    if (args.dest === undefined) throw new ModuleError(`dest (the backup directory) is required with from: ${source}`);
    if (source === "latest") {
      const dir = await ctx.fact(backupDirFact, { dir: args.dest, prefix: prefixOf(args.db) });
      const newest = dir.backups.at(-1);
      if (newest === undefined) throw new ModuleError(`there is no backup of ${args.db} in ${args.dest} to restore`);
      source = newest.path;
    } else source = posix.join(args.dest, source);
  }
  const state = await ctx.fact(restoreStateFact, { db: args.db, backup: source });
  const warnings: string[] = [];
  if (state.backupSha256 === null) missing(ctx, `backup ${source}`, warnings);
  if (state.backupSha256 !== null && state.dbSha256 === state.backupSha256 && state.walSize === 0) {
    return { changed: false, reason: `${args.db} holds the content of ${source}`, output: { path: args.db, from: source } };
  }
  return {
    changed: true,
    summary: `restore ${args.db} from ${source}${state.dbSha256 === null ? "" : " (keeping a safety copy of the current database)"}`,
    commands: [sh`python3 - restore ${args.db} ${source}`],
    ...(warnings.length > 0 ? { warnings } : {}),
    predicts: [{ fact: restoreStateFact, args: { db: args.db, backup: source }, value: { dbSha256: state.backupSha256, walSize: 0, backupSha256: state.backupSha256 } }],
    output: { from: source },
  };
}

function check(ctx: ModuleContext, args: Settings): Promise<Plan> {
  return args.state === "restored" ? planRestore(ctx, args) : planBackup(ctx, args);
}

/** Runs the plan; the python commands get the script on stdin and report what they wrote as JSON. */
async function apply(ctx: ModuleContext, _args: Settings, plan: ChangePlan): Promise<ApplyResult> {
  const output: Record<string, unknown> = { ...plan.output };
  for (const command of plan.commands) {
    const isScript = command.text.startsWith("python3 - ");
    const result = await ctx.run(command, isScript ? { stdin: SQLITE_BACKUP_SCRIPT } : {});
    if (isScript) Object.assign(output, JSON.parse(result.stdout) as Record<string, unknown>);
  }
  return { changed: true, output };
}

export default defineModule<Args>({
  name: "sqlite_backup",
  description: "Back up a SQLite database consistently while it is in use, or restore a backup",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["db"],
    properties: {
      db: { type: "string", minLength: 1, pattern: "^/", description: "Absolute path of the live SQLite database on the host." },
      dest: { type: "string", minLength: 1, pattern: "^/", description: "Backup directory (created with mode 0700 if missing). Required for `state: present` and `from: latest`." },
      state: {
        type: "string",
        enum: ["present", "restored"],
        default: "present",
        description: "`present` takes a backup (subject to `max_age`); `restored` puts the backup `from` back over the live database. Stop the app before restoring.",
      },
      from: {
        type: "string",
        minLength: 1,
        description: "With `state: restored`: the backup file (absolute, or relative to `dest`), or `latest` for the newest backup in `dest`.",
      },
      max_age: {
        description: "No new backup while the newest one is younger than this: seconds, or a number with s, m, h, d or w (`1d`). Without it every run takes a backup.",
        anyOf: [{ type: "integer", minimum: 0 }, { type: "string", pattern: "^[0-9]+[smhdw]?$" }],
      },
      keep: {
        description: "Retention after a backup: the number of newest backups to keep, or `{daily, weekly, monthly}` counts (the newest backup of each of the last N days, ISO weeks, months, UTC). The newest backup is always kept.",
        anyOf: [
          { type: "integer", minimum: 1 },
          {
            type: "object",
            additionalProperties: false,
            minProperties: 1,
            properties: {
              daily: { type: "integer", minimum: 0, description: "Days to keep one backup each for." },
              weekly: { type: "integer", minimum: 0, description: "ISO weeks to keep one backup each for." },
              monthly: { type: "integer", minimum: 0, description: "Months to keep one backup each for." },
            },
          },
        ],
      },
      compress: { type: "boolean", default: true, description: "gzip the backup (`.db.gz`)." },
      owner: { ...attrSchemas.owner, description: "User (name or uid) that should own the backup files; default the remote user." },
      group: { ...attrSchemas.group, description: "Group (name or gid) of the backup files." },
      mode: { ...modeSchema, default: "0600", description: "Mode of the backup files (octal or symbolic); default 0600, as backups hold all the app's data." },
    },
  },
  examples: [
    "- sqlite_backup: { db: /srv/rems/instance/rems.db, dest: /var/backups/rems, max_age: 1d, keep: { daily: 7, weekly: 4, monthly: 6 }, owner: rems }",
    "- sqlite_backup: { db: /srv/rems/instance/rems.db, dest: /var/backups/rems, keep: 10, compress: false }",
    "- sqlite_backup: { db: /srv/rems/instance/rems.db, dest: /var/backups/rems, state: restored, from: latest }",
  ],
  capabilities: { diff: false, idempotent: true },
  check: (ctx, args) => check(ctx, settings(args)),
  apply,
});
