import { test } from "node:test";
import assert from "node:assert/strict";
import { FactError } from "../../../engine/errors.js";
import { fileStat } from "../../../modules/facts/file-stat.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(fileStat);

test("output it does not understand is a FactError", () => {
  assert.throws(() => fileStat.parse({ stdout: "garbage\n", code: 0 }, { path: "/x", follow: false }), FactError);
});

test("a failed probe is a FactError", () => {
  assert.throws(() => fileStat.parse({ stdout: "", code: 1 }, { path: "/x", follow: false }), FactError);
});

test("a combined stat whose records do not match its path letters is refused (the paths are probed one by one)", () => {
  const many = fileStat.many;
  assert.ok(many);
  const args = [
    { path: "/a", follow: false },
    { path: "/b", follow: false },
  ];
  const dir = "directory|755|root|root|0|0|40|1\0";
  // /b vanished between the letters and the stat: one stat record short.
  assert.throws(() => many.split({ stdout: `ee\n${dir}`, code: 1 }, args), FactError);
  // /a was replaced by a file between the two looks: its stat says file, its letter says other.
  assert.throws(() => many.split({ stdout: `ea\nregular file|644|root|root|0|0|1|2\0`, code: 0 }, args), FactError);
  assert.throws(() => many.split({ stdout: "", code: 0 }, args), FactError);
  assert.deepEqual(many.split({ stdout: `ea\n${dir}`, code: 0 }, args), [
    { stdout: "directory|755|root|root|0|0|40|1\n", code: 0 },
    { stdout: "absent\n", code: 0 },
  ]);
});
