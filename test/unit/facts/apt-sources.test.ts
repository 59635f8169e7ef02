import assert from "node:assert/strict";
import { test } from "node:test";
import { FactError } from "../../../engine/errors.js";
import { aptSourcesFact, parseAptSources } from "../../../modules/facts/apt-sources.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(aptSourcesFact);

test("a file without a last newline keeps its text as it is", () => {
  assert.deepEqual(parseAptSources({ stdout: "/etc/apt/sources.list\nZGViIGh0dHA6Ly9tL2RlYmlhbiBib29rd29ybSBtYWlu\n", code: 0 }), [{ path: "/etc/apt/sources.list", content: "deb http://m/debian bookworm main" }]);
});

test("output cut short is a FactError", () => {
  assert.throws(() => parseAptSources({ stdout: "/etc/apt/sources.list\n", code: 0 }), FactError);
});
