import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { selectByTags } from "../../../engine/load/tags.js";

describe("selectByTags (Ansible semantics)", () => {
  const cases: [string[], string[], string[], boolean][] = [
    // task tags, --tags, --skip-tags, runs
    [[], [], [], true],
    [["web"], [], [], true],
    [["web"], ["web"], [], true],
    [["db"], ["web"], [], false],
    [[], ["web"], [], false],
    [["always"], ["web"], [], true],
    [["always"], [], ["always"], false],
    [["always"], [], ["all"], true],
    [["always"], [], ["all", "always"], false],
    [["never"], [], [], false],
    [["never", "debug"], ["debug"], [], true],
    [["never", "debug"], ["all"], [], false],
    [["web"], ["tagged"], [], true],
    [[], ["tagged"], [], false],
    [[], ["untagged"], [], true],
    [["web"], ["untagged"], [], false],
    [["web"], [], ["web"], false],
    [["web", "db"], ["db"], ["web"], false],
    [["web"], [], ["tagged"], false],
    [[], [], ["untagged"], false],
    [[], [], ["tagged"], true],
  ];
  for (const [tags, only, skip, runs] of cases) {
    test(`tags [${tags.join(",")}] --tags [${only.join(",")}] --skip-tags [${skip.join(",")}] → ${runs ? "runs" : "skipped"}`, () => {
      assert.equal(selectByTags(tags, only, skip), runs);
    });
  }
});
