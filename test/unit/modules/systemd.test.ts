import { test } from "node:test";
import assert from "node:assert/strict";
import systemd, { unitName } from "../../../modules/systemd.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(systemd);

test("a bare name is a service; a name with a unit type is kept", () => {
  assert.equal(unitName("rems"), "rems.service");
  assert.equal(unitName("rpcbind.socket"), "rpcbind.socket");
  assert.equal(unitName("getty@tty1"), "getty@tty1.service");
});
