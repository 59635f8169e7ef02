/**
 * Runs sqlite_backup's real commands (as planned by the module) with /bin/sh and python3 on this machine, against
 * real SQLite files: the online backup while another process writes, the integrity check, restore with its safety
 * copy. No host or engine is involved: apply does exactly this over SSH.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import type { Command } from "../../../engine/command.js";
import sqliteBackup from "../../../modules/sqlite_backup.js";
import { SQLITE_BACKUP_SCRIPT } from "../../../modules/shared/sqlite-backup-script.js";
import { FakeContext } from "../../helpers/fake-context.js";
import { validateArgs } from "../../helpers/module-tester.js";

function python(code: string): string {
  const r = spawnSync("python3", ["-c", code], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function createDb(path: string, rows: number): void {
  python(`import sqlite3; c = sqlite3.connect(${JSON.stringify(path)}); c.execute("pragma journal_mode=wal"); c.execute("create table t(x integer, pad text)"); c.executemany("insert into t values (?, ?)", [(i, "x" * 200) for i in range(${rows})]); c.commit()`);
}

function count(path: string): number {
  return Number(python(`import sqlite3; print(sqlite3.connect(${JSON.stringify(path)}).execute("select count(*) from t").fetchone()[0])`).trim());
}

/** The commands sqlite_backup plans for these args on a host where `facts` hold. */
async function plannedCommands(args: Record<string, unknown>, facts: Record<string, Record<string, unknown>>): Promise<readonly Command[]> {
  const valid = validateArgs(sqliteBackup, args);
  assert.ok("args" in valid);
  const plan = await sqliteBackup.check(new FakeContext({ facts }), valid.args as never);
  assert.ok(plan.changed === true, "the module plans a change");
  return plan.commands;
}

