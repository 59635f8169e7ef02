/**
 * Runs the real `ansible-playbook` (Debian's ansible 2.14: ansible-core plus the ansible.posix collection) as a
 * child process against lab hosts, for tests that take Ansible's behaviour as the truth (test/helpers/parity.ts).
 *
 * The machine-readable route is the `json` stdout callback (ansible.posix.json, shipped in Debian's `ansible`
 * package): stdout is then one JSON document, `{plays: [{play, tasks: [{task, hosts: {NAME: result}}]}], stats}`,
 * written when the run ends; Ansible's warnings and errors go to stderr. With the default (linear) strategy the
 * callback appends a task when it starts, handlers included, so `tasks` is in run order; a loop is one result with
 * `results` (one per item). An ignored failure is `failed: true` like any other: the callback drops the
 * `ignore_errors` flag, only the recap's `ignored` counts it. A parse or option error prints no JSON at all.
 *
 * SSH as the benchmark sets it up (scripts/bench/tools.ts): pipelining, ControlPersist, the lab's key from the
 * inventory and the lab's known_hosts with strict host key checking. The control sockets live in one private
 * directory per test process, so cases reuse the connection and nobody else's host at a reused address does.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { run } from "../../lab/exec.js";
import { available } from "./lab.js";

/**
 * True when ansible-playbook is on PATH. Otherwise the test T is skipped with the reason and false returned,
 * except under CI=true, where it throws (.ci/run installs Debian's ansible): as lab hosts are (test/helpers/lab.ts).
 */
export function ansibleAvailable(t: TestContext): boolean {
  const installed = (process.env["PATH"] ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, "ansible-playbook")));
  return available(t, installed ? undefined : "ansible-playbook is not installed (Debian: apt-get install ansible)", "the parity tests");
}

/** One host's result of one task as the json callback records it (the fields the tests read). */
export interface AnsibleResult {
  action?: string;
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  unreachable?: boolean;
  msg?: unknown;
  skip_reason?: string;
  /** An include_tasks / include_role that ran: the file it included. */
  include?: string;
  /** A loop: one result per item (the top-level flags then summarise them). */
  results?: AnsibleResult[];
  _ansible_item_label?: unknown;
  item?: unknown;
  [key: string]: unknown;
}

export interface AnsibleTask {
  name: string;
  /** "FILE:LINE" of the task. */
  path: string;
  /** A play's handlers are not marked as such by the callback: they come after the tasks that notified them. */
  hosts: Readonly<Record<string, AnsibleResult>>;
}

export interface AnsibleStats {
  ok: number;
  changed: number;
  unreachable: number;
  failures: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export interface AnsiblePlaybookRun {
  exitCode: number;
  /** Every task of every play, in run order (a task started for several hosts is one entry). */
  tasks: AnsibleTask[];
  /** Per host, its results in run order. */
  results: Readonly<Record<string, { task: string; path: string; result: AnsibleResult }[]>>;
  stats: Readonly<Record<string, AnsibleStats>>;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface AnsiblePlaybookOptions {
  /** An inventory file whose hosts carry `ansible_host`, `ansible_user` and `ansible_ssh_private_key_file`. */
  inventory: string;
  /** The lab's known_hosts: host keys are checked strictly against it. */
  knownHostsPath: string;
  limit?: string;
  check?: boolean;
  diff?: boolean;
  /** Passed as one `-e` JSON document. */
  extraVars?: Readonly<Record<string, unknown>>;
  /** More options, as given (`--vault-password-file FILE`). */
  args?: readonly string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

let controlDir: string | undefined;

/** The environment ansible-playbook runs with: json on stdout, the bench's SSH options, no retry files. */
export function ansibleEnv(knownHostsPath: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  controlDir ??= mkdtempSync(join(tmpdir(), "rems-ansible-cp-"));
  return {
    ...process.env,
    ANSIBLE_STDOUT_CALLBACK: "json",
    ANSIBLE_PIPELINING: "True",
    ANSIBLE_HOST_KEY_CHECKING: "True",
    ANSIBLE_SSH_ARGS: `-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${knownHostsPath} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes`,
    ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir,
    ANSIBLE_PYTHON_INTERPRETER: "auto_silent",
    ANSIBLE_RETRY_FILES_ENABLED: "False",
    ANSIBLE_NOCOLOR: "True",
    ...extra,
  };
}

interface JsonOutput {
  plays?: { tasks?: { task: { name: string; path: string }; hosts: Record<string, AnsibleResult> }[] }[];
  stats?: Record<string, AnsibleStats>;
}

/** Parses the json callback's document; a run that printed none (a parse error) has no tasks and no stats. */
export function parseAnsibleJson(stdout: string): Pick<AnsiblePlaybookRun, "tasks" | "results" | "stats"> {
  const start = stdout.indexOf("{");
  const doc: JsonOutput = start === -1 ? {} : (JSON.parse(stdout.slice(start)) as JsonOutput);
  const tasks = (doc.plays ?? []).flatMap((play) => (play.tasks ?? []).map(({ task, hosts }) => ({ name: task.name, path: task.path, hosts })));
  const results: Record<string, { task: string; path: string; result: AnsibleResult }[]> = {};
  for (const task of tasks) {
    for (const [host, result] of Object.entries(task.hosts)) (results[host] ??= []).push({ task: task.name, path: task.path, result });
  }
  return { tasks, results, stats: doc.stats ?? {} };
}

/** Runs `ansible-playbook PLAYBOOK` with OPTIONS. Never throws for a non-zero exit: tests assert on exitCode. */
export async function runAnsiblePlaybook(playbookPath: string, options: AnsiblePlaybookOptions): Promise<AnsiblePlaybookRun> {
  const args = [
    playbookPath,
    "-i", options.inventory,
    ...(options.limit === undefined ? [] : ["--limit", options.limit]),
    ...(options.check === true ? ["--check"] : []),
    ...(options.diff === true ? ["--diff"] : []),
    ...(options.extraVars === undefined ? [] : ["-e", JSON.stringify(options.extraVars)]),
    ...(options.args ?? []),
  ];
  const started = performance.now();
  const result = await run("ansible-playbook", args, { env: ansibleEnv(options.knownHostsPath, options.env), timeoutMs: options.timeoutMs ?? 5 * 60_000 });
  const durationMs = performance.now() - started;
  let parsed: ReturnType<typeof parseAnsibleJson>;
  try {
    parsed = parseAnsibleJson(result.stdout);
  } catch (error) {
    throw new Error(`ansible-playbook printed no valid JSON (exit ${result.code}): ${String(error)}\n${result.stdout}\n${result.stderr}`);
  }
  return { exitCode: result.code, ...parsed, stdout: result.stdout, stderr: result.stderr, durationMs };
}
