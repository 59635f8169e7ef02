/**
 * postgresql_db on lab hosts: the ladder that creates a database (owner, encoding, collation from template0) and
 * drops it again, and the same tasks under ansible-playbook on a twin: statuses and the databases afterwards.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";
import { postgresLab, PSQL } from "../../helpers/postgres-lab.js";

const lab = postgresLab("mod-pgdb");
const PROBE = `echo "SELECT datname, pg_get_userbyid(datdba), pg_encoding_to_char(encoding), datcollate FROM pg_database WHERE datname LIKE 'app%' ORDER BY 1" | ${PSQL}`;

describe("postgresql_db on a lab host", () => {
  test("creates a database: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    const { after } = await ladder(host, modulePlaybook(`
- name: the database
  community.postgresql.postgresql_db: { name: "app db'\\"", encoding: UTF-8, lc_collate: C.UTF-8, lc_ctype: C.UTF-8, template: template0, login_unix_socket: /var/run/postgresql }
  become: true
  become_user: postgres
`), PROBE);
    assert.equal(after, "exit 0\napp db'\"|postgres|UTF8|C.UTF-8\n");
  });

  test("drops it: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    const { after } = await ladder(host, modulePlaybook(`
- name: no database
  postgresql_db: { db: "app db'\\"", state: absent }
  become: true
  become_user: postgres
`), PROBE);
    assert.equal(after, "exit 0\n");
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  become: true
  become_user: postgres
  tasks:
    - name: create
      postgresql_db: { name: app1, encoding: UTF-8, template: template0 }
    - name: again
      postgresql_db: { name: app1, encoding: UTF8 }
    - name: owner
      postgresql_db: { name: app1, owner: pg_monitor }
    - name: conn limit
      postgresql_db: { name: app1, conn_limit: "3" }
    - name: drop
      postgresql_db: { name: app1, state: absent }
    - name: drop again
      postgresql_db: { name: app1, state: absent }
    - name: keep one
      postgresql_db: { name: app2 }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: `echo 'DROP DATABASE IF EXISTS app1; DROP DATABASE IF EXISTS app2;' | ${PSQL}`,
      ansible: ["create=changed", "again=ok", "owner=changed", "conn limit=changed", "drop=changed", "drop again=ok", "keep one=changed"],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE);
    assert.equal(ours, theirs);
    assert.equal(ours, "app2|postgres|UTF8|C.UTF-8\n");
  });
});
