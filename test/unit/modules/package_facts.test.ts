import { test } from "node:test";
import assert from "node:assert/strict";
import packageFacts, { packagesOf } from "../../../modules/package_facts.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(packageFacts);

void test("packages are listed in name order, installed and held ones alike", () => {
  const packages = packagesOf({ zlib1g: { version: "1", status: "ii " }, apt: { version: "2", status: "hi " }, gone: { version: "3", status: "un " } });
  assert.deepEqual(Object.keys(packages), ["apt", "zlib1g"]);
});
