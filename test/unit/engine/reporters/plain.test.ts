import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { RunEvent, TaskResultEvent } from "../../../../engine/events.js";
import { createReporter } from "../../../../engine/reporters/create-reporter.js";
import { details, statusLine } from "../../../../engine/reporters/lines.js";
import { PlainReporter } from "../../../../engine/reporters/plain.js";
import { assertGolden, CapturedStream } from "../../../helpers/golden.js";
import { recordedRun } from "./events.js";

async function render(events: readonly RunEvent[], verbosity: number, diff: boolean): Promise<string> {
  const out = new CapturedStream();
  const err = new CapturedStream();
  const reporter = new PlainReporter({ verbosity, diff, out, err });
  for (const e of events) reporter.onEvent(e);
  await reporter.close();
  assert.equal(err.text, "");
  return out.text;
}

function result(fields: Partial<TaskResultEvent>): TaskResultEvent {
  return { type: "task_result", host: "lab1", task: "t", status: "ok", durationMs: 1, ...fields };
}

describe("plain reporter", () => {
  test("renders a recorded run like Ansible's default output", async () => {
    assertGolden("test/golden/reporters/plain.txt", await render(recordedRun(), 0, false));
  });

  test("with -v says why tasks were ok or skipped", async () => {
    const text = await render(recordedRun(), 1, false);
    assertGolden("test/golden/reporters/plain-v.txt", text);
    assert.match(text, /^skipped: \[lab1\] \(when: rems_site_enabled\)$/m);
  });

  test("with -vv --diff shows commands, task paths and diffs", async () => {
    const text = await render(recordedRun(), 2, true);
    assertGolden("test/golden/reporters/plain-vv-diff.txt", text);
    assert.match(text, /^\+\+\+ \/opt\/rems\/app\.py \(after\)$/m);
    assert.match(text, /^ {4}\$ systemctl restart rems\.service$/m);
  });

  test("with --diff alone shows diffs but not commands", async () => {
    const text = await render(recordedRun(), 0, true);
    assertGolden("test/golden/reporters/plain-diff.txt", text);
    assert.doesNotMatch(text, /\$ systemctl/);
  });

  test("never writes an escape code, even when an event carries one", async () => {
    const events: RunEvent[] = [
      { type: "task_start", name: "build", handler: false },
      result({ task: "build", status: "failed", error: { code: "REMS_COMMAND_FAILED", message: "exit 1\n\u001b[31merror:\u001b[0m bad\u0007 \r" } }),
    ];
    const text = await render([...recordedRun(), ...events], 3, true);
    const controls = Array.from(text, (c) => c.charCodeAt(0)).filter((code) => (code < 32 && code !== 10 && code !== 9) || code === 127);
    assert.deepEqual(controls, []);
    assert.match(text, /^ {4}error: bad\\x07 \\x0d$/m);
  });

  test("prints a recap from its own count when the run ends without one", async () => {
    const events: RunEvent[] = [
      { type: "play_start", name: "p", hosts: ["lab1", "lab2"] },
      { type: "task_start", name: "t", handler: false },
      result({ status: "changed", summary: "install nginx" }),
      result({ host: "lab2", status: "failed", ignored: true, error: { code: "REMS_MODULE", message: "no" } }),
      result({ host: "lab2", status: "skipped" }),
    ];
    const text = await render(events, 0, false);
    assert.match(text, /^lab1 : ok=1 changed=1 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0 unknown=0$/m);
    assert.match(text, /^lab2 : ok=0 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=1 unknown=0$/m);
    assert.match(text, /^elapsed \d+\.\ds$/m);
  });

  test("repeats the task header for a result of another task than the last header", async () => {
    const text = await render(
      [
        { type: "task_start", name: "a", handler: false },
        { type: "task_start", name: "b", handler: false },
        result({ task: "a" }),
        result({ task: "b" }),
      ],
      0,
      false,
    );
    assert.deepEqual(text.split("\n").filter((l) => l.startsWith("TASK") || l.startsWith("ok")).map((l) => l.slice(0, 9)), [
      "TASK [a] ",
      "TASK [b] ",
      "TASK [a] ",
      "ok: [lab1",
      "TASK [b] ",
      "ok: [lab1",
    ]);
  });

  test("a tty reporter on a stream that is not a terminal writes plain lines", async () => {
    const out = new CapturedStream();
    const reporter = await createReporter("tty", { verbosity: 0, diff: false, out, err: new CapturedStream() });
    for (const e of recordedRun()) reporter.onEvent(e);
    await reporter.close();
    assert.equal(out.text, await render(recordedRun(), 0, false));
  });
});

