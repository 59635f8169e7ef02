/**
 * postgresql_db: community.postgresql's postgresql_db, states present and absent. A missing database is created
 * (owner, template, encoding, collation, ctype, connection limit, tablespace); an existing one gets the owner,
 * connection limit and tablespace asked for, and fails, as in Ansible, when its encoding, collation or ctype
 * differ (PostgreSQL cannot change them). Read through the pg_database fact; psql runs as the task's user.
 */
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { pgDatabaseFact, pgDatabaseSql, type PgDatabase, type PgDatabaseQuery, type PgDatabaseState } from "./facts/pg-database.js";
import { answered, applySql, ask, connectionAliases, connectionSchema, ident, literal, pgTarget, sqlChange, type ConnectionArgs } from "./shared/postgres.js";

export interface Args extends ConnectionArgs {
  name: string;
  state?: "present" | "absent";
  owner?: string;
  template?: string;
  encoding?: string;
  lc_collate?: string;
  lc_ctype?: string;
  conn_limit?: string | number;
  tablespace?: string;
  maintenance_db?: string;
  force?: boolean;
}

/** The statements that make an existing database what the task asks, or the error Ansible gives. */
function alterations(args: Args, db: PgDatabase): string[] {
  const name = ident(args.name);
  if (args.encoding && db.encodingSame === false) throw new ModuleError(`Changing database encoding is not supported. Current encoding: ${db.encoding}`);
  if (args.lc_collate && args.lc_collate !== db.lc_collate) throw new ModuleError(`Changing LC_COLLATE is not supported. Current LC_COLLATE: ${db.lc_collate}`);
  if (args.lc_ctype && args.lc_ctype !== db.lc_ctype) throw new ModuleError(`Changing LC_CTYPE is not supported.Current LC_CTYPE: ${db.lc_ctype}`);
  const statements: string[] = [];
  if (args.owner && args.owner !== db.owner) statements.push(`ALTER DATABASE ${name} OWNER TO ${ident(args.owner)};`);
  const limit = args.conn_limit === undefined || args.conn_limit === "" ? undefined : Number(args.conn_limit);
  if (limit !== undefined && limit !== db.conn_limit) statements.push(`ALTER DATABASE ${name} CONNECTION LIMIT ${limit};`);
  if (args.tablespace && args.tablespace !== db.tablespace) statements.push(`ALTER DATABASE ${name} SET TABLESPACE ${ident(args.tablespace)};`);
  return statements;
}

function createStatement(args: Args): string {
  const parts = [`CREATE DATABASE ${ident(args.name)}`];
  if (args.owner) parts.push(`OWNER ${ident(args.owner)}`);
  if (args.template) parts.push(`TEMPLATE ${ident(args.template)}`);
  if (args.encoding) parts.push(`ENCODING ${literal(args.encoding)}`);
  if (args.lc_collate) parts.push(`LC_COLLATE ${literal(args.lc_collate)}`);
  if (args.lc_ctype) parts.push(`LC_CTYPE ${literal(args.lc_ctype)}`);
  if (args.tablespace) parts.push(`TABLESPACE ${ident(args.tablespace)}`);
  if (args.conn_limit !== undefined && args.conn_limit !== "") parts.push(`CONNECTION LIMIT ${Number(args.conn_limit)}`);
  return `${parts.join(" ")};`;
}

