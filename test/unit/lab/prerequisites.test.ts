import { test } from "node:test";
import assert from "node:assert/strict";
import { missingPackages } from "../../../lab/prerequisites.js";
import { checkLabName } from "../../../lab/paths.js";
import { LabError } from "../../../lab/lab-error.js";

void test("missing commands map to their Debian packages, each package named once", () => {
  const present = new Set(["debootstrap", "iptables", "ip", "mount", "umount", "useradd", "openssl"]);
  assert.deepEqual(missingPackages((command) => present.has(command)), ["systemd-container", "openssh-client"]);
  assert.deepEqual(missingPackages(() => true), []);
});

void test("lab names are checked before they become paths and namespace names", () => {
  assert.equal(checkLabName("e2e-engine"), "e2e-engine");
  for (const bad of ["", "../x", "a.b", "Upper", "a b"]) assert.throws(() => checkLabName(bad), LabError);
});
