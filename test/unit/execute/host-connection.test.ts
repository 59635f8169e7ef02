/** The host-key policy of a host: the command line wins; an inventory that turns checking off says so. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { hostKeyPolicy } from "../../../engine/execute/host-connection.js";

test("--host-key-checking wins over the inventory; the inventory's false is a warning; strict by default", () => {
  assert.deepEqual(hostKeyPolicy("strict", false), { policy: "strict" });
  assert.deepEqual(hostKeyPolicy("accept-new", undefined), { policy: "accept-new" });
  const off = hostKeyPolicy(undefined, false);
  assert.equal(off.policy, "ignore");
  assert.match(off.warning ?? "", /host key checking is off for this host \(ansible_host_key_checking: false in the inventory\)/);
  assert.deepEqual(hostKeyPolicy(undefined, true), { policy: "strict" });
  assert.deepEqual(hostKeyPolicy(undefined, undefined), { policy: "strict" });
});

test("-e ansible_host_key_checking=false is said on the command line too: it wins, without a warning", () => {
  assert.deepEqual(hostKeyPolicy("strict", false, true), { policy: "ignore" });
});