/** The database as it will be after `statements` (what check mode tells later tasks). */
function predicted(args: Args, db: PgDatabase | null): PgDatabaseState {
  const limit = args.conn_limit === undefined || args.conn_limit === "" ? undefined : Number(args.conn_limit);
  const base: PgDatabase = db ?? { owner: args.session_role ?? args.login_user ?? "postgres", encoding: args.encoding?.toUpperCase().replaceAll("-", "") ?? "UTF8", lc_collate: args.lc_collate ?? "", lc_ctype: args.lc_ctype ?? "", conn_limit: -1, tablespace: "pg_default" };
  return {
    database: {
      ...base,
      ...(args.owner ? { owner: args.owner } : {}),
      ...(limit === undefined ? {} : { conn_limit: limit }),
      ...(args.tablespace ? { tablespace: args.tablespace } : {}),
      ...(args.encoding ? { encodingSame: true } : {}),
    },
  };
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  const { name, state = "present" } = args;
  if (args.conn_limit !== undefined && args.conn_limit !== "" && !Number.isInteger(Number(args.conn_limit))) throw new ModuleError(`conn_limit must be an integer, not ${JSON.stringify(args.conn_limit)}`);
  const target = pgTarget(ctx, args, args.maintenance_db ?? "postgres");
  if (args.login_password !== undefined) ctx.addSecret(args.login_password);
  const query: PgDatabaseQuery = args.encoding ? { name, encoding: args.encoding } : { name };
  const db = answered(ctx, await ask(ctx, pgDatabaseFact, pgDatabaseSql, target, query, args.login_password), { database: null }).database;
  const factArgs = { target, query };
  if (state === "absent") {
    if (db === null) return { changed: false, reason: `database ${name} does not exist`, output: { db: name, executed_commands: [] } };
    const statements = [`DROP DATABASE ${ident(name)}${args.force === true ? " WITH (FORCE)" : ""};`];
    return { changed: true, summary: `drop database ${name}`, ...sqlChange(target, args.login_password, statements, false), predicts: [{ fact: pgDatabaseFact, args: factArgs, value: { ok: true, value: { database: null } } }], output: { db: name, executed_commands: statements } };
  }
  const statements = db === null ? [createStatement(args)] : alterations(args, db);
  if (statements.length === 0) return { changed: false, reason: `database ${name} is as wanted (owner ${db?.owner ?? ""})`, output: { db: name, executed_commands: [] } };
  const summary = db === null ? `create database ${name}` : `alter database ${name}: ${statements.map((s) => s.replace(/^ALTER DATABASE \S+ /, "").replace(/;$/, "")).join(", ")}`;
  return { changed: true, summary, ...sqlChange(target, args.login_password, statements, false), predicts: [{ fact: pgDatabaseFact, args: factArgs, value: { ok: true, value: predicted(args, db) } }], output: { db: name, executed_commands: statements } };
}

export default defineModule<Args>({
  name: "postgresql_db",
  description: "Create, change or drop a PostgreSQL database (community.postgresql's postgresql_db)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 1, description: "The database's name." },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "Whether the database should exist (dump, restore and rename are not supported)." },
      owner: { type: "string", description: "Its owner role; an existing database with another owner gets this one." },
      template: { type: "string", description: "The template it is created from (e.g. template0), when it is created." },
      encoding: { type: "string", description: "Its encoding (e.g. UTF-8), when it is created; an existing database with another fails, as PostgreSQL cannot change it." },
      lc_collate: { type: "string", description: "Its collation (LC_COLLATE), when it is created; an existing database with another fails." },
      lc_ctype: { type: "string", description: "Its character classification (LC_CTYPE), when it is created; an existing database with another fails." },
      conn_limit: { type: ["string", "integer"], description: "Its connection limit (-1: none)." },
      tablespace: { type: "string", description: "Its default tablespace; an existing database is moved there." },
      maintenance_db: { type: "string", default: "postgres", description: "The database to connect to while creating or dropping this one." },
      force: { type: "boolean", default: false, description: "With state absent: drop it even with sessions connected (DROP DATABASE ... WITH (FORCE))." },
      ...connectionSchema,
    },
  },
  aliases: { db: "name", ...connectionAliases },
  examples: [
    "- postgresql_db: { name: rems, owner: rems, encoding: UTF-8, lc_collate: C.UTF-8, lc_ctype: C.UTF-8, template: template0 }",
    "- postgresql_db: { name: scratch, state: absent, login_unix_socket: /var/run/postgresql }",
  ],
  capabilities: { diff: false, idempotent: true },
  check,
  apply: applySql,
});
