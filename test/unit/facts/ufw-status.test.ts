import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { normalizeAddress, parseTuple, parseUfwStatus, ufwStatusFact } from "../../../modules/facts/ufw-status.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(ufwStatusFact);

test("a tuple from an older ufw without a direction is an incoming rule", () => {
  const rule = parseTuple("allow tcp 22 0.0.0.0/0 any 0.0.0.0/0", false);
  assert.equal(rule.direction, "in");
  assert.equal(rule.toPort, "22");
});

test("a logged rule keeps its action and says how it logs", () => {
  const rule = parseTuple("allow_log-all tcp 8443 0.0.0.0/0 any 0.0.0.0/0 in", false);
  assert.equal(rule.action, "allow");
  assert.equal(rule.log, "log-all");
});

test("a comment is decoded from ufw's hex form", () => {
  assert.equal(parseTuple("allow tcp 8443 0.0.0.0/0 any 0.0.0.0/0 in comment=72656d73206874747073", false).comment, "rems https");
});

test("an outgoing rule on an interface keeps the interface as its output interface", () => {
  const rule = parseTuple("allow udp 53 0.0.0.0/0 any 0.0.0.0/0 out_eth0", false);
  assert.equal(rule.direction, "out");
  assert.equal(rule.interfaceOut, "eth0");
});

test("single hosts lose their prefix length, networks keep it (also /32 in IPv6)", () => {
  assert.equal(normalizeAddress("192.168.1.5/32"), "192.168.1.5");
  assert.equal(normalizeAddress("10.0.0.0/8"), "10.0.0.0/8");
  assert.equal(normalizeAddress("2001:db8::/32"), "2001:db8::/32");
  assert.equal(normalizeAddress("2001:db8::1/128"), "2001:db8::1");
  assert.equal(normalizeAddress("::/0"), "any");
});

test("a tuple it does not understand is a FactError", () => {
  assert.throws(() => parseTuple("allow tcp 22", false), FactError);
  assert.throws(() => parseTuple("accept tcp 22 0.0.0.0/0 any 0.0.0.0/0 in", false), FactError);
});

test("ufw status run without root (no status line) is a FactError", () => {
  assert.throws(() => parseUfwStatus({ stdout: "==> status\n", code: 0 }), FactError);
});
