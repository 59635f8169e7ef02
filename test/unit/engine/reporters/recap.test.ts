import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { emptyStats, type TaskResultEvent } from "../../../../engine/events.js";
import { formatElapsed, formatRecap, RecapTally } from "../../../../engine/reporters/recap.js";

describe("formatRecap", () => {
  test("aligns host names and every counter column across hosts", () => {
    const text = formatRecap(
      {
        "web-1.lab": { ...emptyStats(), ok: 112, changed: 3, skipped: 10 },
        db: { ...emptyStats(), ok: 9, failed: 1, rescued: 1 },
        lab3: { ...emptyStats(), unreachable: 1 },
      },
      4230,
    );
    assert.equal(
      text,
      [
        "PLAY RECAP *********************************************************************",
        "db        : ok=9   changed=0 unreachable=0 failed=1 skipped=0  rescued=1 ignored=0 unknown=0",
        "lab3      : ok=0   changed=0 unreachable=1 failed=0 skipped=0  rescued=0 ignored=0 unknown=0",
        "web-1.lab : ok=112 changed=3 unreachable=0 failed=0 skipped=10 rescued=0 ignored=0 unknown=0",
        "elapsed 4.2s",
        "",
      ].join("\n"),
    );
  });

  test("prints the elapsed time even without hosts", () => {
    assert.equal(formatRecap({}, 0).split("\n").slice(1).join("\n"), "elapsed 0.0s\n");
  });
});

describe("formatElapsed", () => {
  test("uses seconds, then minutes, then hours", () => {
    assert.equal(formatElapsed(420), "0.4s");
    assert.equal(formatElapsed(59_949), "59.9s");
    assert.equal(formatElapsed(187_500), "3m 07.5s");
    assert.equal(formatElapsed(3_723_000), "1h 02m 03.0s");
  });
});

describe("RecapTally", () => {
  const result = (fields: Partial<TaskResultEvent>): TaskResultEvent => ({ type: "task_result", host: "lab1", task: "t", status: "ok", durationMs: 0, ...fields });

  test("counts like the engine: changed also as ok, an ignored failure only as ignored", () => {
    const tally = new RecapTally();
    tally.add(result({ status: "changed" }));
    tally.add(result({ task: "u", status: "failed", ignored: true }));
    tally.add(result({ task: "v", status: "unknown" }));
    tally.add(result({ host: "lab2", status: "unreachable" }));
    assert.deepEqual(tally.stats(), {
      lab1: { ...emptyStats(), ok: 1, changed: 1, ignored: 1, unknown: 1 },
      lab2: { ...emptyStats(), unreachable: 1 },
    });
  });

  test("counts a loop once per host, as its most telling item", () => {
    const tally = new RecapTally();
    tally.add(result({ item: "a" }));
    tally.add(result({ host: "lab2", item: "a" }));
    tally.add(result({ item: "b", status: "changed" }));
    tally.add(result({ item: "c" }));
    tally.add(result({ task: "next", item: "a" }));
    assert.deepEqual(tally.stats(), { lab1: { ...emptyStats(), ok: 2, changed: 1 }, lab2: { ...emptyStats(), ok: 1 } });
  });
});
