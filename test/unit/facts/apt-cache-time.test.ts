import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { aptCacheTimeFact, parseAptCacheTime } from "../../../modules/facts/apt-cache-time.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(aptCacheTimeFact);

test("a host whose cache was never updated has no update time", () => {
  assert.deepEqual(parseAptCacheTime({ stdout: "1795769859\n", code: 0 }), { now: 1795769859, updatedAt: null });
});

test("output without the clock is a FactError", () => {
  assert.throws(() => parseAptCacheTime({ stdout: "", code: 0 }), FactError);
});
