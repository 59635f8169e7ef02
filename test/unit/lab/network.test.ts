import { test } from "node:test";
import assert from "node:assert/strict";
import { hostNet } from "../../../lab/addresses.js";
import { natRule, taggedRuleDeletions } from "../../../lab/network.js";
import { netnsName, netnsPrefix } from "../../../lab/paths.js";

const rules = [
  "-P POSTROUTING ACCEPT",
  '-A POSTROUTING -s 10.88.1.0/24 ! -d 10.88.0.0/16 ! -o rlab1 -m comment --comment "rems-lab:e2e:lab1" -j MASQUERADE',
  // A lab booted before lab hosts reached each other unmasqueraded: its rule goes too.
  '-A POSTROUTING -s 10.88.3.0/24 ! -o rlab3 -m comment --comment "rems-lab:e2e:lab2" -j MASQUERADE',
  '-A POSTROUTING -s 10.88.2.0/24 ! -o rlab2 -m comment --comment "rems-lab:e2e-2:lab1" -j MASQUERADE',
  "-A POSTROUTING -s 192.168.0.0/16 -j MASQUERADE",
].join("\n");

void test("only the lab's own tagged NAT rules are deleted, with the quotes iptables prints taken off", () => {
  assert.deepEqual(taggedRuleDeletions(rules, "e2e"), [
    ["-D", "POSTROUTING", "-s", "10.88.1.0/24", "!", "-d", "10.88.0.0/16", "!", "-o", "rlab1", "-m", "comment", "--comment", "rems-lab:e2e:lab1", "-j", "MASQUERADE"],
    ["-D", "POSTROUTING", "-s", "10.88.3.0/24", "!", "-o", "rlab3", "-m", "comment", "--comment", "rems-lab:e2e:lab2", "-j", "MASQUERADE"],
  ]);
  assert.deepEqual(taggedRuleDeletions(rules, "other"), []);
});

void test("the rule the lab adds is the rule it finds again", () => {
  const added = natRule("e2e", "lab1", hostNet(1));
  assert.deepEqual(taggedRuleDeletions(rules, "e2e")[0]?.slice(2), added);
});

void test("one lab's namespace prefix never matches another lab whose name extends it", () => {
  assert.equal(netnsName("e2e", "lab1").startsWith(netnsPrefix("e2e")), true);
  assert.equal(netnsName("e2e-2", "lab1").startsWith(netnsPrefix("e2e")), false);
});