describe("statusLine", () => {
  test("puts the loop item before what changed", () => {
    assert.equal(statusLine(result({ status: "changed", item: "nginx", summary: "install nginx" }), { verbosity: 0, diff: false }), "changed: [lab1] => (item=nginx) install nginx");
  });

  test("marks an ignored failure", () => {
    const line = statusLine(result({ status: "failed", ignored: true, error: { code: "REMS_MODULE", message: "no such unit" } }), { verbosity: 0, diff: false });
    assert.equal(line, "failed (ignored): [lab1] REMS_MODULE: no such unit");
  });

  test("says how many of a change's differences are drift and how many pending", () => {
    const both = result({ status: "changed", drift: "drift", differences: { drift: 1, pending: 1 }, summary: "write /etc/nginx/sites-available/rems" });
    assert.equal(statusLine(both, { verbosity: 0, diff: false }), "changed: [lab1] (1 drift, 1 pending) write /etc/nginx/sites-available/rems");
    const pending = result({ status: "changed", drift: "pending", differences: { drift: 0, pending: 2 }, item: "nginx", summary: "install nginx" });
    assert.equal(statusLine(pending, { verbosity: 0, diff: false }), "changed: [lab1] => (item=nginx) (2 pending) install nginx");
    // An event of an older rems-play: a verdict, no counts.
    assert.equal(statusLine(result({ status: "changed", drift: "drift" }), { verbosity: 0, diff: false }), "changed: [lab1] (1 drift)");
  });

  test("marks each hunk of an audited diff drift, pending, or both", () => {
    const e = result({
      status: "changed",
      drift: "drift",
      differences: { drift: 1, pending: 1 },
      diffs: [{ path: "/f", before: "a\nhand\nb\nc\nd\ne\nf\ng\nh\nold\n", after: "a\nb\nc\nd\ne\nf\ng\nh\nnew\n", hunks: ["drift", "pending"] }],
    });
    const hunks = details(e, { verbosity: 0, diff: true }).filter((d) => d.line.startsWith("@@"));
    assert.deepEqual(hunks.map((d) => d.line), ["@@ -1,5 +1,4 @@ drift", "@@ -7,4 +6,4 @@ pending"]);
  });

  test("shows the reason of an ok task only with -v", () => {
    const ok = result({ reason: "package nginx is installed" });
    assert.equal(statusLine(ok, { verbosity: 0, diff: false }), "ok: [lab1]");
    assert.equal(statusLine(ok, { verbosity: 1, diff: false }), "ok: [lab1] package nginx is installed");
  });

  test("debug var=x shows { \"x\": value } as Ansible does, not under msg (issue 14)", async () => {
    const text = await render([result({ debugVar: { "result.stdout": "hello" } })], 0, false);
    assert.ok(text.includes('ok: [lab1] => {\n    "result.stdout": "hello"\n}\n'), text);
    assert.ok(!text.includes('"msg"'), text);
  });

  test("a delegated result names the host it ran on, as Ansible's [web1 -> db1] (issue 14)", () => {
    assert.equal(statusLine(result({ status: "changed", delegatedTo: "db1" }), { verbosity: 0, diff: false }), "changed: [lab1 -> db1]");
  });
});
