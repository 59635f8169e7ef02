import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { crontabFact, parseCrontab } from "../../../modules/facts/crontab.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(crontabFact);

test("a crontab that cannot be read (unknown user) is a FactError, not an empty crontab", () => {
  assert.throws(() => parseCrontab({ stdout: "", code: 1 }, { user: "nosuchuser" }), FactError);
});

test("crontab text is kept byte for byte, trailing blank lines included", () => {
  assert.deepEqual(parseCrontab({ stdout: "MAILTO=x\n\n\n", code: 0 }, { user: "root" }), { exists: true, text: "MAILTO=x\n\n\n" });
});
