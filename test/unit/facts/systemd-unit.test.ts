import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { parseSystemdUnit, systemdUnitFact } from "../../../modules/facts/systemd-unit.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(systemdUnitFact);

test("output without a property asked for is a FactError", () => {
  assert.throws(() => parseSystemdUnit({ stdout: "LoadState=loaded\n", code: 0 }, { unit: "x.service" }), FactError);
});

test("a failed systemctl (no systemd on the host) is a FactError", () => {
  assert.throws(() => parseSystemdUnit({ stdout: "", code: 1 }, { unit: "x.service" }), FactError);
});

test("a combined systemctl show with fewer blocks than units, or failing, is refused", () => {
  const many = systemdUnitFact.many;
  assert.ok(many);
  const units = [{ unit: "a.service" }, { unit: "b.service" }];
  assert.throws(() => many.split({ stdout: "LoadState=loaded\n", code: 0 }, units), FactError);
  assert.throws(() => many.split({ stdout: "LoadState=loaded\n\nLoadState=loaded\n", code: 1 }, units), FactError);
});
