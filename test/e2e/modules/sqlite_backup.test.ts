/** sqlite_backup on a lab host: a backup with max_age (the ladder), then a restore of it (the ladder), a misspelled argument. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab, type Lab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook, onHost } from "../../helpers/module-ladder.js";

const lab = sharedLab("e2e-sqlite-backup", 1);
const DB = "/srv/rems-e2e/rems.db";
const DEST = "/var/backups/rems-e2e";

async function withDb(t: Parameters<typeof lab.use>[0]): Promise<Lab | undefined> {
  const host = await lab.use(t);
  if (host) {
    await onHost(
      host,
      `test -f ${DB} || { mkdir -p /srv/rems-e2e && python3 -c "import sqlite3; c = sqlite3.connect('${DB}'); c.execute('pragma journal_mode=wal'); c.execute('create table t(x)'); c.executemany('insert into t values (?)', [(i,) for i in range(1000)]); c.commit()"; }`,
    );
  }
  return host;
}

describe("sqlite_backup on a lab host", () => {
  test("takes a backup, and no second one within max_age: check, apply, check, apply", async (t) => {
    const host = await withDb(t);
    if (!host) return;
    await ladder(host, modulePlaybook(`
- name: back up
  sqlite_backup: { db: ${DB}, dest: ${DEST}, max_age: 1d, keep: 3 }
`), `ls ${DEST}`);
    const listing = await onHost(host, `ls -l ${DEST}`);
    assert.match(listing, /^-rw------- 1 root root \d+ .* rems-\d{8}T\d{6}Z\.db\.gz$/m);
    assert.match(await onHost(host, `gzip -dc ${DEST}/rems-*.db.gz > /tmp/check.db && python3 -c "import sqlite3; print(sqlite3.connect('/tmp/check.db').execute('select count(*) from t').fetchone()[0])"`), /^exit 0\n1000\n$/);
  });

  test("restores the latest backup over a changed database after a safety copy: check, apply, check, apply", async (t) => {
    const host = await withDb(t);
    if (!host) return;
    await onHost(host, `python3 -c "import sqlite3; c = sqlite3.connect('${DB}'); c.execute('delete from t'); c.commit()"`);
    await ladder(host, modulePlaybook(`
- name: restore
  sqlite_backup: { db: ${DB}, dest: ${DEST}, state: restored, from: latest }
`), `sha256sum ${DB}; ls /srv/rems-e2e`);
    assert.match(await onHost(host, `python3 -c "import sqlite3; print(sqlite3.connect('${DB}').execute('select count(*) from t').fetchone()[0])"`), /^exit 0\n1000\n$/);
    assert.match(await onHost(host, "ls /srv/rems-e2e"), /rems\.db\.before-restore-\d{8}T\d{6}Z/);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  sqlite_backup:
    dset: /var/backups/x
`, `playbook.yml:6:9: task "typo": sqlite_backup: unknown argument 'dset'; did you mean 'dest'?`);
  });
});
