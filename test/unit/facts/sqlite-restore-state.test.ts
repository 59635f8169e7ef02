import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { parseRestoreState, restoreStateFact } from "../../../modules/facts/sqlite-restore-state.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(restoreStateFact);

test("output it does not understand is a FactError", () => {
  assert.throws(() => parseRestoreState({ stdout: "absent\nabsent\nabsent\n", code: 0 }), FactError);
});
