import assert from "node:assert/strict";
import { test } from "node:test";
import { FactError } from "../../../engine/errors.js";
import { aptKeysFact, keyIds, parseAptKeys } from "../../../modules/facts/apt-keys.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(aptKeysFact);

test("expired keys are not counted, subkeys are, and gpg's colon lines are read too", () => {
  const text = [
    "pub   rsa4096/0E98404D386FA1D9 2021-01-17 [SC] [expires: 2029-01-15]",
    "sub   rsa4096/1111222233334444 2021-01-17 [S]",
    "pub   rsa2048/AAAABBBBCCCCDDDD 2015-01-01 [SC] [expired: 2020-01-01]",
    "pub:-:255:22:1EAAE63FF34D2A9F:1796558525:::u:::scSC:::::ed25519:::0:",
    "uid           [ unknown] Debian Archive Automatic Signing Key",
  ].join("\n");
  assert.deepEqual(keyIds(text), ["0E98404D386FA1D9", "1111222233334444", "1EAAE63FF34D2A9F"]);
});

test("a host without gpg says so instead of failing the probe", () => {
  assert.deepEqual(parseAptKeys({ stdout: "missing gpg\n", code: 0 }), { missing: "gpg" });
  assert.throws(() => parseAptKeys({ stdout: "", code: 2 }), FactError);
});
