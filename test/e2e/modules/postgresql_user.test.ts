/**
 * postgresql_user on lab hosts: the ladder that creates a role with a password and attributes (the same password
 * again is no change) and its reverse, no password in any command line, and the same tasks under ansible-playbook
 * on a twin (Ansible as the oracle): statuses and the roles afterwards.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ladder, modulePlaybook, onHost } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";
import { postgresLab, PSQL } from "../../helpers/postgres-lab.js";

const lab = postgresLab("mod-pguser");
const PROBE = `echo "SELECT rolname, rolcreatedb, rolsuper, rolcanlogin, rolconnlimit FROM pg_roles WHERE rolname LIKE 'app%' ORDER BY 1" | ${PSQL}`;

describe("postgresql_user on a lab host", () => {
  test("creates a role with a password: check, apply, check, apply; the password is in no command line", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    // Every command the run starts through sudo (become, and the probes' switch to postgres) is logged with its argv.
    await onHost(host, `printf '#!/bin/sh\\nprintf "%%s\\\\n" "$*" >> /root/sudo-argv.log\\nexec /usr/bin/sudo "$@"\\n' > /usr/local/bin/sudo && chmod 755 /usr/local/bin/sudo && rm -f /root/sudo-argv.log`);
    t.after(() => onHost(host, "rm -f /usr/local/bin/sudo"));
    const { after } = await ladder(host, modulePlaybook(`
- name: the role
  community.postgresql.postgresql_user: { name: "app'\\"x", password: s3cret-Pw, role_attr_flags: "CREATEDB,NOSUPERUSER", conn_limit: 4, login_unix_socket: /var/run/postgresql }
  become: true
  become_user: postgres
`), PROBE);
    assert.equal(after, "exit 0\napp'\"x|t|f|t|4\n");
    const argv = await onHost(host, "cat /root/sudo-argv.log");
    assert.match(argv, /psql -X -q/, "the log saw psql's command lines");
    assert.doesNotMatch(argv, /s3cret-Pw/);
  });

  test("drops it: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    const { after } = await ladder(host, modulePlaybook(`
- name: no role
  postgresql_user: { user: "app'\\"x", state: absent }
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
  tasks:
    - name: create
      postgresql_user: { name: app1, password: first-pass, login_unix_socket: /var/run/postgresql, login_host: localhost }
      become_user: postgres
    - name: same password
      postgresql_user: { name: app1, password: first-pass, login_unix_socket: /var/run/postgresql, login_host: localhost }
      become_user: postgres
    - name: new password
      postgresql_user: { name: app1, password: second-pass, login_unix_socket: /var/run/postgresql }
      become_user: postgres
    - name: kept with no_password_changes
      postgresql_user: { name: app1, password: third-pass, no_password_changes: true }
      become_user: postgres
    - name: attributes
      postgresql_user: { name: app1, role_attr_flags: "CREATEDB,NOLOGIN" }
      become_user: postgres
    - name: attributes again
      postgresql_user: { name: app1, role_attr_flags: "CREATEDB,NOLOGIN" }
      become_user: postgres
    - name: md5 hash
      postgresql_user: { name: app2, password: md5d1c3f7ee1f7e0a3bf0c1e3bd0d1aa7f2 }
      become_user: postgres
    - name: md5 hash again
      postgresql_user: { name: app2, password: md5d1c3f7ee1f7e0a3bf0c1e3bd0d1aa7f2 }
      become_user: postgres
    - name: drop
      postgresql_user: { name: app2, state: absent }
      become_user: postgres
    - name: drop again
      postgresql_user: { name: app2, state: absent }
      become_user: postgres
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: `echo 'DROP ROLE IF EXISTS app1; DROP ROLE IF EXISTS app2;' | ${PSQL}`,
      ansible: ["create=changed", "same password=ok", "new password=changed", "kept with no_password_changes=ok", "attributes=changed", "attributes again=ok", "md5 hash=changed", "md5 hash again=ok", "drop=changed", "drop again=ok"],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, `echo "SELECT rolname, rolcreatedb, rolcanlogin, left(rolpassword, 14) FROM pg_authid WHERE rolname LIKE 'app%'" | ${PSQL}`);
    assert.equal(ours, theirs);
    assert.equal(ours, "app1|t|f|SCRAM-SHA-256$\n");
  });
});
