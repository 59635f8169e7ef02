/**
 * Access privileges of PostgreSQL objects as postgresql_privs compares them: each object's ACL exploded into
 * (grantee, privilege, grantable) rows (aclexplode; a NULL ACL, the built-in default, is exploded from acldefault
 * and marked so: any GRANT or REVOKE writes it out, which Ansible counts as a change), and default privileges
 * (pg_default_acl) per role and object kind.
 */
import { definePgFact, ident, literal } from "../shared/postgres.js";

export type PgPrivsType = "database" | "schema" | "table" | "sequence" | "function" | "default_privs";

export interface PgPrivsQuery {
  type: PgPrivsType;
  /** The schema of tables, sequences, functions and default privileges; none for default privileges: global ones. */
  schema?: string;
  /** Object names (functions as `name(argument types)`), or null for every one in the schema (ALL_IN_SCHEMA). */
  objs: string[] | null;
  /** For default privileges: the roles whose future objects they are for (empty: the current role). */
  targetRoles?: string[];
}

export interface PgGrant {
  grantee: string;
  privilege: string;
  grantable: boolean;
}

export interface PgObjectAcl {
  /** The object's name as asked (default privileges: the kind, r S f T n). */
  name: string;
  /** Default privileges: the role they are for. */
  role: string | null;
  /** Whether the ACL is stored (false: the built-in default, exploded). */
  materialized: boolean;
  acl: PgGrant[];
}

export interface PgPrivileges {
  /** Whether the schema exists (true where none is involved). */
  schema: boolean;
  objects: PgObjectAcl[];
}

const textArray = (values: readonly string[]): string => `ARRAY[${values.map(literal).join(", ")}]::text[]`;

/** The (name, role, acl, dflt) rows of the objects asked. */
function rows({ type, schema = "", objs, targetRoles = [] }: PgPrivsQuery): string {
  const ns = `(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = ${literal(schema)})`;
  const named = (column: string): string => (objs === null ? "true" : `${column} = ANY(${textArray(objs)})`);
  switch (type) {
    case "database":
      return `SELECT datname AS name, NULL::text AS role, datacl AS acl, pg_catalog.acldefault('d', datdba) AS dflt FROM pg_catalog.pg_database WHERE ${named("datname")}`;
    case "schema":
      return `SELECT nspname AS name, NULL::text AS role, nspacl AS acl, pg_catalog.acldefault('n', nspowner) AS dflt FROM pg_catalog.pg_namespace WHERE ${named("nspname")}`;
    case "table":
    case "sequence": {
      const kinds = type === "table" ? "'r', 'p', 'v', 'm'" : "'S'";
      return `SELECT relname AS name, NULL::text AS role, relacl AS acl, pg_catalog.acldefault('${type === "table" ? "r" : "s"}', relowner) AS dflt FROM pg_catalog.pg_class WHERE relnamespace = ${ns} AND relkind IN (${kinds}) AND ${named("relname")}`;
    }
    case "function": {
      const columns = `NULL::text AS role, p.proacl AS acl, pg_catalog.acldefault('f', p.proowner) AS dflt`;
      if (objs === null) return `SELECT p.proname || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')' AS name, ${columns} FROM pg_catalog.pg_proc p WHERE p.pronamespace = ${ns} AND p.prokind = 'f'`;
      const signatures = objs.map((obj) => {
        const open = obj.indexOf("(");
        return `${ident(schema)}.${ident(obj.slice(0, open))}${obj.slice(open)}`;
      });
      return `SELECT o.given AS name, ${columns} FROM unnest(${textArray(objs)}, ${textArray(signatures)}) AS o(given, signature) JOIN pg_catalog.pg_proc p ON p.oid = pg_catalog.to_regprocedure(o.signature)`;
    }
    case "default_privs": {
      const roles = targetRoles.length === 0 ? "ARRAY[current_user]::text[]" : textArray(targetRoles);
      const where = schema === "" ? "0" : ns;
      const dflt = schema === "" ? "pg_catalog.acldefault(k.kind, r.oid)" : "NULL::aclitem[]";
      return (
        `SELECT k.kind::text AS name, r.rolname::text AS role, a.defaclacl AS acl, ${dflt} AS dflt ` +
        `FROM unnest(ARRAY['r', 'S', 'f', 'T', 'n']::"char"[]) AS k(kind) CROSS JOIN pg_catalog.pg_roles r ` +
        `LEFT JOIN pg_catalog.pg_default_acl a ON a.defaclrole = r.oid AND a.defaclobjtype = k.kind AND a.defaclnamespace = ${where} ` +
        `WHERE r.rolname = ANY(${roles})`
      );
    }
  }
}

export function pgPrivilegesSql(query: PgPrivsQuery): string {
  const grants =
    `SELECT coalesce(json_agg(json_build_object('grantee', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(x.grantee) END, ` +
    `'privilege', x.privilege_type, 'grantable', x.is_grantable) ORDER BY x.grantee, x.privilege_type), '[]') FROM pg_catalog.aclexplode(coalesce(o.acl, o.dflt)) x`;
  const schema = query.schema === undefined || query.schema === "" ? "true" : `EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ${literal(query.schema)})`;
  return (
    `SELECT json_build_object('schema', ${schema}, 'objects', coalesce((SELECT json_agg(json_build_object('name', o.name, 'role', o.role, ` +
    `'materialized', o.acl IS NOT NULL, 'acl', (${grants})) ORDER BY o.name, o.role) FROM (${rows(query)}) o), '[]'));`
  );
}

export const pgPrivilegesFact = definePgFact<PgPrivileges, PgPrivsQuery>("pg_privileges", pgPrivilegesSql);
