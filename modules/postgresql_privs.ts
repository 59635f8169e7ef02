/**
 * postgresql_privs: community.postgresql's postgresql_privs for databases, schemas, tables, sequences, functions
 * (also ALL_IN_SCHEMA) and default privileges. The statement is Ansible's (GRANT ... [WITH GRANT OPTION], REVOKE
 * GRANT OPTION FOR ... with grant_option false, REVOKE ... for absent; default privileges revoked then granted);
 * whether it changes anything is decided beforehand from the objects' exploded ACLs (the pg_privileges fact), which
 * is what Ansible learns by running it and comparing the ACLs. Roles are looked up with the pg_role fact, so a role
 * an earlier task creates in check mode counts as there.
 */
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { pgPrivilegesFact, pgPrivilegesSql, type PgObjectAcl, type PgPrivsQuery, type PgPrivsType } from "./facts/pg-privileges.js";
import { pgRoleFact, pgRoleSql } from "./facts/pg-role.js";
import { answered, applySql, ask, connectionAliases, connectionSchema, ident, pgTarget, sqlChange, type ConnectionArgs } from "./shared/postgres.js";

export interface Args extends ConnectionArgs {
  database: string;
  state?: "present" | "absent";
  privs?: string;
  type?: PgPrivsType;
  objs?: string;
  schema?: string;
  roles: string;
  target_roles?: string;
  grant_option?: boolean;
  fail_on_role?: boolean;
  usage_on_types?: boolean;
  password?: string;
}

