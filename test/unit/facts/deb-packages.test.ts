import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { debPackagesFact, isInstalled, parseDebPackages } from "../../../modules/facts/deb-packages.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(debPackagesFact);

test("a package removed with its config files left is known but not installed", () => {
  const packages = parseDebPackages({ stdout: "cron\t3.0pl1-162\trc \nbash\t5.2.15-2+b13\tii \n", code: 0 });
  assert.equal(isInstalled(packages.cron), false);
  assert.equal(isInstalled(packages.bash), true);
});

test("of a multi-arch package listed twice, the installed architecture wins", () => {
  const packages = parseDebPackages({ stdout: "libc6\t2.36-9\tii \nlibc6\t2.36-9\tun \n", code: 0 });
  assert.deepEqual(packages.libc6, { version: "2.36-9", status: "ii " });
});

test("a line without three fields is a FactError", () => {
  assert.throws(() => parseDebPackages({ stdout: "garbage\n", code: 0 }), FactError);
});

test("a failed dpkg-query is a FactError", () => {
  assert.throws(() => parseDebPackages({ stdout: "", code: 2 }), FactError);
});
