import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { parseReloadNeeded, systemdReloadNeededFact } from "../../../modules/facts/systemd-reload-needed.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(systemdReloadNeededFact);

test("a failed systemctl (no systemd on the host) is a FactError", () => {
  assert.throws(() => parseReloadNeeded({ stdout: "", code: 1 }), FactError);
});
