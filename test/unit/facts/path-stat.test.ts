import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { pathStat } from "../../../modules/facts/path-stat.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(pathStat);

const args = { path: "/x", follow: false, checksum: "sha1", md5: false, mime: false, attributes: false } as const;

test("output it does not understand is a FactError", () => {
  assert.throws(() => pathStat.parse({ stdout: "garbage\n", code: 0 }, args), FactError);
});

test("a failed probe is a FactError", () => {
  assert.throws(() => pathStat.parse({ stdout: "", code: 1 }, args), FactError);
});

test("a user and group without names have no pw_name and gr_name, as in Ansible", () => {
  const stat = pathStat.parse({ stdout: "41ed|4242|4343|40|7|64768|2|1.5|1.5|1.5|0|4096|0|0|UNKNOWN|UNKNOWN\naccess rwx\n", code: 0 }, args);
  assert.equal(stat.exists && stat.isdir, true);
  assert.equal("pw_name" in stat || "gr_name" in stat, false);
});

test("a character device's device_type is its st_rdev", () => {
  const stat = pathStat.parse({ stdout: "21b6|0|0|0|5|5|1|1.5|1.5|1.5|0|4096|1|3|root|root\naccess rw\n", code: 0 }, args);
  assert.equal(stat.exists && stat.device_type, 259);
});
