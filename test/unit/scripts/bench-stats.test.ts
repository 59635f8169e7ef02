import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  describeMachine,
  formatRatio,
  formatSeconds,
  markdownTable,
  median,
  pairsTable,
  ratio,
  scaleTable,
} from "../../../scripts/bench/stats.js";

describe("median", () => {
  test("an odd count gives the middle value, whatever the order", () => {
    assert.equal(median([9, 1, 5]), 5);
  });
  test("an even count gives the mean of the middle two", () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
  test("one sample is its own median", () => {
    assert.equal(median([7]), 7);
  });
  test("no samples is an error, not a zero that would look fast", () => {
    assert.throws(() => median([]), /median of no samples/);
  });
  test("does not reorder the caller's array", () => {
    const values = [3, 1, 2];
    median(values);
    assert.deepEqual(values, [3, 1, 2]);
  });
});

describe("ratio", () => {
  test("is the baseline's time over the candidate's", () => {
    assert.equal(ratio(17_000, 850), 20);
  });
  test("rejects a zero candidate time", () => {
    assert.throws(() => ratio(1000, 0), /cannot take 0 ms/);
  });
});

describe("formatting", () => {
  test("seconds with two decimals, ratios with one", () => {
    assert.equal(formatSeconds(1234), "1.23 s");
    assert.equal(formatRatio(19.96), "20.0×");
  });

  test("a markdown table has a header, a rule and one line per row", () => {
    assert.equal(markdownTable(["a", "b"], [["1", "2"]]), "| a | b |\n| --- | --- |\n| 1 | 2 |");
  });

  test("a row with the wrong number of cells is an error", () => {
    assert.throws(() => markdownTable(["a", "b"], [["1"]]), /1 cells, the header 2/);
  });

  test("the pairs table shows medians, the ansible/rems-play ratio and the rounds", () => {
    const table = pairsTable([{ run: "audit", hosts: 8, remsMs: [1000, 3000, 2000], ansibleMs: [40_000, 38_000, 50_000] }]);
    assert.equal(
      table.split("\n")[2],
      "| audit | 8 | 2.00 s | 40.00 s | 20.0× | 3 |",
    );
  });

  test("the scale table gives each count's factor over the smallest and a dash where nothing was measured", () => {
    const table = scaleTable([{ run: "audit", byHosts: new Map([[1, 1000], [8, 1500]]) }], [1, 8, 32]);
    assert.equal(table.split("\n")[0], "| rems-play run | 1 host | 8 hosts | 32 hosts |");
    assert.equal(table.split("\n")[2], "| audit | 1.00 s | 1.50 s (1.5×) | – |");
  });
});

describe("describeMachine", () => {
  test("names the CPU model, the CPU count and the memory", () => {
    const cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n";
    const meminfo = "MemTotal:       24683520 kB\nMemFree:        1 kB\n";
    assert.equal(describeMachine(cpuinfo, meminfo, 2), "2 × AMD EPYC 7B13, 23.5 GiB RAM");
  });
  test("says unknown rather than guessing", () => {
    assert.equal(describeMachine("", "", 1), "1 × unknown CPU, unknown memory");
  });
});
