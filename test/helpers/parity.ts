/**
 * "Ansible is the oracle": the same playbook under rems-play and under ansible-playbook on twin lab hosts, each
 * tool's output mapped to one shape, and an assertion that prints both side by side when they differ.
 *
 * The normalised shape, per host: the task results in run order as `{ task, status }` rows, plus the recap.
 * How each tool's reports map to rows (what was found with ansible-core 2.14 and the json callback):
 *
 * - Loops: Ansible reports one result with `results` (one per item), rems-play one `task_result` event per item.
 *   Both become one row per item, numbered from 0 (`item`); the items' labels are shown but not compared (Ansible's
 *   is the item itself, rems-play's a string). A loop Ansible reports without `results` (an empty list, or a loop
 *   expression that failed) is one row without item.
 * - no_log loops: Ansible censors the result of a no_log task, its `results` too, keeping `changed` (and the json
 *   callback adds `failed` or `skipped`), so such a loop is one row without items. rems-play's item rows of that
 *   task are then folded into one row with the status Ansible gives a loop: failed when an item failed, skipped
 *   when all were, changed when one changed, else ok.
 * - Gathering Facts: both tools report it as a task named "Gathering Facts" (ok); it is compared like any task.
 * - Includes: Ansible reports the include_tasks / include_role task itself as a result of its own:
 *     when false:  `{action: "include_tasks", skipped: true, skip_reason: "Conditional result was False",
 *                    changed: false}`, counted in the recap's skipped; the file is never read;
 *     when true:   `{action: "include_tasks", include: "setup-Debian.yml", include_args: {}, changed: false}`,
 *                  counted in the recap's ok, followed by the included tasks' own results (named by those tasks).
 *   rems-play reports no result for an include that ran or was skipped, only the included tasks (and a failure
 *   of the include itself, e.g. a file it cannot load, under the include's name). So an Ansible include row is
 *   optional: compared when rems-play reports a row of that name at that place, otherwise shown as "not
 *   reported" and not counted as a difference. What the include did is compared through the included tasks.
 * - Handlers: neither tool's result marks a handler; a handler that ran is a row under its name ("role : name"
 *   for a role's) where it ran, after the tasks (or at a flush). One that was not notified has no row in either.
 * - ignore_errors: the task's row is `failed` in both (Ansible's json callback drops the ignore flag, rems-play's
 *   event has `ignored: true`, shown in the table); that it was ignored is compared through the recap's
 *   `ignored`. A rescued failure is `failed` too, compared through the recap's `rescued`.
 * - Recap: `failed`, `unreachable`, `rescued` and `ignored` are compared, the counts that say how each failure
 *   ended. ok/changed/skipped are not: Ansible also counts an include (ok or skipped) and an ignored failure (ok,
 *   and changed when the result says so), which the rows already compare task by task.
 * - rems-play's `unknown` (a check-mode result it cannot predict) has no Ansible counterpart: always a difference.
 * - Exit code: compared by class only (0 or not): the tools number their failures differently.
 */
import assert, { AssertionError } from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import type { TaskStatus } from "../../engine/events.js";
import type { TestContext } from "node:test";
import { ansibleAvailable, runAnsiblePlaybook } from "./ansible-playbook.js";
import type { AnsiblePlaybookRun, AnsibleResult } from "./ansible-playbook.js";
import type { Lab, LabHost, SharedLab } from "./lab.js";
import { runRemsPlay } from "./rems-play.js";
import type { RemsPlayRun } from "./rems-play.js";

export type Tool = "rems-play" | "ansible-playbook";

export interface ParityRow {
  task: string;
  status: TaskStatus;
  /** The item's place in a loop, from 0. */
  item?: number;
  /** The tool's label of the item (shown, not compared). */
  label?: string;
  /** Ansible's result of an include task itself: optional in the comparison (see above). */
  include?: boolean;
  /** Ansible: the result was censored (no_log), so a loop's items are not reported. */
  censored?: boolean;
  /** rems-play: the failure was ignored (ignore_errors). */
  ignored?: boolean;
  /** A failure's or skip's message, shown in the table. */
  message?: string;
}

