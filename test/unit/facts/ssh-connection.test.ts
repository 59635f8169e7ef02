import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { parseSshConnection, sshConnectionFact } from "../../../modules/facts/ssh-connection.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(sshConnectionFact);

test("an SSH_CONNECTION that is not two addresses and a port is a FactError", () => {
  assert.throws(() => parseSshConnection({ stdout: "somewhere 1 else 22\n", code: 0 }), FactError);
});
