/**
 * A PostgreSQL role as postgresql_user compares it: its attributes, connection limit, expiry (and whether it equals
 * the wanted one, compared by the server as `::timestamptz`), comment, and the stored password verifier from
 * pg_authid (superusers only; the module compares it on the controller and never shows it).
 */
import { definePgFact, literal, type PgAnswer } from "../shared/postgres.js";

export interface PgRoleQuery {
  name: string;
  /** The wanted expiry (VALID UNTIL), to be compared by the server. */
  expires?: string;
}

export interface PgRole {
  super: boolean;
  createrole: boolean;
  createdb: boolean;
  inherit: boolean;
  login: boolean;
  replication: boolean;
  bypassrls: boolean;
  connlimit: number;
  validuntil: string | null;
  /** Whether validuntil is the wanted expiry (when one was asked). */
  expiresSame?: boolean;
  password: string | null;
  comment: string | null;
}

/** The role, or null when there is none. */
export interface PgRoleState {
  role: PgRole | null;
}

export function pgRoleSql({ name, expires }: PgRoleQuery): string {
  const same = expires === undefined ? "" : `, 'expiresSame', rolvaliduntil IS NOT DISTINCT FROM ${literal(expires)}::timestamptz`;
  return (
    `SELECT json_build_object('role', (SELECT json_build_object('super', rolsuper, 'createrole', rolcreaterole, 'createdb', rolcreatedb, ` +
    `'inherit', rolinherit, 'login', rolcanlogin, 'replication', rolreplication, 'bypassrls', rolbypassrls, 'connlimit', rolconnlimit, ` +
    `'validuntil', rolvaliduntil, 'password', rolpassword, 'comment', pg_catalog.shobj_description(oid, 'pg_authid')${same}) ` +
    `FROM pg_catalog.pg_authid WHERE rolname = ${literal(name)}));`
  );
}

export const pgRoleFact = definePgFact<PgRoleState, PgRoleQuery>("pg_role", pgRoleSql);

export type PgRoleAnswer = PgAnswer<PgRoleState>;