export interface ParityRecap {
  ok: number;
  changed: number;
  skipped: number;
  failed: number;
  unreachable: number;
  rescued: number;
  ignored: number;
}

export interface ParityRun {
  tool: Tool;
  exitCode: number;
  hosts: Readonly<Record<string, ParityRow[]>>;
  recap: Readonly<Record<string, ParityRecap>>;
  /** The tool's stderr: shown with the table when it exited non-zero (an error before any task says why there). */
  stderr: string;
}

/** The recap counts assertSameStatuses compares. */
const COMPARED_RECAP = ["failed", "unreachable", "rescued", "ignored"] as const;

function firstLine(text: unknown): string | undefined {
  if (text === undefined || text === null || text === "") return undefined;
  const line = (typeof text === "string" ? text : JSON.stringify(text)).split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** rems-play's --json events as rows: one per task_result, loop items numbered per task start and host. */
export function fromRemsPlay(run: RemsPlayRun): ParityRun {
  const hosts: Record<string, ParityRow[]> = {};
  let itemIndex = new Map<string, number>();
  for (const event of run.events) {
    if (event.type === "task_start") itemIndex = new Map();
    if (event.type !== "task_result") continue;
    const row: ParityRow = { task: event.task, status: event.status };
    if (event.item !== undefined) {
      const index = itemIndex.get(event.host) ?? 0;
      itemIndex.set(event.host, index + 1);
      row.item = index;
      row.label = event.item;
    }
    if (event.ignored === true) row.ignored = true;
    const message = firstLine(event.error?.message ?? (event.status === "skipped" ? event.reason : undefined));
    if (message !== undefined) row.message = message;
    (hosts[event.host] ??= []).push(row);
  }
  const recap: Record<string, ParityRecap> = {};
  for (const [host, s] of Object.entries(run.recap)) {
    recap[host] = { ok: s.ok, changed: s.changed, skipped: s.skipped, failed: s.failed, unreachable: s.unreachable, rescued: s.rescued, ignored: s.ignored };
  }
  return { tool: "rems-play", exitCode: run.exitCode, hosts, recap, stderr: run.stderr };
}

function ansibleStatus(result: AnsibleResult): TaskStatus {
  if (result.unreachable === true) return "unreachable";
  if (result.failed === true) return "failed";
  if (result.skipped === true) return "skipped";
  return result.changed === true ? "changed" : "ok";
}

function ansibleRow(task: string, result: AnsibleResult, include: boolean): ParityRow {
  const status = ansibleStatus(result);
  const row: ParityRow = { task, status };
  if (include) row.include = true;
  if (result["censored"] !== undefined) row.censored = true;
  const message = firstLine(status === "failed" || status === "unreachable" ? result.msg : status === "skipped" ? result.skip_reason : undefined);
  if (message !== undefined) row.message = message;
  return row;
}

const INCLUDES = new Set(["include_tasks", "include_role", "ansible.builtin.include_tasks", "ansible.builtin.include_role", "include", "ansible.builtin.include"]);

/**
 * The task Ansible adds before a role with argument specs ("Validating arguments against arg spec"): rems-play checks
 * the specs when it loads the playbook, before any host, and reports no task for it.
 */
const ARG_SPEC_CHECKS = new Set(["validate_argument_spec", "ansible.builtin.validate_argument_spec"]);

/**
 * ansible-playbook's json callback output as rows: a loop's `results` become one row per item; the argument spec
 * checks (ARG_SPEC_CHECKS) are no rows.
 */
export function fromAnsible(run: AnsiblePlaybookRun): ParityRun {
  const hosts: Record<string, ParityRow[]> = {};
  for (const [host, results] of Object.entries(run.results)) {
    hosts[host] = results.filter(({ result }) => !ARG_SPEC_CHECKS.has(result.action ?? "")).flatMap(({ task, result }) => {
      const include = INCLUDES.has(result.action ?? "");
      if (!Array.isArray(result.results) || result.results.length === 0) return [ansibleRow(task, result, include)];
      return result.results.map((itemResult, index) => ({
        ...ansibleRow(task, itemResult, include),
        item: index,
        label: firstLine(itemResult._ansible_item_label ?? itemResult.item) ?? "",
      }));
    });
  }
  const recap: Record<string, ParityRecap> = {};
  for (const [host, s] of Object.entries(run.stats)) {
    recap[host] = { ok: s.ok, changed: s.changed, skipped: s.skipped, failed: s.failures, unreachable: s.unreachable, rescued: s.rescued, ignored: s.ignored };
  }
  return { tool: "ansible-playbook", exitCode: run.exitCode, hosts, recap, stderr: run.stderr };
}

/** The status Ansible gives a loop's result from its items' (see the file's comment on no_log loops). */
function loopStatus(items: readonly ParityRow[]): TaskStatus {
  const has = (status: TaskStatus): boolean => items.some((row) => row.status === status);
  if (has("unreachable")) return "unreachable";
  if (has("failed")) return "failed";
  if (items.every((row) => row.status === "skipped")) return "skipped";
  return has("changed") ? "changed" : "ok";
}

/** REMS's rows with the item rows of each loop Ansible reports censored (no items) folded into one row. */
function foldCensoredLoops(rems: readonly ParityRow[], ansible: readonly ParityRow[]): ParityRow[] {
  const censored = new Set(ansible.filter((row) => row.censored === true && row.item === undefined).map((row) => row.task));
  const folded: ParityRow[] = [];
  let items: ParityRow[] = [];
  const flush = (): void => {
    const [first] = items;
    if (first !== undefined) folded.push({ task: first.task, status: loopStatus(items), message: `${items.length} loop items folded into one row, as Ansible's censored result` });
    items = [];
  };
  for (const row of rems) {
    const inLoop = row.item !== undefined && censored.has(row.task);
    if (!inLoop || row.item === 0 || items[0]?.task !== row.task) flush();
    if (inLoop) items.push(row);
    else folded.push(row);
  }
  flush();
  return folded;
}

interface Pair {
  rems?: ParityRow;
  ansible?: ParityRow;
}

const key = (row: ParityRow): string => `${row.task}\u0000${row.item ?? ""}`;

/** Aligns two hosts' rows in order (longest common subsequence of task name + item). */
function align(rems: readonly ParityRow[], ansible: readonly ParityRow[]): Pair[] {
  const n = rems.length;
  const m = ansible.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  const at = (i: number, j: number): number => lcs[i]?.[j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const same = key(rems[i] as ParityRow) === key(ansible[j] as ParityRow);
      (lcs[i] as number[])[j] = same ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const pairs: Pair[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const r = rems[i];
    const a = ansible[j];
    if (r !== undefined && a !== undefined && key(r) === key(a)) {
      pairs.push({ rems: r, ansible: a });
      i++;
      j++;
    } else if (a !== undefined && (r === undefined || at(i, j + 1) >= at(i + 1, j))) {
      pairs.push({ ansible: a });
      j++;
    } else {
      pairs.push({ rems: r as ParityRow });
      i++;
    }
  }
  return pairs;
}

function pairDiffers(pair: Pair): boolean {
  if (pair.rems === undefined) return pair.ansible?.include !== true;
  return pair.ansible === undefined || pair.rems.status !== pair.ansible.status;
}

function cell(row: ParityRow | undefined): string {
  if (row === undefined) return "-";
  const flags = [row.ignored === true ? "ignored" : "", row.include === true ? "include" : "", row.censored === true ? "no_log" : ""].filter(Boolean);
  return flags.length === 0 ? row.status : `${row.status} (${flags.join(", ")})`;
}

const exitClass = (code: number): string => (code === 0 ? "success" : "failure");

/** The side-by-side table of one host pair; lines marked "✗" differ. */
export function parityTable(rems: ParityRun, remsHost: string, ansible: ParityRun, ansibleHost: string): { table: string; differs: boolean } {
  const ansibleRows = ansible.hosts[ansibleHost] ?? [];
  const pairs = align(foldCensoredLoops(rems.hosts[remsHost] ?? [], ansibleRows), ansibleRows);
  const label = (p: Pair): string => {
    const row = p.rems ?? p.ansible;
    return row?.item === undefined ? (row?.task ?? "") : `${row.task} [item ${row.item}: ${p.rems?.label ?? "-"} | ${p.ansible?.label ?? "-"}]`;
  };
  interface Line { mark: string; task: string; rems: string; ansible: string; notes?: string[] }
  const header: Line = { mark: " ", task: "task", rems: `rems-play (${remsHost})`, ansible: `ansible-playbook (${ansibleHost})` };
  const lines = pairs.map((p): Line => ({
    mark: pairDiffers(p) ? "✗" : " ",
    task: label(p),
    rems: cell(p.rems),
    ansible: p.rems === undefined && p.ansible?.include === true ? `${cell(p.ansible)}, not reported by rems-play` : cell(p.ansible),
    notes: [p.rems?.message === undefined ? "" : `rems-play: ${p.rems.message}`, p.ansible?.message === undefined ? "" : `ansible: ${p.ansible.message}`].filter(Boolean),
  }));
  const remsRecap = rems.recap[remsHost];
  const ansibleRecap = ansible.recap[ansibleHost];
  const recapText = (r: ParityRecap | undefined): string => (r === undefined ? "(none)" : COMPARED_RECAP.map((k) => `${k}=${r[k]}`).join(" "));
  const recapDiffers = COMPARED_RECAP.some((k) => remsRecap?.[k] !== ansibleRecap?.[k]);
  const exitDiffers = exitClass(rems.exitCode) !== exitClass(ansible.exitCode);
  const all: Line[] = [header, ...lines,
    { mark: recapDiffers ? "✗" : " ", task: "recap", rems: recapText(remsRecap), ansible: recapText(ansibleRecap) },
    { mark: exitDiffers ? "✗" : " ", task: "exit code", rems: `${rems.exitCode} (${exitClass(rems.exitCode)})`, ansible: `${ansible.exitCode} (${exitClass(ansible.exitCode)})` }];
  const w1 = Math.max(...all.map((l) => l.task.length));
  const w2 = Math.max(...all.map((l) => l.rems.length));
  const text = all.flatMap((l) => [
    `${l.mark} ${l.task.padEnd(w1)}  ${l.rems.padEnd(w2)}  ${l.ansible}`,
    ...(l.notes ?? []).map((note) => `    ${note}`),
  ]);
  const differs = lines.some((l) => l.mark !== " ") || recapDiffers || exitDiffers;
  return { table: text.join("\n"), differs };
}

/**
 * Asserts that rems-play's run and Ansible's ran the same tasks with the same statuses on each host (hosts paired
 * in name order: each tool runs on its own twin), with the same recap failed/unreachable/rescued/ignored and the
 * same exit-code class. On a difference it fails with the side-by-side table of every host pair.
 */
export function assertSameStatuses(rems: ParityRun, ansible: ParityRun, message = "rems-play and ansible-playbook differ"): void {
  const remsHosts = [...new Set([...Object.keys(rems.hosts), ...Object.keys(rems.recap)])].sort();
  const ansibleHosts = [...new Set([...Object.keys(ansible.hosts), ...Object.keys(ansible.recap)])].sort();
  const tables: string[] = [];
  let differs = remsHosts.length !== ansibleHosts.length;
  if (differs) tables.push(`hosts: rems-play ${remsHosts.join(", ") || "(none)"}; ansible-playbook ${ansibleHosts.join(", ") || "(none)"}`);
  for (let i = 0; i < Math.max(remsHosts.length, ansibleHosts.length, 1); i++) {
    const pair = parityTable(rems, remsHosts[i] ?? "no host", ansible, ansibleHosts[i] ?? "no host");
    differs ||= pair.differs;
    tables.push(pair.table);
  }
  for (const run of [rems, ansible]) {
    const tail = run.stderr.trim().split("\n").slice(-8).join("\n    ");
    if (run.exitCode !== 0 && tail !== "") tables.push(`${run.tool} exited ${run.exitCode}; its stderr ends:\n    ${tail}`);
  }
  if (differs) throw new AssertionError({ message: `${message}:\n${tables.join("\n\n")}` });
}

/**
 * The part of two --check runs on fresh twins that can be compared: each host's rows before Ansible's first
 * failure there, for both tools (rems-play's cut at the row of the same task and item). Ansible's check mode fails
 * where a task needs what an earlier task would only have done (the service of a package that check mode did not
 * install: "Could not find the requested service") and stops the host; rems-play predicts such a task from the
 * earlier tasks' planned outcome, so its rows from there on have no Ansible counterpart. The recap and exit code
 * speak of whole runs: the parts have none, and assertSameStatuses compares their rows alone. `stoppedAt` names
 * Ansible's failed rows, to be shown.
 */
export function beforeAnsibleFailure(rems: ParityRun, ansible: ParityRun): { rems: ParityRun; ansible: ParityRun; stoppedAt: string[] } {
  const remsHosts: Record<string, ParityRow[]> = { ...rems.hosts };
  const ansibleHosts: Record<string, ParityRow[]> = { ...ansible.hosts };
  const stoppedAt: string[] = [];
  const remsNames = Object.keys(rems.hosts).sort();
  Object.keys(ansible.hosts).sort().forEach((host, i) => {
    const rows = ansible.hosts[host] ?? [];
    const failed = rows.findIndex((row) => row.status === "failed" || row.status === "unreachable");
    const failure = rows[failed];
    if (failure === undefined) return;
    stoppedAt.push(`${host}: ${failure.task}${failure.item === undefined ? "" : ` [item ${failure.item}]`}: ${failure.message ?? failure.status}`);
    ansibleHosts[host] = rows.slice(0, failed);
    const remsHost = remsNames[i];
    if (remsHost === undefined) return;
    const remsRows = rems.hosts[remsHost] ?? [];
    const cut = remsRows.findIndex((row) => key(row) === key(failure));
    if (cut !== -1) remsHosts[remsHost] = remsRows.slice(0, cut);
  });
  return {
    rems: { ...rems, hosts: remsHosts, recap: {}, exitCode: 0 },
    ansible: { ...ansible, hosts: ansibleHosts, recap: {}, exitCode: 0 },
    stoppedAt,
  };
}

/** How both tools run a playbook on their twins. */
export interface TwinOptions {
  /** Host variables both twins get in their inventory. */
  hostVars?: Readonly<Record<string, unknown>>;
  check?: boolean;
  diff?: boolean;
  /** Options both tools get, as given (`--vault-password-file FILE`, `-e k=v`). */
  args?: readonly string[];
  /** Options rems-play alone gets (`-vvv`, `--report FILE`). */
  remsArgs?: readonly string[];
  /** Environment both tools get (ANSIBLE_ROLES_PATH). */
  env?: NodeJS.ProcessEnv;
  /** How long ansible-playbook may take (default runAnsiblePlaybook's 5 minutes). */
  ansibleTimeoutMs?: number;
  /**
   * Hosts each tool runs on (default 1): rems-play on the lab's first N, ansible-playbook on the next N, each
   * tool's inventory holding its N (for delegate_to and run_once, which need more than one host).
   */
  hostsPerTool?: number;
}

/** A case: its files (paths relative to a fresh directory; the playbook is PLAYBOOK) and how to run it. */
export interface ParityCase extends TwinOptions {
  files: Readonly<Record<string, string>>;
}

export const PLAYBOOK = "playbook.yml";

export interface TwinRuns {
  dir: string;
  /** The twin each tool ran on (the first, with hostsPerTool). */
  remsHost: LabHost;
  ansibleHost: LabHost;
  /** Every host each tool ran on, in inventory order. */
  remsHosts: LabHost[];
  ansibleHosts: LabHost[];
  rems: ParityRun;
  ansible: ParityRun;
  remsRun: RemsPlayRun;
  ansibleRun: AnsiblePlaybookRun;
  remsMs: number;
  ansibleMs: number;
}

/**
 * An inventory (YAML text) of HOSTS, with the lab's key and known_hosts, and HOSTVARS (a variable given as
 * undefined is left out: `ansible_user: undefined` for the remote_user keyword), for either tool.
 */
export function twinInventory(lab: Lab, entries: readonly LabHost[], hostVars: Readonly<Record<string, unknown>>): string {
  const varsOf = (host: LabHost): Record<string, unknown> => {
    const vars: Record<string, unknown> = {
      ansible_host: host.address,
      ansible_user: "root",
      ansible_ssh_private_key_file: lab.keyPath,
      rems_known_hosts_file: lab.knownHostsPath,
      ...hostVars,
    };
    return Object.fromEntries(Object.entries(vars).filter(([, value]) => value !== undefined));
  };
  return stringify({ all: { hosts: Object.fromEntries(entries.map((host) => [host.name, varsOf(host)])) } });
}

async function timedRun<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

/** The twins a pair of tools runs on: rems-play's hosts and ansible-playbook's, as many of each. */
export interface Twins {
  rems: readonly LabHost[];
  ansible: readonly LabHost[];
}

/**
 * Runs PLAYBOOK (read where it is) with both tools at once, rems-play on TWINS.rems and ansible-playbook on
 * TWINS.ansible, each with an inventory of its hosts, written into DIR (rems-inventory.yml and
 * ansible-inventory.yml: one pair of twins per DIR).
 */
export async function runTwinPlaybook(lab: Lab, twins: Twins, playbook: string, dir: string, c: TwinOptions = {}): Promise<TwinRuns> {
  const [remsHost] = twins.rems;
  const [ansibleHost] = twins.ansible;
  if (remsHost === undefined || ansibleHost === undefined) throw new Error(`lab ${lab.name}: each tool needs a host`);
  const remsInventory = join(dir, "rems-inventory.yml");
  const ansibleInventory = join(dir, "ansible-inventory.yml");
  writeFileSync(remsInventory, twinInventory(lab, twins.rems, c.hostVars ?? {}));
  writeFileSync(ansibleInventory, twinInventory(lab, twins.ansible, c.hostVars ?? {}));
  const remsArgs = [playbook, "-i", remsInventory, ...(c.check === true ? ["--check"] : []), ...(c.diff === true ? ["--diff"] : []), ...(c.args ?? []), ...(c.remsArgs ?? [])];
  const [[remsRun, remsMs], [ansibleRun, ansibleMs]] = await Promise.all([
    timedRun(() => runRemsPlay(remsArgs, c.env === undefined ? {} : { env: c.env })),
    timedRun(() =>
      runAnsiblePlaybook(playbook, {
        inventory: ansibleInventory,
        knownHostsPath: lab.knownHostsPath,
        ...(c.check === undefined ? {} : { check: c.check }),
        ...(c.diff === undefined ? {} : { diff: c.diff }),
        ...(c.args === undefined ? {} : { args: c.args }),
        ...(c.env === undefined ? {} : { env: c.env }),
        ...(c.ansibleTimeoutMs === undefined ? {} : { timeoutMs: c.ansibleTimeoutMs }),
      }),
    ),
  ]);
  return { dir, remsHost, ansibleHost, remsHosts: [...twins.rems], ansibleHosts: [...twins.ansible], rems: fromRemsPlay(remsRun), ansible: fromAnsible(ansibleRun), remsRun, ansibleRun, remsMs, ansibleMs };
}

/**
 * Writes the case's files into a fresh directory and runs its playbook with both tools at once: rems-play on the
 * lab's first hostsPerTool hosts, ansible-playbook on the next as many.
 */
export async function runTwins(lab: Lab, c: ParityCase): Promise<TwinRuns> {
  const per = c.hostsPerTool ?? 1;
  const twins = { rems: lab.hosts.slice(0, per), ansible: lab.hosts.slice(per, 2 * per) };
  if (twins.ansible.length < per) throw new Error(`lab ${lab.name} needs ${2 * per} hosts for this parity test`);
  const dir = mkdtempSync(join(tmpdir(), "rems-parity-"));
  for (const [path, text] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return runTwinPlaybook(lab, twins, join(dir, PLAYBOOK), dir, c);
}

/** Runs COMMAND on both twins (rems-play's first) and returns their stdout; a non-zero exit throws. */
export async function onTwins(lab: Lab, command: string): Promise<[string, string]> {
  const outputs = await Promise.all(lab.hosts.slice(0, 2).map(async (host) => {
    const result = await lab.ssh(host.name, command);
    if (result.code !== 0) throw new Error(`${host.name}: \`${command}\` exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }));
  return [outputs[0] ?? "", outputs[1] ?? ""];
}

/**
 * The shared LAB, with PREPARE (what the module needs on a host: a package) run on both twins once, before the
 * first test that asks; undefined when the test was skipped.
 */
export function preparedTwins(lab: SharedLab, prepare: string): (t: TestContext) => Promise<Lab | undefined> {
  let prepared: Promise<unknown> | undefined;
  return async (t) => {
    const host = await lab.use(t);
    if (host) await (prepared ??= onTwins(host, prepare));
    return host;
  };
}

/** The rows of RUN's only host as "task=status" ("task[i]=status" for loop items): what a case expects of Ansible. */
export function statusLines(run: ParityRun): string[] {
  const hosts = Object.values(run.hosts);
  if (hosts.length !== 1) throw new Error(`${run.tool} reported ${hosts.length} hosts, expected 1`);
  return (hosts[0] ?? []).map((row) => `${row.task}${row.item === undefined ? "" : `[${row.item}]`}=${row.status}`);
}

/** A case whose premise is Ansible's own report, so it cannot pass on a wrong one. */
export interface OracleCase extends ParityCase {
  /** Run on both twins first (the case's files removed); its output is returned as `before`. */
  reset: string;
  /** What ansible-playbook reports ("task=status" rows). */
  ansible: readonly string[];
  /** ansible-playbook's exit code (default 0). */
  exitCode?: number;
}

export interface OracleRun {
  lab: Lab;
  twins: TwinRuns;
  before: [string, string];
}

/**
 * Runs the case with both tools after its reset, logs their times, asserts Ansible's own report and then that
 * rems-play's matches it. Undefined when ansible-playbook or the lab cannot run here (the test was skipped).
 */
export async function runOracleCase(t: TestContext, lab: SharedLab, c: OracleCase): Promise<OracleRun | undefined> {
  if (!ansibleAvailable(t)) return undefined;
  const l = await lab.use(t);
  if (!l) return undefined;
  const before = await onTwins(l, c.reset);
  const twins = await runTwins(l, c);
  t.after(() => rmSync(twins.dir, { recursive: true, force: true }));
  t.diagnostic(`ansible-playbook ${Math.round(twins.ansibleMs)} ms, rems-play ${Math.round(twins.remsMs)} ms`);
  const why = `\n${twins.ansibleRun.stderr}`;
  assert.deepEqual(statusLines(twins.ansible), c.ansible, `ansible-playbook's own statuses${why}`);
  assert.equal(twins.ansibleRun.exitCode, c.exitCode ?? 0, `ansible-playbook's exit code${why}`);
  assertSameStatuses(twins.rems, twins.ansible);
  return { lab: l, twins, before };
}
