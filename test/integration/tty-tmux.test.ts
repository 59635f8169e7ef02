/**
 * Issue 19's terminal view, in a real terminal: rems-play runs in an 80-column tmux pane and the test reads the
 * screen as a person would. Every line the terminal shows fits its 80 columns, while the run goes and after it;
 * every host's result of every task is on screen under that task's header (checked against the run's own JSON
 * report); the final screen is the recap, with nothing of the live area left.
 *
 * A 2-host deploy of the site (playbooks/site.yml) on lab hosts, then an audit of them after an edit by hand; an
 * 8-host deploy on local hosts (ansible_connection=local) with a playbook of a deploy's shape, hosts at different
 * paces.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { quote } from "../../engine/command.js";
import type { TaskStatus } from "../../engine/events.js";
import { STATUS_WEIGHT } from "../../engine/reporters/recap.js";
import type { ReportModel } from "../../engine/reporters/report-model.js";
import { visibleWidth } from "../../engine/reporters/style.js";
import { available, bootLab } from "../helpers/lab.js";
import { remsPlayBin, repoRoot } from "../helpers/rems-play.js";
import { TmuxPane, tmuxUnavailableReason } from "../helpers/tmux.js";

const SIZE = { columns: 80, rows: 50 };

interface PaneRun {
  status: number;
  /** Every line the run left, scrollback included. */
  all: string[];
  /** The screen when the run had ended. */
  final: string[];
  /** The screen as it was every quarter second while the run went. */
  snapshots: string[][];
  report: ReportModel;
}

function tmuxAvailable(t: TestContext): boolean {
  return available(t, tmuxUnavailableReason(), "the terminal test");
}

/** Runs rems-play ARGS in an 80x50 pane, with a JSON report of the run to check the screen against. */
async function runInPane(args: readonly string[], timeoutMs: number): Promise<PaneRun> {
  const reportPath = join(mkdtempSync(join(tmpdir(), "rems-tty-")), "report.json");
  // The exit status is written by the shell: tmux 3.3a leaves #{pane_dead_status} empty for this command.
  const statusPath = join(dirname(reportPath), "status");
  const command = `${[process.execPath, remsPlayBin, ...args, "--report", reportPath].map(quote).join(" ")}; echo $? > ${quote(statusPath)}`;
  const pane = new TmuxPane(command, SIZE, repoRoot);
  try {
    const snapshots: string[][] = [];
    await pane.waitForEnd(timeoutMs, () => snapshots.push(pane.screen()));
    const status = Number(readFileSync(statusPath, "utf8").trim());
    const report = JSON.parse(readFileSync(reportPath, "utf8")) as ReportModel;
    return { status, all: pane.everything(), final: pane.screen(), snapshots, report };
  } finally {
    pane.close();
  }
}

interface Shown {
  task: string;
  status: string;
}

/**
 * Each host's results as the screen shows them: the status word of each host line, under the header above it. A
 * header may wrap (its continuation lines are indented); it ends with its stars.
 */
function resultsOnScreen(lines: readonly string[]): Map<string, Shown[]> {
  const shown = new Map<string, Shown[]>();
  let header: string | undefined;
  let task = "";
  for (const line of lines) {
    if (/^(TASK|RUNNING HANDLER) \[/.test(line)) header = "";
    if (header !== undefined) {
      header += header === "" ? line : ` ${line.trim()}`;
      const end = /^(?:TASK|RUNNING HANDLER) \[(.*)\] \*{3,}$/.exec(header);
      if (end) {
        task = end[1] ?? "";
        header = undefined;
      }
      continue;
    }
    const result = /^\S (ok|changed|skipped|unknown|unreachable|failed(?: \(ignored\))?): \[([^\]]+)\]/.exec(line);
    if (result) shown.set(result[2] ?? "", [...(shown.get(result[2] ?? "") ?? []), { task, status: result[1] ?? "" }]);
  }
  return shown;
}

/** What a host line's status word is for a report entry. */
function statusWord(status: TaskStatus, ignored: boolean | undefined): string {
  return status === "failed" && ignored === true ? "failed (ignored)" : status;
}

/**
 * Every host's result of every task, in order, is on the screen under a header of that task: the header is the
 * task's name as some host reported it (hosts may render a templated name each their own way; the header is the
 * first one's). A loop's items are one line on the screen: the report's items count as their most telling status.
 */
function assertEveryResultUnderItsTask(run: PaneRun): void {
  const onScreen = resultsOnScreen(run.all);
  const names = new Map<string, Set<string>>();
  for (const host of run.report.hosts) for (const t of host.tasks) names.set(t.where ?? t.task, (names.get(t.where ?? t.task) ?? new Set()).add(t.task));
  for (const host of run.report.hosts) {
    const expected: { names: Set<string>; where: string; status: string }[] = [];
    for (const t of host.tasks) {
      const where = t.where ?? t.task;
      const last = expected.at(-1);
      if (t.item !== undefined && last?.where === where) {
        if (STATUS_WEIGHT[t.status] > STATUS_WEIGHT[last.status as TaskStatus]) last.status = statusWord(t.status, t.ignored);
      } else expected.push({ names: names.get(where) ?? new Set([t.task]), where, status: statusWord(t.status, t.ignored) });
    }
    const shown = onScreen.get(host.name) ?? [];
    assert.equal(shown.length, expected.length, `${host.name}: ${shown.length} results on screen, ${expected.length} in the run:\n${run.all.join("\n")}`);
    expected.forEach((want, i) => {
      const got = shown[i];
      assert.ok(got !== undefined && want.names.has(got.task), `${host.name}'s result #${i + 1} is under "${got?.task ?? ""}", not under ${[...want.names].join(" / ")}`);
      assert.equal(got.status, want.status, `${host.name}: ${got.task}`);
    });
  }
}

