/**
 * What community.postgresql's modules share: the connection arguments (Ansible's names, aliases and defaults), SQL
 * quoting, and psql on the host as the task's user. Reading state is a fact: a query on psql's stdin inside the
 * batched probe, as the task's user (sudo when the probe runs as another), answering one
 * JSON line. Changes run `psql` with the SQL on stdin. A login password never enters a command line or a fact's
 * arguments: psql reads it from the first line of stdin (`read`, then PGPASSWORD), and a task with one reads its
 * state with the same command instead of a fact.
 */
import { type Command, sh } from "../../engine/command.js";
import { ModuleError } from "../../engine/errors.js";
import { defineFact, type FactDefinition, type ProbeOutput } from "../../engine/facts.js";
import type { ApplyResult, ChangePlan, CommandResult, JsonSchema, ModuleContext } from "../../engine/module-api.js";

export interface ConnectionArgs {
  login_user?: string;
  login_password?: string;
  login_host?: string;
  login_unix_socket?: string;
  port?: number;
  session_role?: string;
  ssl_mode?: "allow" | "disable" | "prefer" | "require" | "verify-ca" | "verify-full";
  ca_cert?: string;
  trust_input?: boolean;
}

export const connectionSchema: Record<string, JsonSchema> = {
  login_user: { type: "string", default: "postgres", description: "The PostgreSQL role to connect as." },
  login_password: { type: "string", description: "Its password; never in a command line (psql reads it on stdin) nor in any output." },
  login_host: { type: "string", description: "Host of the server; empty or `localhost` with login_unix_socket set connects through the socket." },
  login_unix_socket: { type: "string", description: "Directory of the server's Unix socket (e.g. /var/run/postgresql)." },
  port: { type: "integer", default: 5432, description: "The server's port (also names the socket file)." },
  session_role: { type: "string", description: "Role to switch to (SET ROLE) after connecting; the task's SQL runs with its privileges." },
  ssl_mode: { type: "string", enum: ["allow", "disable", "prefer", "require", "verify-ca", "verify-full"], default: "prefer", description: "libpq's sslmode for TCP connections." },
  ca_cert: { type: "string", description: "File of certificate authorities the server's certificate must be signed by (libpq's sslrootcert)." },
  trust_input: { type: "boolean", default: true, description: "Accepted for Ansible's tasks; every name and value is quoted anyway." },
};

export const connectionAliases: Readonly<Record<string, string>> = { login: "login_user", host: "login_host", unix_socket: "login_unix_socket", login_port: "port", ssl_rootcert: "ca_cert" };

/** Where and as whom psql connects: a fact's arguments, so never a password. */
export interface PgTarget {
  /** The host user psql runs as (peer authentication maps it to the role). */
  user: string;
  /** libpq's connection string. */
  conninfo: string;
  sessionRole?: string;
}

