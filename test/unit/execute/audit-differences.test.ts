/**
 * Issue 15: an audit tells drift from pending per difference, and the report counts what the recap counts. Runs the
 * real CLI on this machine (a local host in a temporary directory): converge, edit the files by hand, change the
 * playbook's variables, audit with --check --diff --report.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { recordFile } from "../../../engine/execute/run-record.js";
import type { TaskResultEvent } from "../../../engine/events.js";
import type { ReportModel } from "../../../engine/reporters/report-model.js";
import { runRemsPlay } from "../../helpers/rems-play.js";

const dir = mkdtempSync(join(tmpdir(), "rems-differences-"));
const host = `dri-differences-${process.pid}`;
const numbered = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
// Line 15 is the playbook's variable; a hand edit of line 2 is far enough from it to be a hunk of its own.
writeFileSync(join(dir, "page.j2"), `${numbered.map((l, i) => (i === 14 ? "timeout {{ timeout }}" : l)).join("\n")}\n`);
writeFileSync(
  join(dir, "site.yml"),
  `- hosts: all
  gather_facts: false
  vars: { timeout: 60s, secret: hunter2-never-shown }
  tasks:
    - name: the page
      template: { src: ${dir}/page.j2, dest: ${dir}/page.conf }
    - name: the parts
      copy: { content: "part {{ item }}\\n", dest: "${dir}/part-{{ item }}", mode: "0600" }
      loop: [a, b]
      notify: parts changed
    - name: the secret
      copy: { content: "key={{ secret }}\\nrotate={{ timeout }}\\n", dest: ${dir}/secret, mode: "0600" }
      no_log: true
  handlers:
    - name: parts changed
      file: { path: ${dir}/parts.stamp, state: touch }
`,
);
writeFileSync(join(dir, "inventory.ini"), `${host} ansible_connection=local\n`);

after(() => {
  rmSync(recordFile(`site.${host}`), { force: true });
  rmSync(dir, { recursive: true, force: true });
});

const audit = async (report: string, ...extra: string[]) => {
  const run = await runRemsPlay([join(dir, "site.yml"), "-i", join(dir, "inventory.ini"), "--check", "--diff", "--report", join(dir, report), ...extra]);
  const model = JSON.parse(readFileSync(join(dir, report), "utf8")) as ReportModel;
  return { run, model };
};
const result = (results: readonly TaskResultEvent[], task: string, item?: string): TaskResultEvent => {
  const found = results.find((r) => r.task === task && r.item === item);
  assert.ok(found, `no result of ${task}`);
  return found;
};

describe("an audit's differences", () => {
  test("a hand edit and a playbook change in one file are one drift and one pending hunk, counted alike by the recap and the report", async () => {
    const converge = await runRemsPlay([join(dir, "site.yml"), "-i", join(dir, "inventory.ini")]);
    assert.equal(converge.exitCode, 0, converge.stderr);
    const record = readFileSync(recordFile(`site.${host}`), "utf8");
    assert.doesNotMatch(record, /hunter2|line 15|part a/, "the record keeps hashes of lines, never their text");

    const page = join(dir, "page.conf");
    writeFileSync(page, readFileSync(page, "utf8").replace("line 2\n", "line 2 edited by hand\n"));
    writeFileSync(join(dir, "part-a"), "part a, edited\n");
    chmodSync(join(dir, "part-b"), 0o644);
    writeFileSync(join(dir, "secret"), "key=hunter2-never-shown\nrotate=60s\nadded by hand\n");
    const { run, model } = await audit("audit.json", "-e", "timeout=90s");
    assert.equal(run.exitCode, 0, run.stderr);

    const pageResult = result(run.results, "the page");
    assert.deepEqual(pageResult.differences, { drift: 1, pending: 1 });
    assert.deepEqual(pageResult.diffs?.map((d) => d.hunks), [["drift", "pending"]]);
    assert.equal(pageResult.drift, "drift");
    assert.deepEqual(result(run.results, "the parts", "a").differences, { drift: 1, pending: 0 });
    // An attribute edited by hand is a difference too.
    const partB = result(run.results, "the parts", "b");
    assert.deepEqual([partB.differences, partB.diffs?.map((d) => [d.path, d.hunks])], [{ drift: 1, pending: 0 }, [[`${dir}/part-b (attributes)`, ["drift"]]]]);
    // A no_log file's hunks are counted, and not shown.
    const secret = result(run.results, "the secret");
    assert.deepEqual([secret.differences, secret.diffs], [{ drift: 1, pending: 1 }, []]);
    assert.doesNotMatch(JSON.stringify(run.events), /hunter2|added by hand/);

    // The recap counts tasks once (the loop, the handler too) and differences each; the report says the same.
    const recap = run.recap[host];
    assert.ok(recap);
    assert.deepEqual([recap.changed, recap.drift, recap.pending], [4, 4, 2]);
    const [reported] = model.hosts;
    assert.deepEqual(reported?.counts, recap);
    assert.deepEqual(model.totals.counts, recap);
    assert.deepEqual(
      reported.tasks.filter((t) => t.differences !== undefined).map((t) => [t.task, t.item, t.differences]),
      [
        ["the page", undefined, { drift: 1, pending: 1 }],
        ["the parts", "a", { drift: 1, pending: 0 }],
        ["the parts", "b", { drift: 1, pending: 0 }],
        ["the secret", undefined, { drift: 1, pending: 1 }],
      ],
    );
  });

  test("a line edited by hand that the playbook changes too is one hunk, both drift and pending", async () => {
    const page = join(dir, "page.conf");
    writeFileSync(page, readFileSync(page, "utf8").replace("timeout 60s\n", "timeout 75s\n"));
    const { run, model } = await audit("both.json", "-e", "timeout=90s");
    assert.equal(run.exitCode, 0, run.stderr);
    const pageResult = result(run.results, "the page");
    assert.deepEqual(pageResult.diffs?.map((d) => d.hunks), [["drift", "both"]]);
    const [pageDiff] = pageResult.diffs ?? [];
    assert.match(pageDiff?.before ?? "", /timeout 75s/);
    assert.deepEqual(pageResult.differences, { drift: 2, pending: 1 });
    assert.deepEqual(model.hosts[0]?.counts, run.recap[host]);
  });

  test("a run that finds a file as wanted keeps the lines recorded of it; one that changes it records the new ones", async () => {
    const converge = (...extra: string[]) => runRemsPlay([join(dir, "site.yml"), "-i", join(dir, "inventory.ini"), ...extra]);
    assert.equal((await converge("-e", "timeout=90s")).exitCode, 0);
    const again = await converge("-e", "timeout=90s");
    assert.equal(again.recap[host]?.changed, 0, "the second run changes nothing");
    const page = join(dir, "page.conf");
    writeFileSync(page, readFileSync(page, "utf8").replace("line 3\n", "line 3 edited by hand\n"));
    // Against the lines the change to 90s left (kept through the run that found them in place): a hand edit, and
    // the playbook's new timeout. Had they been dropped, every hunk would be pending (the wanted state moved on).
    const { run } = await audit("kept.json", "-e", "timeout=120s");
    assert.deepEqual(result(run.results, "the page").diffs?.map((d) => d.hunks), [["drift", "pending"]]);
  });
});
