/**
 * postgresql_user: community.postgresql's postgresql_user. A missing role is created (CREATE USER: it can log in)
 * with its password, attributes (role_attr_flags), expiry, connection limit and comment; an existing one gets what
 * differs, compared as Ansible compares it (passwords against the stored verifier on the controller,
 * modules/shared/postgres-password.ts; with no_password_changes only the attributes). state absent drops it. The
 * password reaches the host only inside psql's stdin, and is masked everywhere.
 */
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ApplyResult, type ChangePlan, type ModuleContext, type Plan } from "../engine/module-api.js";
import { pgRoleFact, pgRoleSql, type PgRole, type PgRoleQuery, type PgRoleState } from "./facts/pg-role.js";
import { isPasswordHash, passwordDiffers, scramVerifier } from "./shared/postgres-password.js";
import { answered, ask, connectionAliases, connectionSchema, ident, literal, pgTarget, runSql, sqlChange, type ConnectionArgs } from "./shared/postgres.js";

export interface Args extends ConnectionArgs {
  name: string;
  password?: string;
  state?: "present" | "absent";
  db?: string;
  fail_on_user?: boolean;
  role_attr_flags?: string;
  encrypted?: boolean;
  no_password_changes?: boolean;
  expires?: string;
  conn_limit?: number;
  comment?: string;
}

/** Role attributes and the pg_authid column each is read from. */
const FLAGS = { SUPERUSER: "super", CREATEROLE: "createrole", CREATEDB: "createdb", INHERIT: "inherit", LOGIN: "login", REPLICATION: "replication", BYPASSRLS: "bypassrls" } as const;
type Flag = keyof typeof FLAGS;

/** role_attr_flags ("CREATEDB,NOSUPERUSER") as attribute → wanted value, in the order given. */
function parseFlags(text: string): Map<Flag, boolean> {
  const flags = new Map<Flag, boolean>();
  const invalid: string[] = [];
  for (const word of text.split(",").map((w) => w.trim().toUpperCase()).filter((w) => w !== "")) {
    const negated = word.startsWith("NO") && !(word in FLAGS);
    const flag = negated ? word.slice(2) : word;
    if (flag in FLAGS) flags.set(flag as Flag, !negated);
    else invalid.push(word);
  }
  if (invalid.length > 0) throw new ModuleError(`Invalid role_attr_flags specified: ${invalid.join(" ")}`);
  return flags;
}

const flagWords = (flags: Map<Flag, boolean>): string => [...flags].map(([flag, on]) => (on ? flag : `NO${flag}`)).join(" ");

/** The password clause, the password itself as a literal only inside psql's stdin. */
function passwordClause(password: string, encrypted: boolean): string {
  return password === "" ? "PASSWORD NULL" : `${encrypted ? "ENCRYPTED" : "UNENCRYPTED"} PASSWORD ${literal(password)}`;
}

/** Ansible's queries list: the statements with the password literal shown as ********. */
function shown(statements: readonly string[], password: string | undefined): string[] {
  if (password === undefined || password === "") return [...statements];
  return statements.map((s) => s.replaceAll(literal(password), "'********'"));
}

