/** pip: the table of fixtures, then the requirement rules of modules/shared/pip-requirement.ts (PEP 440, Ansible's). */
import assert from "node:assert/strict";
import { test } from "node:test";
import pip from "../../../modules/pip.js";
import { isPresent, parseRequirement, recoverNames, satisfiedBy } from "../../../modules/shared/pip-requirement.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(pip);

test("a version bound given as its own list item joins the name before it, as Ansible's _recover_package_name", () => {
  assert.deepEqual(recoverNames(["django>1.11.1", "<1.11.3", "ipaddress", "simpleproject>1.1.0", "<2.0.0"]), ["django>1.11.1,<1.11.3", "ipaddress", "simpleproject>1.1.0,<2.0.0"]);
  assert.deepEqual(recoverNames(["requests[security,socks]>=2", "six"]), ["requests[security,socks]>=2", "six"]);
});

test("specifiers compare by PEP 440: releases padded, pre-releases before the release, wildcards, compatible releases", () => {
  const table: [string, string, boolean][] = [
    ["x==1.0", "1.0.0", true], ["x==1.0", "1.0.1", false], ["x!=1.0", "1.0.1", true], ["x>=1.10", "1.9", false], ["x>=1.10", "1.10", true],
    ["x<2", "2.0rc1", true], ["x<2", "2.0", false], ["x>2.0", "2.0.post1", true], ["x==1.4.*", "1.4.7", true], ["x==1.4.*", "1.5", false],
    ["x~=1.4.2", "1.4.9", true], ["x~=1.4.2", "1.5.0", false], ["x~=2.2", "2.9", true], ["x>=1.0,<2", "1.5", true], ["x", "0.1", true],
    ["x<1.0", "1.0.dev1", true], ["x===1.0", "1.0", true],
  ];
  for (const [req, version, ok] of table) assert.equal(satisfiedBy(parseRequirement(req), version), ok, `${version} ${req}`);
});

test("a package is present when the freeze list has its canonical name at an allowed version; a URL never is", () => {
  const freeze = ["Flask==2.2.2", "zope.interface==5.5.2", "pkg @ file:///tmp/pkg"];
  assert.equal(isPresent(parseRequirement("flask>=2"), freeze), true);
  assert.equal(isPresent(parseRequirement("Zope_Interface"), freeze), true);
  assert.equal(isPresent(parseRequirement("flask", "2.3"), freeze), false);
  assert.equal(isPresent(parseRequirement("https://example.org/pkg.whl"), freeze), false);
});
