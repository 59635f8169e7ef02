import assert from "node:assert/strict";
import { test } from "node:test";
import { FactError } from "../../../engine/errors.js";
import { parseTimedatectl, timedatectlFact } from "../../../modules/facts/timedatectl.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(timedatectlFact);

test("an answer without the zone or the RTC line is a FactError, not a guess", () => {
  assert.throws(() => parseTimedatectl({ stdout: "Local time: Sun 2026-12-06 09:35:53 UTC\n", code: 0 }), FactError);
  assert.throws(() => parseTimedatectl({ stdout: "Time zone: Etc/UTC (UTC, +0000)\nRTC in local TZ: n/a\n", code: 0 }), FactError);
});

test("older systemd's \"Timezone:\" spelling is read too, as Ansible's pattern reads it", () => {
  assert.deepEqual(parseTimedatectl({ stdout: "  Timezone: America/New_York (EST, -0500)\n  RTC in local TZ: yes\n", code: 0 }), { usable: true, timezone: "America/New_York", rtcLocal: true });
});
