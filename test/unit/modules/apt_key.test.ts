/** apt_key: the table of fixtures, then Ansible's parse_key_id. */
import assert from "node:assert/strict";
import { test } from "node:test";
import apt_key, { parseKeyId } from "../../../modules/apt_key.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(apt_key);

test("a key id gives apt-key del's 8 digits, the 16 apt-key lists and the whole id", () => {
  assert.deepEqual(parseKeyId("0x9FED2BCBDCD29CDF762678CBAED4B06F473041FA"), { short: "473041FA", fingerprint: "AED4B06F473041FA", keyId: "9FED2BCBDCD29CDF762678CBAED4B06F473041FA" });
  assert.deepEqual(parseKeyId("aed4b06f473041fa"), { short: "473041FA", fingerprint: "AED4B06F473041FA", keyId: "AED4B06F473041FA" });
  for (const bad of ["ABCDEF", "473041FA0", "xyz12345"]) assert.throws(() => parseKeyId(bad), /Invalid key_id/, bad);
});
