import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ansibleRecap, formatProfile, peakRssKb, remsProfile, remsRecap, runProblem } from "../../../scripts/bench/recap.js";

const stats = (changed: number, failed = 0, unreachable = 0) => ({ ok: 30, changed, unreachable, failed, skipped: 5, rescued: 0, ignored: 0, unknown: 0 });

describe("remsRecap", () => {
  test("sums the recap event of a --json stream over its hosts", () => {
    const lines = [
      JSON.stringify({ type: "play_start", name: "p", hosts: ["lab1", "lab2"] }),
      JSON.stringify({ type: "recap", hosts: { lab1: stats(0), lab2: stats(2, 1) }, elapsedMs: 900 }),
      JSON.stringify({ type: "run_end", exitCode: 2, elapsedMs: 910 }),
      "",
    ].join("\n");
    assert.deepEqual(remsRecap(lines), { hosts: 2, changed: 2, failed: 1, unreachable: 0 });
  });
  test("is undefined when the stream has no recap", () => {
    assert.equal(remsRecap(JSON.stringify({ type: "run_end", exitCode: 4, elapsedMs: 1 }) + "\n"), undefined);
  });
});

describe("ansibleRecap", () => {
  test("sums the PLAY RECAP lines", () => {
    const output = [
      "PLAY RECAP *********************************************************************",
      "lab1                       : ok=40   changed=0    unreachable=0    failed=0    skipped=12   rescued=0    ignored=0",
      "lab2                       : ok=40   changed=3    unreachable=1    failed=0    skipped=12   rescued=0    ignored=0",
    ].join("\n");
    assert.deepEqual(ansibleRecap(output), { hosts: 2, changed: 3, failed: 0, unreachable: 1 });
  });
  test("is undefined without a recap", () => {
    assert.equal(ansibleRecap("ERROR! the role 'common' was not found"), undefined);
  });
});

describe("runProblem", () => {
  const clean = { hosts: 8, changed: 0, failed: 0, unreachable: 0 };
  test("a clean idempotent run may be timed", () => {
    assert.equal(runProblem(0, clean, 8, true), undefined);
  });
  test("a non-zero exit is a problem", () => {
    assert.equal(runProblem(2, clean, 8, true), "exited with code 2");
  });
  test("a missing recap or a missing host is a problem", () => {
    assert.equal(runProblem(0, undefined, 8, true), "printed no recap");
    assert.equal(runProblem(0, { ...clean, hosts: 1 }, 8, true), "recapped 1 hosts, expected 8");
  });
  test("a failed or unreachable host is a problem even with exit 0", () => {
    assert.equal(runProblem(0, { ...clean, unreachable: 1 }, 8, false), "reported failed=0 unreachable=1");
  });
  test("a change is a problem only where the run must be idempotent", () => {
    assert.equal(runProblem(0, { ...clean, changed: 4 }, 8, true), "reported changed=4 on a converged site");
    assert.equal(runProblem(0, { ...clean, changed: 4 }, 8, false), undefined);
  });
});

describe("peakRssKb", () => {
  test("reads the last line /usr/bin/time -f %M wrote", () => {
    assert.equal(peakRssKb("81234\n"), 81234);
    assert.equal(peakRssKb("Command exited with non-zero status 2\n95000\n"), 95000);
  });
  test("is undefined when the file holds no number", () => {
    assert.equal(peakRssKb(""), undefined);
    assert.equal(peakRssKb("Command terminated by signal 9\n"), undefined);
  });
});

describe("remsProfile", () => {
  const stream = [
    JSON.stringify({ type: "host_connected", host: "lab1", durationMs: 120 }),
    JSON.stringify({ type: "task_result", host: "lab1", task: "apt", status: "ok", durationMs: 900 }),
    JSON.stringify({ type: "task_result", host: "lab1", task: "file", status: "ok", item: "/srv", durationMs: 40 }),
    JSON.stringify({ type: "task_result", host: "lab1", task: "template", status: "ok", durationMs: 300 }),
    JSON.stringify({ type: "recap", hosts: { lab1: stats(0) }, elapsedMs: 1500 }),
  ].join("\n");

  test("collects connect times, the task total and the slowest results first", () => {
    assert.deepEqual(remsProfile(stream, 2), {
      elapsedMs: 1500,
      connectMs: [120],
      tasksMs: 1240,
      slowest: [
        { task: "apt", host: "lab1", ms: 900 },
        { task: "template", host: "lab1", ms: 300 },
      ],
    });
  });

  test("names loop items and formats one line per slow result", () => {
    const text = formatProfile("audit", remsProfile(stream, 3));
    assert.match(text, /^audit: elapsed 1500 ms, connect 120 ms, task results 1240 ms in all; slowest:/);
    assert.match(text, /- 40 ms file \(\/srv\) \[lab1\]$/);
  });
});
