import assert from "node:assert/strict";
import { test } from "node:test";
import { FactError } from "../../../engine/errors.js";
import { gpgKeyIdFact, parseGpgKeyId } from "../../../modules/facts/gpg-key-id.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(gpgKeyIdFact);

test("a key file with no public key has no id; other output is a FactError", () => {
  assert.deepEqual(parseGpgKeyId({ stdout: "keys\n", code: 0 }), { id: null });
  assert.throws(() => parseGpgKeyId({ stdout: "", code: 1 }), FactError);
});
