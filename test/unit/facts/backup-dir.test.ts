import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { backupDirFact, parseBackupDir, stampTime } from "../../../modules/facts/backup-dir.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(backupDirFact);

test("a backup name's timestamp is read as UTC", () => {
  assert.equal(stampTime("20261127T030000Z"), Date.UTC(2026, 10, 27, 3, 0, 0) / 1000);
  assert.equal(stampTime("2026-11-27"), undefined);
});

test("backups of another database with a longer name that starts the same are not ours", () => {
  const dir = parseBackupDir({ stdout: "100\n5 rems-20261127T030000Z.db.gz\n5 rems-old-20261127T030000Z.db.gz\n", code: 0 }, { dir: "/b", prefix: "rems" });
  assert.deepEqual(dir.backups.map((b) => b.name), ["rems-20261127T030000Z.db.gz"]);
});

test("output without the clock is a FactError", () => {
  assert.throws(() => parseBackupDir({ stdout: "", code: 0 }, { dir: "/b", prefix: "rems" }), FactError);
});