function runScript(command: Command): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync("/bin/sh", ["-c", command.text], { input: SQLITE_BACKUP_SCRIPT, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

async function backupCommand(db: string, dest: string): Promise<Command> {
  const [command] = await plannedCommands(
    { db, dest },
    {
      backup_dir: { [JSON.stringify({ dir: dest, prefix: "rems" })]: { now: 1795769859, backups: [] } },
      file_stat: { [JSON.stringify({ path: db, follow: true })]: { exists: true, type: "file", mode: "0644", owner: "root", group: "root", size: 1, sha256: "0".repeat(64) } },
    },
  );
  assert.ok(command);
  return command;
}

describe("sqlite_backup's script on real SQLite files", () => {
  test("backs up a WAL database while another process writes: gzipped, mode 0600, intact, reported path/size/sha256", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-sqlite-"));
    const db = join(dir, "rems.db");
    createDb(db, 5000);
    // The app keeps writing during the backup.
    const writer = spawn("python3", ["-c", `import sqlite3, time\nc = sqlite3.connect(${JSON.stringify(db)}, timeout=30)\nfor i in range(400):\n    c.execute("insert into t values (?, ?)", (i, "y" * 200)); c.commit(); time.sleep(0.002)`]);
    const writerDone = new Promise((resolve) => writer.on("close", resolve));
    const result = runScript(await backupCommand(db, join(dir, "backups")));
    await writerDone;
    assert.equal(result.code, 0, result.stderr);
    const reported = JSON.parse(result.stdout) as { path: string; size: number; sha256: string };
    assert.match(reported.path, /\/backups\/rems-\d{8}T\d{6}Z\.db\.gz$/);
    const packed = readFileSync(reported.path);
    assert.equal(reported.size, packed.length);
    assert.equal(reported.sha256, sha256(packed));
    assert.equal(statSync(reported.path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, "backups")), [reported.path.split("/").at(-1)], "no temporary file is left");
    const copy = join(dir, "copy.db");
    writeFileSync(copy, gunzipSync(packed));
    assert.equal(python(`import sqlite3; print(sqlite3.connect(${JSON.stringify(copy)}).execute("pragma integrity_check").fetchone()[0])`).trim(), "ok");
    const rows = count(copy);
    assert.ok(rows >= 5000 && rows <= 5400, `a consistent snapshot between the start and the end of the writes (${rows} rows)`);
  });

  test("a corrupt database fails the integrity check: the task fails and no backup is left", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-sqlite-"));
    const db = join(dir, "rems.db");
    createDb(db, 3000);
    python(`import sqlite3; sqlite3.connect(${JSON.stringify(db)}).execute("pragma wal_checkpoint(truncate)")`);
    // Overwrite a page in the middle of the table's b-tree with garbage.
    const bytes = readFileSync(db);
    bytes.fill(0x41, 4096 * 20, 4096 * 20 + 1500);
    writeFileSync(db, bytes);
    const result = runScript(await backupCommand(db, join(dir, "backups")));
    assert.equal(result.code, 3);
    assert.match(result.stderr, /^sqlite_backup: integrity_check of the copy failed: /);
    assert.deepEqual(readdirSync(join(dir, "backups")), []);
  });

  test("a missing database fails and is not created empty", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-sqlite-"));
    const db = join(dir, "rems.db");
    const result = runScript(await backupCommand(db, join(dir, "backups")));
    assert.equal(result.code, 3);
    assert.equal(result.stderr, `sqlite_backup: database ${db} does not exist\n`);
    assert.equal(existsSync(db), false);
  });

  test("restores a backup over the live database after keeping a safety copy, with the live file's mode", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-sqlite-"));
    const db = join(dir, "rems.db");
    createDb(db, 100);
    const backup = JSON.parse(runScript(await backupCommand(db, join(dir, "backups"))).stdout) as { path: string };
    // After the backup the app adds rows (still in the WAL) and the file has its own mode.
    python(`import sqlite3, os; c = sqlite3.connect(${JSON.stringify(db)}); c.execute("insert into t values (1, 'after')"); c.commit(); os._exit(0)`);
    chmodSync(db, 0o640);
    assert.ok(existsSync(`${db}-wal`));
    const [restore] = await plannedCommands(
      { db, state: "restored", from: backup.path },
      { sqlite_restore_state: { [JSON.stringify({ db, backup: backup.path })]: { dbSha256: "1".repeat(64), walSize: 4152, backupSha256: "2".repeat(64) } } },
    );
    assert.ok(restore);
    const result = runScript(restore);
    assert.equal(result.code, 0, result.stderr);
    const reported = JSON.parse(result.stdout) as { path: string; safety_copy: string; sha256: string };
    assert.equal(count(db), 100, "the live database has the backup's rows");
    assert.equal(count(reported.safety_copy), 101, "the safety copy has the rows the live database had, WAL included");
    assert.equal(statSync(db).mode & 0o777, 0o640);
    assert.equal(statSync(reported.safety_copy).mode & 0o777, 0o640);
    assert.equal(reported.sha256, sha256(gunzipSync(readFileSync(backup.path))));
    assert.equal(existsSync(`${db}-wal`), false, "the replaced database's WAL is gone");
  });

  test("restores over a database too damaged to read, keeping its raw file as the safety copy", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-sqlite-"));
    const db = join(dir, "rems.db");
    createDb(db, 100);
    const backup = JSON.parse(runScript(await backupCommand(db, join(dir, "backups"))).stdout) as { path: string };
    writeFileSync(db, "this is not a database, it is garbage that replaced it");
    const [restore] = await plannedCommands(
      { db, state: "restored", from: backup.path },
      { sqlite_restore_state: { [JSON.stringify({ db, backup: backup.path })]: { dbSha256: "1".repeat(64), walSize: 0, backupSha256: "2".repeat(64) } } },
    );
    assert.ok(restore);
    const result = runScript(restore);
    assert.equal(result.code, 0, result.stderr);
    const reported = JSON.parse(result.stdout) as { safety_copy: string };
    assert.equal(count(db), 100);
    assert.equal(readFileSync(reported.safety_copy, "utf8"), "this is not a database, it is garbage that replaced it");
  });

  test("issue 16 item 1: links the service user plants in the database's directory are never written through or chowned", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-sqlite-"));
    const db = join(dir, "rems.db");
    createDb(db, 100);
    const backup = JSON.parse(runScript(await backupCommand(db, join(dir, "backups"))).stdout) as { path: string };
    const victims = mkdtempSync(join(tmpdir(), "rems-victims-"));
    const passwd = join(victims, "passwd");
    writeFileSync(passwd, "root:x:0:0:root:/root:/bin/bash\n");
    chmodSync(passwd, 0o644);
    // The names a restore would once write: the fixed temporary name, and safety copies of the next minutes.
    symlinkSync(passwd, join(dir, ".rems-restore-rems.db.tmp"));
    const now = Date.now();
    for (let s = 0; s < 180; s++) {
      const stamp = new Date(now + s * 1000).toISOString().replace(/[-:]/g, "").slice(0, 15) + "Z";
      symlinkSync(passwd, join(dir, `rems.db.before-restore-${stamp}`));
    }
    chmodSync(db, 0o640);
    chownSync(db, 65534, 65534);
    const [restore] = await plannedCommands(
      { db, state: "restored", from: backup.path },
      { sqlite_restore_state: { [JSON.stringify({ db, backup: backup.path })]: { dbSha256: "1".repeat(64), walSize: 0, backupSha256: "2".repeat(64) } } },
    );
    assert.ok(restore);
    const result = runScript(restore);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(passwd, "utf8"), "root:x:0:0:root:/root:/bin/bash\n");
    assert.deepEqual([statSync(passwd).uid, statSync(passwd).mode & 0o777], [process.getuid?.() ?? 0, 0o644]);
    const reported = JSON.parse(result.stdout) as { safety_copy: string };
    assert.equal(lstatSync(reported.safety_copy).isSymbolicLink(), false);
    assert.deepEqual([statSync(db).uid, statSync(db).mode & 0o777], [65534, 0o640], "the restored database has the live one's owner and mode");
    assert.equal(count(db), 100);

    // A database path that is itself a planted link is refused.
    rmSync(db);
    symlinkSync(passwd, db);
    const refused = runScript(restore);
    assert.equal(refused.code, 3);
    assert.equal(refused.stderr, `sqlite_backup: ${db} is a symbolic link: refusing to restore over it\n`);
    assert.equal(readFileSync(passwd, "utf8"), "root:x:0:0:root:/root:/bin/bash\n");
  });

  test("a backup that fails its integrity check is not restored: the live database stays", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-sqlite-"));
    const db = join(dir, "rems.db");
    createDb(db, 10);
    const before = readFileSync(db);
    const bad = join(dir, "rems-20261127T030000Z.db");
    writeFileSync(bad, "SQLite format 3\0 but nothing else");
    const [restore] = await plannedCommands(
      { db, state: "restored", from: bad },
      { sqlite_restore_state: { [JSON.stringify({ db, backup: bad })]: { dbSha256: "1".repeat(64), walSize: 0, backupSha256: "2".repeat(64) } } },
    );
    assert.ok(restore);
    const result = runScript(restore);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /^sqlite_backup: integrity_check of .* failed: /);
    assert.deepEqual(readFileSync(db), before);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith(".rems-") || f.includes("before-restore")), [], "no temporary file and no safety copy");
  });
});
