import { test } from "node:test";
import assert from "node:assert/strict";
import type { UfwRule } from "../../../modules/facts/ufw-status.js";
import ufw from "../../../modules/ufw.js";
import { admitsSsh } from "../../../modules/shared/ufw-guard.js";
import { describeRule, sameMatch } from "../../../modules/shared/ufw-rules.js";
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
    assert.equal(admitsSsh([admitting], { port: 22 }), true, describeRule(admitting));
  }
  for (const other of [rule({ toPort: "22", proto: "udp" }), rule({ toPort: "22", direction: "out" }), rule({ toPort: "22", action: "deny" }), rule({ toPort: "2222" }), rule({ toPort: "22", route: true })]) {
    assert.equal(admitsSsh([other], { port: 22 }), false, describeRule(other));
  }
});

test("rules match on traffic, not on action, comment or address family", () => {
  assert.equal(sameMatch(rule({ toPort: "22", action: "deny", comment: "x", ipv6: true }), rule({ toPort: "22" })), true);
  assert.equal(sameMatch(rule({ toPort: "22", proto: "tcp" }), rule({ toPort: "22" })), false);
  assert.equal(sameMatch(rule({ toPort: "22", interfaceIn: "eth0" }), rule({ toPort: "22" })), false);
});

// Issue 16 item 3: the lock-out guard ignored from_ip and interface.
test("ufw lock-out guard counts only an SSH rule that admits the run's connection (from_ip, interface, to_ip, family)", () => {
  const ssh = { port: 22, client: "10.88.1.1", server: "10.88.1.2", interface: "host0" };
  const v6 = { port: 22, client: "2001:db8::5", server: "2001:db8::2", interface: "host0" };
  for (const admitting of [rule({ toPort: "22" }), rule({ toPort: "22", from: "10.88.1.0/24" }), rule({ toPort: "22", from: "10.88.1.1" }), rule({ toPort: "22", interfaceIn: "host0" }), rule({ toPort: "22", to: "10.88.1.2" })]) {
    assert.equal(admitsSsh([admitting], ssh), true, describeRule(admitting));
  }
  for (const other of [rule({ toPort: "22", from: "192.0.2.0/24" }), rule({ toPort: "22", from: "10.88.1.9" }), rule({ toPort: "22", interfaceIn: "lo" }), rule({ toPort: "22", to: "127.0.0.1" }), rule({ toPort: "22", ipv6: true }), rule({ toPort: "22", from: "2001:db8::/32", ipv6: true })]) {
    assert.equal(admitsSsh([other], ssh), false, describeRule(other));
  }
  assert.equal(admitsSsh([rule({ toPort: "22", from: "2001:db8::/32", ipv6: true })], v6), true);
  assert.equal(admitsSsh([rule({ toPort: "22", from: "10.88.1.0/24" })], v6), false);
  // Not knowing the connection, only a rule from anywhere on any interface counts.
  assert.equal(admitsSsh([rule({ toPort: "22", from: "10.88.1.0/24" })], { port: 22 }), false);
  assert.equal(admitsSsh([rule({ toPort: "22", interfaceIn: "host0" })], { port: 22 }), false);
});
