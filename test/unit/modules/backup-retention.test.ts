import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { expiredBackups, type Dated } from "../../../modules/shared/backup-retention.js";

const at = (iso: string): Dated => ({ name: `rems-${iso}.db.gz`, time: Date.parse(iso) / 1000 });

/** Two backups a day at 03:00 and 15:00 UTC from 2026-09-01 to 2026-11-27 (Friday). */
const twiceDaily: Dated[] = [];
for (let t = Date.UTC(2026, 8, 1, 3); t <= Date.UTC(2026, 10, 27, 15); t += 12 * 3600 * 1000) {
  twiceDaily.push(at(new Date(t).toISOString().replace(".000", "")));
}
const names = (list: readonly Dated[]) => list.map((b) => b.name);
const kept = (keep: Parameters<typeof expiredBackups>[1]) => {
  const expired = new Set(expiredBackups(twiceDaily, keep));
  return twiceDaily.filter((b) => !expired.has(b));
};

describe("backup retention", () => {
  test("a count keeps the newest N", () => {
    assert.deepEqual(names(kept(3)), ["rems-2026-11-26T15:00:00Z.db.gz", "rems-2026-11-27T03:00:00Z.db.gz", "rems-2026-11-27T15:00:00Z.db.gz"]);
  });

  test("daily keeps the newest backup of each of the last N days", () => {
    assert.deepEqual(names(kept({ daily: 2 })), ["rems-2026-11-26T15:00:00Z.db.gz", "rems-2026-11-27T15:00:00Z.db.gz"]);
  });

  test("weekly keeps the newest backup of each ISO week (Monday to Sunday)", () => {
    assert.deepEqual(names(kept({ weekly: 2 })), ["rems-2026-11-22T15:00:00Z.db.gz", "rems-2026-11-27T15:00:00Z.db.gz"]);
  });

  test("daily, weekly and monthly together keep the union", () => {
    assert.deepEqual(names(kept({ daily: 1, weekly: 1, monthly: 3 })), [
      "rems-2026-09-30T15:00:00Z.db.gz",
      "rems-2026-10-31T15:00:00Z.db.gz",
      "rems-2026-11-27T15:00:00Z.db.gz",
    ]);
  });

  test("the newest backup is always kept, expired ones come oldest first", () => {
    const expired = expiredBackups([at("2026-11-01T00:00:00Z"), at("2026-11-02T00:00:00Z"), at("2026-11-03T00:00:00Z")], { daily: 0 });
    assert.deepEqual(names(expired), ["rems-2026-11-01T00:00:00Z.db.gz", "rems-2026-11-02T00:00:00Z.db.gz"]);
  });

  test("fewer backups than the count: nothing expires", () => {
    assert.deepEqual(expiredBackups(twiceDaily.slice(0, 2), 5), []);
  });
});
