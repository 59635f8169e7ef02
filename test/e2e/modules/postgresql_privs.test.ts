/**
 * postgresql_privs on lab hosts: the ladder that grants privileges on a database and its reverse, and the same
 * tasks under ansible-playbook on a twin: statuses and the ACLs afterwards.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";
import { postgresLab, PSQL } from "../../helpers/postgres-lab.js";

const lab = postgresLab("mod-pgprivs");
const PROBE = `echo "SELECT datacl FROM pg_database WHERE datname = 'appdb'" | ${PSQL}`;
const SETUP = `echo "CREATE ROLE appuser LOGIN; CREATE DATABASE appdb;" | ${PSQL} 2>/dev/null; true`;

describe("postgresql_privs on a lab host", () => {
  test("grants on a database: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await onTwins(host, SETUP);
    const { after } = await ladder(host, modulePlaybook(`
- name: grant
  community.postgresql.postgresql_privs: { db: appdb, roles: appuser, type: database, privs: "CONNECT,TEMP" }
  become: true
  become_user: postgres
`), PROBE);
    assert.match(after, /appuser=Tc\/postgres/);
  });

  test("revokes it: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    const { after } = await ladder(host, modulePlaybook(`
- name: revoke
  postgresql_privs: { db: appdb, role: appuser, type: database, privs: TEMPORARY, state: absent }
  become: true
  become_user: postgres
`), PROBE);
    assert.match(after, /appuser=c\/postgres/);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  become: true
  become_user: postgres
  tasks:
    - name: grant database
      postgresql_privs: { db: appdb, roles: appuser, type: database, privs: ALL }
    - name: grant database again
      postgresql_privs: { db: appdb, roles: appuser, type: database, privs: ALL }
    - name: tables in schema
      postgresql_privs: { db: appdb, roles: appuser, objs: ALL_IN_SCHEMA, privs: "SELECT,INSERT" }
    - name: tables in schema again
      postgresql_privs: { db: appdb, roles: appuser, objs: ALL_IN_SCHEMA, privs: "SELECT,INSERT" }
    - name: schema usage with grant option
      postgresql_privs: { db: appdb, roles: appuser, type: schema, objs: public, privs: USAGE, grant_option: true }
    - name: schema usage again
      postgresql_privs: { db: appdb, roles: appuser, type: schema, objs: public, privs: USAGE, grant_option: true }
    - name: revoke table insert
      postgresql_privs: { db: appdb, roles: appuser, objs: t1, privs: INSERT, state: absent }
    - name: revoke table insert again
      postgresql_privs: { db: appdb, roles: appuser, objs: t1, privs: INSERT, state: absent }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: `echo "DROP DATABASE IF EXISTS appdb; DROP ROLE IF EXISTS appuser; CREATE ROLE appuser LOGIN; CREATE DATABASE appdb;" | ${PSQL} && echo "CREATE TABLE t1 (id int); CREATE TABLE t2 (id int);" | (cd / && sudo -u postgres psql -X -q -d appdb)`,
      ansible: ["grant database=changed", "grant database again=ok", "tables in schema=changed", "tables in schema again=ok", "schema usage with grant option=changed", "schema usage again=ok", "revoke table insert=changed", "revoke table insert again=ok"],
    });
    if (!run) return;
    const acls = `echo "SELECT relname, relacl FROM pg_class WHERE relname IN ('t1', 't2') ORDER BY 1; SELECT nspacl FROM pg_namespace WHERE nspname = 'public'; SELECT datacl FROM pg_database WHERE datname = 'appdb'" | (cd / && sudo -u postgres psql -X -q -A -t -d appdb)`;
    const [ours, theirs] = await onTwins(run.lab, acls);
    assert.equal(ours, theirs);
  });
});
