import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createReporter } from "../../../../engine/reporters/create-reporter.js";
import { CapturedStream } from "../../../helpers/golden.js";
import { recordedRun } from "./events.js";

describe("json reporter", () => {
  test("writes exactly one JSON object per event on stdout and nothing else", async () => {
    const out = new CapturedStream();
    const err = new CapturedStream();
    const reporter = await createReporter("json", { verbosity: 3, diff: true, out, err });
    const events = recordedRun();
    for (const e of events) reporter.onEvent(e);
    await reporter.close();
    assert.ok(out.text.endsWith("\n"));
    const lines = out.text.slice(0, -1).split("\n");
    assert.equal(lines.length, events.length);
    assert.deepEqual(lines.map((l) => JSON.parse(l) as unknown), events);
    assert.equal(err.text, "");
  });

  test("prints no recap of its own when the run ends without one", async () => {
    const out = new CapturedStream();
    const reporter = await createReporter("json", { verbosity: 0, diff: false, out, err: new CapturedStream() });
    reporter.onEvent({ type: "play_start", name: "p", hosts: ["lab1"] });
    await reporter.close();
    assert.equal(out.text, '{"type":"play_start","name":"p","hosts":["lab1"]}\n');
  });
});

describe("json reporter with values JSON cannot hold", () => {
  test("writes bigints as strings and replaces a circular event by a warning line", async () => {
    const out = new CapturedStream();
    const reporter = await createReporter("json", { verbosity: 0, diff: false, out, err: new CapturedStream() });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    reporter.onEvent({ type: "task_result", host: "lab1", task: "t", status: "ok", msg: 12n, durationMs: 0 });
    reporter.onEvent({ type: "task_result", host: "lab1", task: "t", status: "ok", msg: circular, durationMs: 0 });
    await reporter.close();
    const [first, second, ...rest] = out.text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(rest, []);
    assert.equal(first?.msg, "12");
    assert.equal(second?.type, "warning");
    assert.match(String(second.message), /^a task_result event could not be written as JSON: /);
  });
});