const VALID_PRIVS = new Set(["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "CREATE", "CONNECT", "TEMPORARY", "TEMP", "EXECUTE", "USAGE", "ALL"]);
/** What ALL means for each kind of object. */
const ALL: Record<string, string[]> = {
  table: ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"],
  sequence: ["USAGE", "SELECT", "UPDATE"],
  function: ["EXECUTE"],
  database: ["CREATE", "CONNECT", "TEMPORARY"],
  schema: ["CREATE", "USAGE"],
  TABLES: ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"],
  SEQUENCES: ["SELECT", "UPDATE", "USAGE"],
  FUNCTIONS: ["EXECUTE"],
  TYPES: ["USAGE"],
  SCHEMAS: ["CREATE", "USAGE"],
};
/** Default privileges' object kinds, the privileges each takes and their pg_default_acl code. */
const DEFAULT_KINDS: Record<string, { privs: string[]; code: string }> = {
  TABLES: { privs: ["ALL", ...(ALL["TABLES"] ?? [])], code: "r" },
  SEQUENCES: { privs: ["ALL", ...(ALL["SEQUENCES"] ?? [])], code: "S" },
  FUNCTIONS: { privs: ["ALL", "EXECUTE"], code: "f" },
  TYPES: { privs: ["ALL", "USAGE"], code: "T" },
  SCHEMAS: { privs: ["CREATE", "USAGE"], code: "n" },
};

const list = (text: string): string[] => text.split(",").map((s) => s.trim()).filter((s) => s !== "");

/** The privileges a list names on one kind of object: ALL expanded, TEMP as TEMPORARY. */
function expand(privs: readonly string[], kind: string): string[] {
  return [...new Set(privs.flatMap((p) => (p === "ALL" ? (ALL[kind] ?? []) : [p === "TEMP" ? "TEMPORARY" : p])))];
}

interface Wanted {
  type: PgPrivsType;
  schema: string | undefined;
  privs: string[];
  /** Object names; null for ALL_IN_SCHEMA. */
  objs: string[] | null;
}

/** The arguments checked and normalised as Ansible's main() does it, with its messages. */
function wanted(args: Args): Wanted {
  const type = args.type ?? "table";
  let schema: string | undefined;
  if (["table", "sequence", "function", "default_privs"].includes(type)) schema = args.objs === "schemas" || args.schema === "not-specified" ? undefined : args.schema || "public";
  else if (args.schema) throw new ModuleError(`Argument "schema" is not allowed for type "${type}".`);
  if (args.objs === "ALL_IN_SCHEMA" && !["table", "sequence", "function"].includes(type)) throw new ModuleError(`Argument "objs": ALL_IN_SCHEMA can be used only for type: table, sequence, function or procedure, ${type} was passed.`);
  const objsText = type === "database" ? args.objs || args.database : args.objs;
  if (!objsText) throw new ModuleError(`Argument "objs" is required for type "${type}".`);
  if (!args.privs) throw new ModuleError(`Argument "privs" is required for type "${type}".`);
  const privs = [...new Set(list(args.privs).map((p) => p.toUpperCase()))];
  const invalid = privs.filter((p) => !VALID_PRIVS.has(p));
  if (invalid.length > 0) throw new ModuleError(`Invalid privileges specified: ${invalid.join(", ")}`);
  if (type === "default_privs") {
    const objs = objsText === "ALL_DEFAULT" ? ["TABLES", "SEQUENCES", "FUNCTIONS", "TYPES"] : [...new Set(list(objsText).map((o) => o.toUpperCase()))];
    const unknown = objs.filter((o) => !(o in DEFAULT_KINDS));
    if (unknown.length > 0) throw new ModuleError(`Invalid Object set specified: ${unknown.join(", ")}`);
    const misfit = objs.filter((o) => !privs.every((p) => DEFAULT_KINDS[o]?.privs.includes(p)));
    if (misfit.length > 0) throw new ModuleError(`Invalid priv specified. Valid object for priv: ${objs.filter((o) => !misfit.includes(o)).join(", ")}. Objects: ${objs.join(", ")}`);
    return { type, schema, privs, objs };
  }
  if (objsText === "ALL_IN_SCHEMA") return { type, schema, privs, objs: null };
  return { type, schema, privs, objs: list(objsText).map((o) => (type === "function" ? o.replaceAll(":", ",") : o)) };
}

/** An object as the statement names it: schema-qualified tables, sequences and functions. */
function objectId(w: Wanted, name: string): string {
  if (w.type === "function") {
    const open = name.indexOf("(");
    if (open < 1) throw new ModuleError(`Illegal function / procedure signature: "${name}".`);
    return `${ident(w.schema ?? "public")}.${ident(name.slice(0, open))}${name.slice(open)}`;
  }
  return w.type === "table" || w.type === "sequence" ? `${w.schema === undefined ? "" : `${ident(w.schema)}.`}${ident(name)}` : ident(name);
}

/** Ansible's statements for the task. */
function statements(args: Args, w: Wanted, objs: readonly string[], whom: string): string[] {
  const state = args.state ?? "present";
  const option = args.grant_option;
  const privs = w.privs.join(",");
  if (w.type === "default_privs") {
    const head = `ALTER DEFAULT PRIVILEGES${args.target_roles ? ` FOR ROLE ${list(args.target_roles).map(ident).join(",")}` : ""}${w.schema === undefined ? "" : ` IN SCHEMA ${ident(w.schema)}`}`;
    if (state === "absent") return ["TABLES", "SEQUENCES", "TYPES"].map((kind) => `${head} REVOKE ALL ON ${kind} FROM ${whom};`);
    const withOption = option === true ? " WITH GRANT OPTION" : "";
    const out = objs.flatMap((kind) => [`${head} REVOKE ALL ON ${kind} FROM ${whom};`, `${head} GRANT ${privs} ON ${kind} TO ${whom}${withOption};`]);
    if (args.usage_on_types !== false) out.push(`${head} GRANT USAGE ON TYPES TO ${whom}${withOption};`);
    return out;
  }
  const on = w.objs === null ? `ALL ${w.type.toUpperCase()}S IN SCHEMA ${ident(w.schema ?? "public")}` : `${w.type.toUpperCase()} ${objs.map((o) => objectId(w, o)).join(",")}`;
  if (state === "absent") return [`REVOKE ${privs} ON ${on} FROM ${whom};`];
  const grant = `GRANT ${privs} ON ${on} TO ${whom}${option === true ? " WITH GRANT OPTION" : ""};`;
  return option === false ? [grant, `REVOKE GRANT OPTION FOR ${privs} ON ${on} FROM ${whom};`] : [grant];
}

/** Whether the statement would change `acl` for `grantee` (the ACL Ansible compares before and after). */
function differs(args: Args, w: Wanted, object: PgObjectAcl, grantee: string, kind: string): boolean {
  const held = new Map(object.acl.filter((g) => g.grantee === grantee).map((g) => [g.privilege, g.grantable]));
  const privs = expand(w.privs, kind);
  if ((args.state ?? "present") === "absent") return !object.materialized || privs.some((p) => held.has(p));
  if (w.type === "default_privs") {
    const want = new Set(privs);
    return held.size !== want.size || [...held].some(([p, grantable]) => !want.has(p) || grantable !== (args.grant_option === true));
  }
  if (!object.materialized) return true;
  return privs.some((p) => !held.has(p) || (args.grant_option === true && held.get(p) !== true) || (args.grant_option === false && held.get(p) === true));
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  if (args.password && args.login_password) throw new ModuleError('Use the "password" or "login_password" option but not both to pass a password to log in with.');
  const connection: Args = args.password ? { ...args, login_password: args.password } : args;
  const password = connection.login_password;
  if (password !== undefined) ctx.addSecret(password);
  const w = wanted(args);
  const fail = args.fail_on_role !== false;
  // Roles are one per cluster: looked up as postgresql_user looks them up (no database), so predictions count.
  const roleTarget = pgTarget(ctx, connection, undefined);
  const names = args.roles.toUpperCase() === "PUBLIC" ? ["PUBLIC"] : list(args.roles);
  const grantees: string[] = [];
  for (const name of names) {
    if (name === "PUBLIC") {
      grantees.push(name);
      continue;
    }
    const found = answered(ctx, await ask(ctx, pgRoleFact, pgRoleSql, roleTarget, { name }, password), { role: null }).role;
    if (found !== null) grantees.push(name);
    else if (fail && !ctx.checkMode) throw new ModuleError(`Role '${name}' does not exist`);
    else ctx.warn(`Role '${name}' does not exist${fail ? " (an earlier task may create it)" : ", pass it"}`);
  }
  if (grantees.length === 0 && !(ctx.checkMode && fail)) return { changed: false, reason: "none of the roles exists", output: { queries: [] } };
  const target = pgTarget(ctx, connection, args.database);
  const query: PgPrivsQuery = {
    type: w.type,
    ...(w.schema === undefined ? {} : { schema: w.schema }),
    objs: w.type === "default_privs" ? null : w.objs,
    ...(args.target_roles ? { targetRoles: list(args.target_roles) } : {}),
  };
  const state = answered(ctx, await ask(ctx, pgPrivilegesFact, pgPrivilegesSql, target, query, password), { schema: true, objects: [] });
  if (!state.schema && w.schema !== undefined && w.objs === null) throw new ModuleError(`Schema "${w.schema}" does not exist.`);
  const whom = grantees.length === 0 ? names.map(ident).join(",") : grantees.map((g) => (g === "PUBLIC" ? "PUBLIC" : ident(g))).join(",");
  let objs: string[];
  let change: boolean;
  if (w.type === "default_privs") {
    objs = w.objs ?? [];
    const kinds = (args.state ?? "present") === "absent" ? ["TABLES", "SEQUENCES", "TYPES"] : [...objs, ...(args.usage_on_types !== false && !objs.includes("TYPES") ? ["TYPES"] : [])];
    change = state.objects.length === 0 || kinds.some((kind) => state.objects.filter((o) => o.name === DEFAULT_KINDS[kind]?.code).some((o) => grantees.some((g) => differs(args, kind === "TYPES" && !objs.includes("TYPES") ? { ...w, privs: ["USAGE"] } : w, o, g, kind))));
  } else {
    objs = w.objs ?? state.objects.map((o) => o.name);
    if (objs.length === 0) return { changed: false, reason: `there is no ${w.type} in schema ${w.schema ?? "public"}`, output: { queries: [] } };
    const missing = objs.filter((name) => !state.objects.some((o) => o.name === name));
    if (missing.length > 0 && !ctx.checkMode) throw new ModuleError(`${w.type} ${missing.join(", ")} does not exist`);
    if (missing.length > 0) ctx.warn(`${w.type} ${missing.join(", ")} does not exist (an earlier task may create it)`);
    change = missing.length > 0 || grantees.length === 0 || state.objects.some((o) => grantees.some((g) => differs(args, w, o, g, w.type)));
  }
  const sql = statements(args, w, objs, whom);
  const what = `${w.privs.join(",")} on ${w.type} ${w.objs === null && w.type !== "default_privs" ? `ALL_IN_SCHEMA ${w.schema ?? ""}` : objs.join(",")}`;
  if (!change) return { changed: false, reason: `${names.join(",")} ${(args.state ?? "present") === "absent" ? "lack" : "have"} ${what}`, output: { queries: [] } };
  const summary = `${(args.state ?? "present") === "absent" ? "revoke" : "grant"} ${what} ${(args.state ?? "present") === "absent" ? "from" : "to"} ${names.join(",")}`;
  return { changed: true, summary, metadataSummary: summary, ...sqlChange(target, password, sql, true), output: { queries: sql } };
}

export default defineModule<Args>({
  name: "postgresql_privs",
  description: "Grant or revoke privileges on PostgreSQL objects (community.postgresql's postgresql_privs)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["database", "roles"],
    properties: {
      database: { type: "string", minLength: 1, description: "The database to connect to (and, for type database, the default object)." },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "present grants the privileges, absent revokes them." },
      privs: { type: "string", description: "Comma-separated privileges (SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, CREATE, CONNECT, TEMPORARY, EXECUTE, USAGE, ALL)." },
      type: { type: "string", enum: ["table", "sequence", "function", "database", "schema", "default_privs"], default: "table", description: "The kind of object (procedure, language, tablespace, group, type and foreign objects are not supported)." },
      objs: { type: "string", description: "Comma-separated objects; ALL_IN_SCHEMA for every table, sequence or function of the schema; functions as name(type:type); for default_privs TABLES, SEQUENCES, FUNCTIONS, TYPES, SCHEMAS or ALL_DEFAULT." },
      schema: { type: "string", description: "Schema of tables, sequences, functions and default privileges (default public; not-specified: default privileges for every schema)." },
      roles: { type: "string", minLength: 1, description: "Comma-separated roles to grant to or revoke from, or PUBLIC." },
      target_roles: { type: "string", description: "For default_privs: comma-separated roles whose future objects get the privileges (default: the current role)." },
      grant_option: { type: "boolean", description: "With state present: true grants WITH GRANT OPTION, false revokes the grant option; unset leaves it." },
      fail_on_role: { type: "boolean", default: true, description: "Fail when a role does not exist (false: warn and pass it)." },
      usage_on_types: { type: "boolean", default: true, description: "For default_privs: also grant USAGE on types, as Ansible does." },
      password: { type: "string", description: "Deprecated name of login_password (not both)." },
      ...connectionSchema,
    },
  },
  aliases: { db: "database", login_db: "database", priv: "privs", obj: "objs", role: "roles", admin_option: "grant_option", ...connectionAliases },
  examples: [
    "- postgresql_privs: { db: rems, roles: rems, type: database, privs: ALL }",
    "- postgresql_privs: { db: rems, roles: reader, objs: ALL_IN_SCHEMA, privs: SELECT }",
    "- postgresql_privs: { db: rems, roles: reader, type: default_privs, objs: TABLES, privs: SELECT, target_roles: rems }",
    "- postgresql_privs: { db: rems, roles: PUBLIC, type: schema, objs: public, privs: CREATE, state: absent }",
  ],
  capabilities: { diff: false, idempotent: true },
  check,
  apply: applySql,
});
