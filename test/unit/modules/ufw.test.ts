import { test } from "node:test";
import assert from "node:assert/strict";
import type { UfwRule } from "../../../modules/facts/ufw-status.js";
import ufw from "../../../modules/ufw.js";
import { admitsSsh, describeRule, sameMatch } from "../../../modules/shared/ufw-rules.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(ufw);

const rule = (fields: Partial<UfwRule>): UfwRule => ({
  action: "allow",
  log: "",
  route: false,
  direction: "in",
  interfaceIn: "any",
  interfaceOut: "any",
  proto: "any",
  from: "any",
  fromPort: "any",
  to: "any",
  toPort: "any",
  fromApp: "",
  toApp: "",
  comment: "",
  ipv6: false,
  ...fields,
});

test("SSH is admitted by a port, a range, a list, any port, OpenSSH or limit; not by a source-restricted, outgoing or udp rule", () => {
  for (const admitting of [rule({ toPort: "22", proto: "tcp" }), rule({ toPort: "20:30" }), rule({ toPort: "80,22" }), rule({}), rule({ toApp: "OpenSSH", toPort: "22", proto: "tcp" }), rule({ action: "limit", toPort: "22", proto: "tcp" })]) {
    assert.equal(admitsSsh([admitting], 22), true, describeRule(admitting));
  }
  for (const other of [rule({ toPort: "22", proto: "udp" }), rule({ toPort: "22", direction: "out" }), rule({ toPort: "22", action: "deny" }), rule({ toPort: "2222" }), rule({ toPort: "22", route: true })]) {
    assert.equal(admitsSsh([other], 22), false, describeRule(other));
  }
});

test("rules match on traffic, not on action, comment or address family", () => {
  assert.equal(sameMatch(rule({ toPort: "22", action: "deny", comment: "x", ipv6: true }), rule({ toPort: "22" })), true);
  assert.equal(sameMatch(rule({ toPort: "22", proto: "tcp" }), rule({ toPort: "22" })), false);
  assert.equal(sameMatch(rule({ toPort: "22", interfaceIn: "eth0" }), rule({ toPort: "22" })), false);
});