/** Every line on screen fits 80 columns: the final scrollback, and the screen wherever a snapshot caught the run. */
function assertFits(run: PaneRun): void {
  for (const [i, screen] of [run.all, ...run.snapshots].entries()) {
    for (const line of screen) assert.ok(visibleWidth(line) <= SIZE.columns, `${i === 0 ? "scrollback" : `snapshot ${i}`}: a line of ${visibleWidth(line)} columns: ${line}`);
  }
}

/**
 * Some snapshot caught the live area (its clock line), so the lines it draws were among those checked to fit.
 * Only for runs of many seconds: a busy machine may let a run of one or two go by between two snapshots.
 */
function assertLiveAreaSeen(run: PaneRun): void {
  assert.ok(run.snapshots.some((screen) => screen.some((line) => /^\S \d+(?:\.\d)?s|^\S \d+m \d/.test(line))), "no snapshot caught the live area");
}

/** The final screen ends with the recap, a line per host, and nothing of the live area. */
function assertFinalScreen(run: PaneRun, hosts: readonly string[]): void {
  const end = run.final.slice(run.final.findLastIndex((line) => line !== "") - hosts.length - 1);
  assert.match(end[0] ?? "", /^PLAY RECAP \*+$/, run.final.join("\n"));
  for (const [i, host] of [...hosts].sort().entries()) assert.match(end[i + 1] ?? "", new RegExp(`^${host} +: ok=\\d+ +changed=\\d+`));
  assert.match(end.at(-1) ?? "", /^elapsed \d/);
  const text = run.final.join("\n");
  assert.doesNotMatch(text, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|waiting for a fork|no result/);
}

/** No task's header is printed twice: the hosts ran the same tasks, each at its pace and by its path. */
function assertOneHeaderPerTask(run: PaneRun): void {
  const headers = run.all.filter((line) => /^(TASK|RUNNING HANDLER) \[/.test(line));
  assert.equal(new Set(headers).size, headers.length, headers.join("\n"));
}

describe("the terminal view in an 80-column tmux pane", () => {
  test("a 2-host deploy of the site on lab hosts, then an audit of them with an edit by hand", async (t) => {
    if (!tmuxAvailable(t)) return;
    const lab = await bootLab(t, "tty-deploy", 2);
    if (lab === undefined) return;
    const hosts = lab.hosts.map((h) => h.name);

    const deploy = await runInPane(["playbooks/site.yml", "-i", lab.inventoryPath], 15 * 60_000);
    assert.equal(deploy.status, 0, deploy.all.join("\n"));
    assertFits(deploy);
    assertLiveAreaSeen(deploy);
    assertEveryResultUnderItsTask(deploy);
    assertOneHeaderPerTask(deploy);
    assertFinalScreen(deploy, hosts);

    // Someone edits the vhost on lab1: the audit shows that one drift once, with its mark, and lab2 as ok. The
    // audit takes a second or two, so what is checked is what it left on screen, not what a snapshot caught.
    const edit = await lab.ssh("lab1", "echo '# edited by hand' >> /etc/nginx/sites-available/rems");
    assert.equal(edit.code, 0, edit.stderr);
    const audit = await runInPane(["playbooks/site.yml", "-i", lab.inventoryPath, "--check", "--diff"], 5 * 60_000);
    assert.equal(audit.status, 0, audit.all.join("\n"));
    assertFits(audit);
    assertEveryResultUnderItsTask(audit);
    // lab1 alone runs the reload handler: it comes before the tasks after it, which both hosts share.
    assertOneHeaderPerTask(audit);
    assertFinalScreen(audit, hosts);
    const drift = audit.all.filter((line) => line.includes(" drift) "));
    assert.deepEqual(drift, ["≠ changed: [lab1] (1 drift) write /etc/nginx/sites-available/rems"], audit.all.join("\n"));
    const at = audit.all.indexOf(drift[0] ?? "");
    const block = audit.all.slice(audit.all.findLastIndex((line, i) => i < at && line.startsWith("TASK [")), audit.all.indexOf("", at));
    assert.deepEqual(block.filter((line) => / \[lab\d\]/.test(line) && !line.startsWith("+") && !line.startsWith("-")), [drift[0], "✓ ok: [lab2]"]);
    assert.ok(block.includes("+# edited by hand") || block.includes("-# edited by hand"), block.join("\n"));
  });

  test("an 8-host deploy on local hosts at different paces", async (t) => {
    if (!tmuxAvailable(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "rems-tty-local-"));
    const hosts = Array.from({ length: 8 }, (_, i) => `web${i + 1}`);
    const inventory = join(dir, "inventory.ini");
    writeFileSync(inventory, hosts.map((h) => `${h} ansible_connection=local\n`).join(""));
    const run = await runInPane(["test/fixtures/tty/local-deploy.yml", "-i", inventory, "-e", `base=${dir}`], 5 * 60_000);
    // web3 fails on purpose (exit code 2), the others go through.
    assert.equal(run.status, 2, run.all.join("\n"));
    assertFits(run);
    assertLiveAreaSeen(run);
    assertEveryResultUnderItsTask(run);
    assertOneHeaderPerTask(run);
    assertFinalScreen(run, hosts);
    assert.match(run.all.join("\n"), /^✗ failed: \[web3\] REMS_COMMAND_FAILED/m);
  });
});