/** A libpq connection string value: always quoted, `\` and `'` escaped. */
function conninfoValue(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/**
 * The connection as Ansible's get_conn_params makes it: login_host, or the socket directory when the host is empty
 * or `localhost` and a socket is given; no host at all is libpq's default socket.
 */
export function pgTarget(ctx: ModuleContext, args: ConnectionArgs, database: string | undefined): PgTarget {
  const login = args.login_host ?? "";
  const host = (login === "" || login === "localhost") && (args.login_unix_socket ?? "") !== "" ? args.login_unix_socket : login;
  const parts: [string, string | undefined][] = [
    ["host", host === "" ? undefined : host],
    ["port", String(args.port ?? 5432)],
    ["user", args.login_user ?? "postgres"],
    ["dbname", database === "" ? undefined : database],
    ["sslmode", args.ssl_mode],
    ["sslrootcert", args.ca_cert],
  ];
  const conninfo = parts.flatMap(([key, value]) => (value === undefined ? [] : [`${key}=${conninfoValue(value)}`])).join(" ");
  return { user: ctx.user, conninfo, ...(args.session_role === undefined ? {} : { sessionRole: args.session_role }) };
}

// eslint-disable-next-line no-control-regex -- control characters are what needs escaping
const CONTROL = /[\x00-\x1f\x7f]/;

function refuseNul(value: string): void {
  if (value.includes("\0")) throw new ModuleError(`PostgreSQL names and values cannot contain a NUL character: ${JSON.stringify(value)}`);
}

/** A quoted SQL identifier; control characters (a newline in a name) become U&"\XXXX" escapes, so statements stay on one line. */
export function ident(name: string): string {
  refuseNul(name);
  const doubled = name.replaceAll('"', '""');
  if (!CONTROL.test(name) && !name.includes("\\")) return `"${doubled}"`;
  // eslint-disable-next-line no-control-regex -- see CONTROL
  return `U&"${doubled.replaceAll("\\", "\\\\").replace(/[\x00-\x1f\x7f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/** A quoted SQL string literal; with control characters or backslashes, an E'' literal with escapes (one line). */
export function literal(value: string): string {
  refuseNul(value);
  const doubled = value.replaceAll("'", "''");
  if (!CONTROL.test(value) && !value.includes("\\")) return `'${doubled}'`;
  // eslint-disable-next-line no-control-regex -- see CONTROL
  return `E'${doubled.replaceAll("\\", "\\\\").replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}'`;
}

/** `SET ROLE` first when the task names a session role. */
function withSessionRole(target: PgTarget, sql: string): string {
  return target.sessionRole === undefined ? sql : `SET ROLE ${ident(target.sessionRole)};\n${sql}`;
}

/** psql's options: no psqlrc, quiet, unaligned tuples only, stop at the first error. */
function psqlArgs(target: PgTarget): Command {
  return sh`psql -X -q -A -t -v ON_ERROR_STOP=1 -d ${target.conninfo}`;
}

/**
 * The probe: the query on psql's stdin (printf is the shell's own, so it starts no process that shows it), psql as
 * the task's user (the probe runs as the play's become user) in `/` (a directory every user may enter), its errors
 * on stdout for the parser.
 */
export function probeCommand(target: PgTarget, sql: string): Command {
  const psql = psqlArgs(target);
  return sh`printf '%s\\n' ${withSessionRole(target, sql)} | { cd / && if [ "$(id -un)" = ${target.user} ]; then ${psql}; else sudo -n -H -u ${target.user} -- ${psql}; fi 2>&1; }`;
}

/** psql for a change (run as the task's user by ctx.run): the SQL on stdin, after the password's line when there is one. */
export function psqlCommand(target: PgTarget, withPassword: boolean, singleTransaction: boolean): Command {
  const psql = singleTransaction ? sh`${psqlArgs(target)} -1` : psqlArgs(target);
  if (!withPassword) return psql;
  return sh`/bin/sh -c ${'IFS= read -r PGPASSWORD && export PGPASSWORD && exec "$@"'} psql ${psql}`;
}

/** The stdin of psqlCommand: the password's line, then the SQL. */
export function psqlStdin(target: PgTarget, password: string | undefined, sql: string): string {
  if (password !== undefined && password.includes("\n")) throw new ModuleError("login_password cannot contain a line break");
  return `${password === undefined ? "" : `${password}\n`}${withSessionRole(target, sql)}\n`;
}

/** A query's answer: its JSON value, or why psql could not give one. */
export type PgAnswer<T> = { ok: true; value: T } | { ok: false; error: string; unreachable: boolean };

/**
 * Reads psql's output: the last line is the query's JSON. Exit 2 (no connection) and 127 (no psql) mean the server
 * cannot be asked; the module decides what that means (check mode plans against a server not there yet).
 */
export function parseAnswer<T>(output: ProbeOutput): PgAnswer<T> {
  const text = output.stdout.trim();
  if (output.code !== 0) return { ok: false, error: text === "" ? `psql exited ${output.code}` : text, unreachable: output.code === 2 || output.code === 127 || /could not connect|No such file or directory|sudo: unknown user/.test(text) };
  const last = text.split("\n").at(-1) ?? "";
  try {
    return { ok: true, value: JSON.parse(last) as T };
  } catch {
    return { ok: false, error: text, unreachable: false };
  }
}

/** Arguments of a query fact: the connection and what the query asks. */
export interface PgQueryArgs<Q> {
  target: PgTarget;
  query: Q;
}

/** A fact answering one query (one JSON line) about the server. */
export function definePgFact<T, Q>(name: string, sql: (query: Q) => string): FactDefinition<PgAnswer<T>, PgQueryArgs<Q>> {
  return defineFact<PgAnswer<T>, PgQueryArgs<Q>>({
    name,
    command: ({ target, query }) => probeCommand(target, sql(query)),
    parse: (output) => parseAnswer<T>(output),
  });
}

/** The query's answer: from the fact (cached, batched, predicted), or with a login password from psql run by the task. */
export async function ask<T, Q>(ctx: ModuleContext, fact: FactDefinition<PgAnswer<T>, PgQueryArgs<Q>>, sql: (query: Q) => string, target: PgTarget, query: Q, password: string | undefined): Promise<PgAnswer<T>> {
  if (password === undefined) return ctx.fact(fact, { target, query });
  const result = await ctx.run(psqlCommand(target, true, false), { stdin: psqlStdin(target, password, sql(query)), okCodes: [0, 1, 2, 3] });
  return parseAnswer<T>({ stdout: `${result.stdout}${result.stderr}`, code: result.code });
}

/**
 * The answer's value, or: in check mode, `absent` when the server cannot be asked (an earlier task installs or
 * starts it), with a warning; otherwise the error.
 */
export function answered<T>(ctx: ModuleContext, answer: PgAnswer<T>, absent: T): T {
  if (answer.ok) return answer.value;
  if (ctx.checkMode && answer.unreachable) {
    ctx.warn(`PostgreSQL did not answer (${answer.error.split("\n")[0] ?? ""}): planned as if it had none of this yet`);
    return absent;
  }
  throw new ModuleError(`PostgreSQL: ${answer.error}`);
}

/** Handed from check to apply: psql's stdin (a login password's line, then the SQL). */
interface SqlData {
  stdin: string;
}

/** The plan's parts for running `statements` with psql: the command, its stdin for apply, and Ansible's query list. */
export function sqlChange(target: PgTarget, password: string | undefined, statements: readonly string[], singleTransaction: boolean): { commands: Command[]; data: SqlData } {
  return { commands: [psqlCommand(target, password !== undefined, singleTransaction)], data: { stdin: psqlStdin(target, password, statements.join("\n")) } };
}

/** Runs a sqlChange plan: psql as the task's user, the SQL on stdin. */
export async function runSql(ctx: ModuleContext, plan: ChangePlan): Promise<CommandResult> {
  const [command] = plan.commands;
  if (command === undefined) throw new ModuleError("nothing to run");
  return ctx.run(command, { stdin: (plan.data as SqlData).stdin, cwd: "/" });
}

/** Runs a sqlChange plan as the module's apply. */
export async function applySql(ctx: ModuleContext, _args: unknown, plan: ChangePlan): Promise<ApplyResult> {
  await runSql(ctx, plan);
  return { changed: true };
}
