import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { parseSystemdLinks, systemdLinksFact } from "../../../modules/facts/systemd-links.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(systemdLinksFact);

test("a disabled unit (exit code 1) is a state without links", () => {
  assert.deepEqual(parseSystemdLinks({ stdout: "disabled\n", code: 1 }, { unit: "x.service" }), { state: "disabled", links: [] });
});

test("systemctl failing (no state, or another exit code) is a FactError", () => {
  assert.throws(() => parseSystemdLinks({ stdout: "", code: 1 }, { unit: "x.service" }), FactError);
  assert.throws(() => parseSystemdLinks({ stdout: "Failed to connect to bus\n", code: 4 }, { unit: "x.service" }), FactError);
});
