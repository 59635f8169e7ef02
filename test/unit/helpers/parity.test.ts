/**
 * The parity harness's mapping of both tools' reports, on real output of test/fixtures/parity/playbook.yml (a
 * skipped and a running include_tasks, two loops, an ignored failure, a handler): ansible.json is
 * ansible-playbook 2.14's json callback output (results trimmed to the fields read), rems-fails.jsonl this
 * branch's rems-play on the same playbook (it fails to load the skipped include's file), rems.jsonl rems-play on
 * the playbook without that include, i.e. what it reports when includes behave.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { RunEvent } from "../../../engine/events.js";
import { parseAnsibleJson } from "../../helpers/ansible-playbook.js";
import { assertSameStatuses, beforeAnsibleFailure, fromAnsible, fromRemsPlay, statusLines } from "../../helpers/parity.js";
import type { ParityRow, ParityRun } from "../../helpers/parity.js";
import { repoRoot } from "../../helpers/rems-play.js";
import type { RemsPlayRun } from "../../helpers/rems-play.js";

const fixture = (name: string): string => readFileSync(join(repoRoot, "test/fixtures/parity", name), "utf8");

function rems(name: string): ParityRun {
  const events = fixture(name).trim().split("\n").map((line) => JSON.parse(line) as RunEvent);
  const recap = events.findLast((e) => e.type === "recap");
  const end = events.findLast((e) => e.type === "run_end");
  const run: RemsPlayRun = {
    exitCode: end?.type === "run_end" ? end.exitCode : -1,
    events,
    results: events.flatMap((e) => (e.type === "task_result" ? [e] : [])),
    recap: recap?.type === "recap" ? recap.hosts : {},
    stdout: "",
    stderr: "",
  };
  return fromRemsPlay(run);
}

const ansible = (): ParityRun => fromAnsible({ exitCode: 0, ...parseAnsibleJson(fixture("ansible.json")), stdout: "", stderr: "", durationMs: 0 });

describe("parity harness", () => {
  test("Ansible's includes are rows of their own, its loops one row per item", () => {
    assert.deepEqual(statusLines(ansible()), [
      "Gathering Facts=ok", "rh include=skipped", "deb include=ok", "deb debug=ok", "deb file=changed",
      "loop[0]=ok", "loop[1]=ok", "loop changed[0]=skipped", "loop changed[1]=changed", "fail ignored=failed", "notify=changed", "h1=ok",
    ]);
    assert.deepEqual(ansible().hosts["lab2"]?.filter((row) => row.include === true).map((row) => row.task), ["rh include", "deb include"]);
    assert.deepEqual(ansible().recap["lab2"], { ok: 9, changed: 4, skipped: 1, failed: 0, unreachable: 0, rescued: 0, ignored: 1 });
  });

  test("rems-play's events per loop item are numbered per task", () => {
    assert.deepEqual(statusLines(rems("rems.jsonl")), [
      "Gathering Facts=ok", "deb debug=ok", "deb file=changed",
      "loop[0]=ok", "loop[1]=ok", "loop changed[0]=skipped", "loop changed[1]=changed", "fail ignored=failed", "notify=changed", "h1=ok",
    ]);
  });

  test("an include rems-play does not report is not a difference; the tasks around it are compared", () => {
    assertSameStatuses(rems("rems.jsonl"), ansible());
  });

  test("a difference fails with the side-by-side table", () => {
    assert.throws(() => assertSameStatuses(rems("rems-fails.jsonl"), ansible()), (error: Error) => {
      const lines = error.message.split("\n").map((line) => line.replace(/ +/g, " ").trimEnd());
      assert.ok(lines.includes("✗ rh include failed skipped (include)"), error.message);
      assert.ok(lines.includes(" deb include - ok (include), not reported by rems-play"), error.message);
      assert.ok(lines.includes("✗ loop [item 0: - | 1] - ok"), error.message);
      assert.ok(lines.includes("✗ exit code 2 (failure) 0 (success)"), error.message);
      assert.ok(lines.some((line) => line.includes("rems-play: setup-RedHat.yml:2:3: task \"yum it\": unknown module or action 'yum'")), error.message);
      return true;
    });
  });

  test("a status that differs on a matched row, and the recap's ignored count, are differences", () => {
    const base = rems("rems.jsonl");
    const lab1 = base.hosts["lab1"] ?? [];
    const changed: ParityRun = { ...base, hosts: { lab1: lab1.map((row) => (row.task === "deb debug" ? { ...row, status: "changed" } : row)) } };
    assert.throws(() => assertSameStatuses(changed, ansible()), /✗ deb debug +changed +ok/);
    const recap = base.recap["lab1"];
    assert.ok(recap);
    assert.throws(() => assertSameStatuses({ ...base, recap: { lab1: { ...recap, ignored: 0 } } }, ansible()), /✗ recap +failed=0 unreachable=0 rescued=0 ignored=0 +failed=0 unreachable=0 rescued=0 ignored=1/);
  });

  test("a no_log loop, one censored row in Ansible's report, is compared with rems-play's items folded as Ansible folds them", () => {
    const run = (tool: ParityRun["tool"], rows: ParityRow[]): ParityRun => ({ tool, exitCode: 0, hosts: { [tool]: rows }, recap: {}, stderr: "" });
    const items = (...statuses: ParityRow["status"][]): ParityRow[] => statuses.map((status, item) => ({ task: "users", status, item }));
    const censored = (status: ParityRow["status"]): ParityRun => run("ansible-playbook", [{ task: "users", status, censored: true }, { task: "after", status: "ok" }]);
    const table: [ParityRow["status"][], ParityRow["status"]][] = [
      [["ok", "changed"], "changed"], [["ok", "ok"], "ok"], [["skipped", "skipped"], "skipped"], [["skipped", "ok"], "ok"], [["changed", "failed"], "failed"],
    ];
    for (const [statuses, folded] of table) {
      assertSameStatuses(run("rems-play", [...items(...statuses), { task: "after", status: "ok" }]), censored(folded));
      assert.throws(() => assertSameStatuses(run("rems-play", [...items(...statuses), { task: "after", status: "ok" }]), censored(folded === "ok" ? "changed" : "ok")), /✗ users/);
    }
    // Items of a loop Ansible reports item by item are not folded.
    assert.throws(() => assertSameStatuses(run("rems-play", items("ok", "ok")), run("ansible-playbook", [{ task: "users", status: "ok" }])), /✗ users/);
  });

  test("a --check compared up to Ansible's first failure: the rows before it on both sides, no recap", () => {
    const base = ansible();
    const stopped: ParityRun = {
      ...base,
      exitCode: 2,
      hosts: { lab2: (base.hosts["lab2"] ?? []).map((row) => (row.task === "deb file" ? { ...row, status: "failed", message: "Could not find the requested service" } : row)) },
    };
    assert.throws(() => assertSameStatuses(rems("rems.jsonl"), stopped));
    const compared = beforeAnsibleFailure(rems("rems.jsonl"), stopped);
    assert.deepEqual(compared.stoppedAt, ["lab2: deb file: Could not find the requested service"]);
    assert.deepEqual(statusLines(compared.ansible), ["Gathering Facts=ok", "rh include=skipped", "deb include=ok", "deb debug=ok"]);
    assert.deepEqual(statusLines(compared.rems), ["Gathering Facts=ok", "deb debug=ok"]);
    assertSameStatuses(compared.rems, compared.ansible);
    // A difference before the failure is still one.
    const lab1 = rems("rems.jsonl").hosts["lab1"] ?? [];
    const differs: ParityRun = { ...rems("rems.jsonl"), hosts: { lab1: lab1.map((row) => (row.task === "deb debug" ? { ...row, status: "changed" } : row)) } };
    const both = beforeAnsibleFailure(differs, stopped);
    assert.throws(() => assertSameStatuses(both.rems, both.ansible), /✗ deb debug +changed +ok/);
  });

  test("ansible-playbook that printed no JSON (a parse error) has no hosts", () => {
    assert.deepEqual(parseAnsibleJson(""), { tasks: [], results: {}, stats: {} });
  });
});
