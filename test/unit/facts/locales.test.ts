import assert from "node:assert/strict";
import { test } from "node:test";
import { FactError } from "../../../engine/errors.js";
import { localesFact, parseLocales } from "../../../modules/facts/locales.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(localesFact);

test("output without the layout line is a FactError", () => {
  assert.throws(() => parseLocales({ stdout: "C\nPOSIX\n", code: 0 }), FactError);
  assert.throws(() => parseLocales({ stdout: "debian\n", code: 127 }), FactError);
});
