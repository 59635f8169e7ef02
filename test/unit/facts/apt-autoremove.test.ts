import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { aptAutoremoveFact, parseAptAutoremove } from "../../../modules/facts/apt-autoremove.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(aptAutoremoveFact);

test("a failed simulation is a FactError", () => {
  assert.throws(() => parseAptAutoremove({ stdout: "", code: 100 }), FactError);
});
