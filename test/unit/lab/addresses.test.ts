import { test } from "node:test";
import assert from "node:assert/strict";
import { allocateIndexes, hostNet, vethIndexes } from "../../../lab/addresses.js";
import { LabError } from "../../../lab/lab-error.js";

void test("a host's /24: machine end .1, host .2, veth named by index", () => {
  assert.deepEqual(hostNet(7), { index: 7, veth: "rlab7", gateway: "10.88.7.1", address: "10.88.7.2", subnet: "10.88.7.0/24" });
});

void test("allocation takes the lowest free indexes, skipping those in use", () => {
  assert.deepEqual(allocateIndexes(new Set([1, 2, 4]), 3), [3, 5, 6]);
  assert.deepEqual(allocateIndexes(new Set(), 2), [1, 2]);
});

void test("allocation fails when the 254 subnets run out", () => {
  const used = new Set(Array.from({ length: 253 }, (_, i) => i + 1));
  assert.deepEqual(allocateIndexes(used, 1), [254]);
  assert.throws(() => allocateIndexes(used, 2), LabError);
});

void test("veth indexes are read from ip -o link output, other links ignored", () => {
  const output = [
    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN",
    "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500",
    "5: rlab3@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500",
    "6: rlab12@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500",
    "7: rlabx: <BROADCAST> mtu 1500",
  ].join("\n");
  assert.deepEqual(vethIndexes(output), [3, 12]);
});
