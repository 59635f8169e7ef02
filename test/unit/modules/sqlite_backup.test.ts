import { test } from "node:test";
import assert from "node:assert/strict";
import { ModuleError } from "../../../engine/errors.js";
import sqliteBackup, { durationSeconds, formatAge } from "../../../modules/sqlite_backup.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(sqliteBackup);

test("max_age durations", () => {
  assert.equal(durationSeconds(90), 90);
  assert.equal(durationSeconds("90"), 90);
  assert.equal(durationSeconds("30m"), 1800);
  assert.equal(durationSeconds("1d"), 86400);
  assert.equal(durationSeconds("2w"), 1209600);
  assert.throws(() => durationSeconds("1 day"), ModuleError);
});

test("ages are shown with their two largest units", () => {
  assert.equal(formatAge(0), "0s");
  assert.equal(formatAge(10800), "3h");
  assert.equal(formatAge(93784), "1d 2h");
  assert.equal(formatAge(125), "2m 5s");
});