/** The role after the change, for check mode's later tasks: flags applied, the password as the server keeps it. */
function predicted(role: PgRole | null, args: Args, flags: Map<Flag, boolean>, setPassword: boolean): PgRoleState {
  const base: PgRole = role ?? { super: false, createrole: false, createdb: false, inherit: true, login: true, replication: false, bypassrls: false, connlimit: -1, validuntil: null, password: null, comment: null };
  const next: PgRole = { ...base };
  for (const [flag, on] of flags) next[FLAGS[flag]] = on;
  if (args.conn_limit !== undefined) next.connlimit = args.conn_limit;
  if (args.expires !== undefined) next.expiresSame = true;
  if (args.comment !== undefined) next.comment = args.comment;
  const password = args.password;
  if (setPassword && password !== undefined) next.password = password === "" ? null : isPasswordHash(password) || args.encrypted === false ? password : scramVerifier(password);
  return { role: next };
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  const { name, state = "present", password } = args;
  if (password !== undefined && password !== "") ctx.addSecret(password);
  if (args.login_password !== undefined) ctx.addSecret(args.login_password);
  const flags = parseFlags(args.role_attr_flags ?? "");
  const target = pgTarget(ctx, args, args.db);
  const query: PgRoleQuery = args.expires === undefined ? { name } : { name, expires: args.expires };
  const role = answered(ctx, await ask(ctx, pgRoleFact, pgRoleSql, target, query, args.login_password), { role: null }).role;
  if (role?.password) ctx.addSecret(role.password);
  const factArgs = { target, query };
  const user = ident(name);
  if (state === "absent") {
    if (role === null) return { changed: false, reason: `role ${name} does not exist`, output: { user: name, queries: [] } };
    const statements = [`DROP USER ${user};`];
    return { changed: true, summary: `drop role ${name}`, metadataSummary: `drop role ${name}`, ...sqlChange(target, args.login_password, statements, true), predicts: [{ fact: pgRoleFact, args: factArgs, value: { ok: true, value: { role: null } } }], output: { user: name, queries: statements, user_removed: true } };
  }
  const encrypted = args.encrypted !== false;
  const statements: string[] = [];
  const changes: string[] = [];
  let setPassword = false;
  if (role === null) {
    const parts = [`CREATE USER ${user}`];
    if (password !== undefined && password !== "") parts.push(`WITH ${passwordClause(password, encrypted)}`);
    if (args.expires !== undefined) parts.push(`VALID UNTIL ${literal(args.expires)}`);
    if (args.conn_limit !== undefined) parts.push(`CONNECTION LIMIT ${args.conn_limit}`);
    if (flags.size > 0) parts.push(flagWords(flags));
    statements.push(`${parts.join(" ")};`);
    setPassword = true;
    changes.push(`create role ${name}`);
  } else {
    const flagsDiffer = [...flags].some(([flag, on]) => role[FLAGS[flag]] !== on);
    const others = args.no_password_changes !== true;
    setPassword = others && password !== undefined && passwordDiffers(role.password, name, password, encrypted);
    const expiresDiffer = others && args.expires !== undefined && role.expiresSame !== true;
    const limitDiffers = others && args.conn_limit !== undefined && args.conn_limit !== role.connlimit;
    if (setPassword || flagsDiffer || expiresDiffer || limitDiffers) {
      const parts = [`ALTER USER ${user}`];
      if (setPassword && password !== undefined) parts.push(`WITH ${passwordClause(password, encrypted)}`);
      if (flags.size > 0) parts.push(`${setPassword ? "" : "WITH "}${flagWords(flags)}`);
      if (others && args.expires !== undefined) parts.push(`VALID UNTIL ${literal(args.expires)}`);
      if (others && args.conn_limit !== undefined) parts.push(`CONNECTION LIMIT ${args.conn_limit}`);
      statements.push(`${parts.join(" ")};`);
      if (setPassword) changes.push("password");
      if (flagsDiffer) changes.push(`attributes ${flagWords(flags)}`);
      if (expiresDiffer) changes.push(`expiry ${args.expires ?? ""}`);
      if (limitDiffers) changes.push(`connection limit ${args.conn_limit ?? ""}`);
    }
  }
  if (args.comment !== undefined && args.comment !== (role?.comment ?? null)) {
    statements.push(`COMMENT ON ROLE ${user} IS ${literal(args.comment)};`);
    changes.push("comment");
  }
  if (statements.length === 0) return { changed: false, reason: `role ${name} is as wanted`, output: { user: name, queries: [] } };
  const summary = role === null ? changes.join(", ") : `set the ${changes.join(", ")} of role ${name}`;
  return {
    changed: true,
    summary,
    metadataSummary: summary,
    ...sqlChange(target, args.login_password, statements, true),
    predicts: [{ fact: pgRoleFact, args: factArgs, value: { ok: true, value: predicted(role, args, flags, setPassword) } }],
    output: { user: name, queries: shown(statements, password) },
  };
}

/** Runs the statements; a role that cannot be dropped (it owns objects) is a failure unless fail_on_user is false. */
async function apply(ctx: ModuleContext, args: Args, plan: ChangePlan): Promise<ApplyResult> {
  if (args.state !== "absent" || args.fail_on_user !== false) {
    await runSql(ctx, plan);
    return { changed: true };
  }
  try {
    await runSql(ctx, plan);
    return { changed: true };
  } catch (error) {
    ctx.warn(`role ${args.name} was not removed: ${(error as Error).message}`);
    return { changed: false, output: { user_removed: false } };
  }
}

export default defineModule<Args>({
  name: "postgresql_user",
  description: "Create, change or drop a PostgreSQL role that can log in (community.postgresql's postgresql_user)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 1, description: "The role's name." },
      password: { type: "string", description: "Its password: plain text (the server hashes it), or an md5 or SCRAM-SHA-256 hash kept as given; empty removes it. Compared with the stored one without changing it when they match; never shown." },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "Whether the role should exist." },
      db: { type: "string", description: "The database to connect to (default: the login user's)." },
      fail_on_user: { type: "boolean", default: true, description: "With state absent: fail when the role cannot be dropped (it owns objects or has privileges)." },
      role_attr_flags: { type: "string", description: "Comma-separated attributes: [NO]SUPERUSER, [NO]CREATEROLE, [NO]CREATEDB, [NO]INHERIT, [NO]LOGIN, [NO]REPLICATION, [NO]BYPASSRLS." },
      encrypted: { type: "boolean", default: true, description: "Store the password hashed (false fails on PostgreSQL 10 and later, which always hash it)." },
      no_password_changes: { type: "boolean", default: false, description: "Leave an existing role's password, expiry and connection limit alone; only its attributes are compared." },
      expires: { type: "string", description: "When the password stops being valid (VALID UNTIL), e.g. '2030-01-01' or 'infinity'; compared by the server." },
      conn_limit: { type: "integer", description: "How many connections the role may have at once (-1: no limit)." },
      comment: { type: "string", description: "The role's comment (COMMENT ON ROLE)." },
      ...connectionSchema,
    },
  },
  aliases: { user: "name", login_db: "db", fail_on_role: "fail_on_user", ...connectionAliases },
  examples: [
    "- postgresql_user: { name: rems, password: \"{{ vault_db_password }}\", role_attr_flags: 'CREATEDB,NOSUPERUSER', login_unix_socket: /var/run/postgresql }",
    "- postgresql_user: { name: readonly, password: '', expires: infinity, conn_limit: 5 }",
    "- postgresql_user: { name: olduser, state: absent }",
  ],
  capabilities: { diff: false, idempotent: true },
  check,
  apply,
});
