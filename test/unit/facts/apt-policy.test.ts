import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { aptPolicyFact, parseAptPolicy } from "../../../modules/facts/apt-policy.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(aptPolicyFact);

test("the version table does not leak into installed or candidate", () => {
  const policy = parseAptPolicy({ stdout: "nginx:\n  Installed: (none)\n  Candidate: (none)\n  Version table:\n", code: 0 });
  assert.deepEqual(policy, { nginx: { installed: null, candidate: null } });
});

test("a failed apt-cache is a FactError", () => {
  assert.throws(() => parseAptPolicy({ stdout: "", code: 100 }), FactError);
});
