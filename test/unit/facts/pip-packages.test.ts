import assert from "node:assert/strict";
import { test } from "node:test";
import { FactError } from "../../../engine/errors.js";
import { parsePipPackages, pipPackagesFact } from "../../../modules/facts/pip-packages.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(pipPackagesFact);

test("a virtualenv without pip says so; a failing pip list is a FactError", () => {
  assert.deepEqual(parsePipPackages({ stdout: "nopip\n", code: 0 }), { state: "nopip" });
  assert.throws(() => parsePipPackages({ stdout: "ok\n", code: 1 }), FactError);
});
