/**
 * A PostgreSQL database as postgresql_db compares it: owner, encoding (and whether it is the wanted one, as the
 * server's pg_char_to_encoding reads names: UTF-8, utf8 and UNICODE are one), collation, ctype, connection limit,
 * tablespace.
 */
import { definePgFact, literal } from "../shared/postgres.js";

export interface PgDatabaseQuery {
  name: string;
  /** The wanted encoding, compared by the server. */
  encoding?: string;
}

export interface PgDatabase {
  owner: string;
  encoding: string;
  encodingSame?: boolean;
  lc_collate: string;
  lc_ctype: string;
  conn_limit: number;
  tablespace: string;
}

/** The database, or null when there is none. */
export interface PgDatabaseState {
  database: PgDatabase | null;
}

export function pgDatabaseSql({ name, encoding }: PgDatabaseQuery): string {
  const same = encoding === undefined ? "" : `, 'encodingSame', d.encoding = pg_catalog.pg_char_to_encoding(${literal(encoding)})`;
  return (
    `SELECT json_build_object('database', (SELECT json_build_object('owner', r.rolname, 'encoding', pg_catalog.pg_encoding_to_char(d.encoding), ` +
    `'lc_collate', d.datcollate, 'lc_ctype', d.datctype, 'conn_limit', d.datconnlimit, 'tablespace', t.spcname${same}) ` +
    `FROM pg_catalog.pg_database d JOIN pg_catalog.pg_roles r ON r.oid = d.datdba JOIN pg_catalog.pg_tablespace t ON t.oid = d.dattablespace ` +
    `WHERE d.datname = ${literal(name)}));`
  );
}

export const pgDatabaseFact = definePgFact<PgDatabaseState, PgDatabaseQuery>("pg_database", pgDatabaseSql);
