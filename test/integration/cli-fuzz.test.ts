/**
 * Issue 16's fuzz test: the real CLI (dist/bin/rems-play.js), given bad input of every shape, ends with an input error
 * or a result, never with exit 250 (a bug) and never hangs. fast-check generates the cases: playbooks (plays, tasks,
 * roles with dependencies, handlers, Jinja, anchors) written as YAML and then damaged, inventories (INI and YAML,
 * ranges, child groups, connection variables) and command lines; each case runs the CLI once in a directory of its
 * own, with a time limit. Bounded in time: 300 cases, three at a time (about 100 CPU-seconds: under a minute on
 * two idle cores), each at most CASE_TIMEOUT_MS, and all of them stopped after TIME_LIMIT_MS on a machine too busy
 * to finish (the diagnostic says how many ran). A failure names its seed: REMS_FUZZ_SEED=<seed> repeats the cases.
 *
 * Nothing is changed on this machine: the CLI only loads, lists, or runs --check (an audit) against hosts it
 * cannot reach (127.0.0.1 port 1), or against the implicit localhost with the harmless actions generated here
 * (an audit takes the host's run lock, and that is all it writes).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { stringify } from "yaml";
import { AuditExitCode, ExitCode } from "../../engine/exit-codes.js";
import { remsPlayBin } from "../helpers/rems-play.js";

const CASE_TIMEOUT_MS = 20_000;
const RUNS_PER_PROPERTY = 100;
/** Past this the properties stop early (and say how many cases ran): the test stays bounded on a busy machine. */
const TIME_LIMIT_MS = 60_000;

type Files = Record<string, string | Uint8Array>;
interface Case {
  files: Files;
  args: string[];
}

// ---- pieces -------------------------------------------------------------------------------------------------

const jinja = fc.constantFrom(
  "{{ x }}", "{{ x | default('a') }}", "{{ x | }}", "{{ ' }}", "{% if x %}a{% endif %}", "{% if %}", "{% for %}", "{#", "}}",
  "{{ (((( }}", "{{ x[ }}", "{{ lookup('env', 'HOME') }}", "{{ 1 / 0 }}", "{{ x.y.z }}", "{% raw %}{{{% endraw %}", "{{ x is nosuchtest }}",
  "{{ x | nosuchfilter }}", "{{ '\\u0000' }}", "{{ 'a' * 3 }}",
);
const word = fc.string({ unit: fc.constantFrom("a", "b", "web", "1", "-", "_", ".", " ", "[", "]", ":", "*", "~", "!", "&", "(", "{", "é", "\u0000"), maxLength: 8 });
const text = fc.oneof(word, jinja, fc.tuple(word, jinja, word).map((parts) => parts.join("")));
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom("yes", "no", "0644", "644", "~", "-1", "1e400"));
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(word, tie("value"), { maxKeys: 3 })),
})).value;

const condition = fc.oneof(fc.constantFrom("x is defined", "x ==", "{{ x }}", "x and {{ y }}", "", "yes", "not", "x in ['a'"), fc.boolean(), fc.array(text, { maxLength: 2 }));
const hostPattern = fc.oneof(fc.constantFrom("all", "web", "db", "localhost", "web[0]", "web[0-", "web[-1:]", "~[(", "~web.*", "*", "web:&db", "web:!db", "nosuch", "", "web,db"), word);
const handlerName = fc.constantFrom("restart it", "restart it", "reload it", "topic", "nosuch", "{{ x }}");
const roleName = fc.constantFrom("ra", "rb", "rc", "nosuch");

const actions: Record<string, fc.Arbitrary<unknown>> = {
  debug: fc.oneof(fc.record({ msg: value }), fc.record({ var: text }), text),
  set_fact: fc.dictionary(word, value, { maxKeys: 2 }),
  assert: fc.record({ that: condition }),
  fail: fc.record({ msg: text }),
  command: fc.oneof(text, fc.record({ cmd: text, creates: text })),
  copy: fc.oneof(fc.record({ src: fc.constantFrom("files/f.txt", "missing.txt", "templates", "{{ x }}.txt", ""), dest: text }), fc.record({ content: text, dest: text })),
  template: fc.record({ src: fc.constantFrom("t.j2", "bad.j2", "missing.j2", "files/f.txt", "{{ x }}"), dest: text }),
  meta: fc.constantFrom("flush_handlers", "noop", "nosuch"),
  include_tasks: fc.constantFrom("tasks.yml", "missing.yml", "pb.yml", "{{ x }}.yml", "."),
  import_tasks: fc.constantFrom("tasks.yml", "missing.yml", "pb.yml", "{{ x }}.yml", "."),
  include_role: fc.record({ name: roleName }),
  import_role: fc.record({ name: roleName }),
  "ansible.builtin.debug": fc.record({ msg: text }),
  coppy: value,
};
const action = fc.constantFrom(...Object.keys(actions)).chain((name) => (actions[name] as fc.Arbitrary<unknown>).map((args) => ({ [name]: args })));

/** Keywords, each on about one task in five: most generated tasks should get past their keywords. */
function sometimes<T>(arbitraries: Record<string, fc.Arbitrary<T>>): fc.Arbitrary<Record<string, T>> {
  const entries = Object.entries(arbitraries).map(([key, arbitrary]) => fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: arbitrary.map((v) => [[key, v] as const]) }));
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.flat()));
}

const task = fc
  .tuple(
    action,
    sometimes<unknown>({ name: text, when: condition, notify: fc.oneof(handlerName, fc.array(handlerName, { maxLength: 2 })), loop: value, register: word, tags: value, changed_when: condition, become: value, vars: fc.dictionary(word, value, { maxKeys: 2 }), listen: handlerName }),
    fc.oneof({ weight: 9, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.record({ bogus_keyword: value }) }),
  )
  .map(([act, keywords, bogus]) => ({ ...keywords, ...bogus, ...act }));
const block = fc.record({ name: text, block: fc.array(task, { maxLength: 2 }), rescue: fc.array(task, { maxLength: 1 }), when: condition }, { requiredKeys: ["block"] });
const tasks = fc.array(fc.oneof({ weight: 4, arbitrary: task }, { weight: 1, arbitrary: block }), { maxLength: 4 });
const play = fc.record(
  {
    hosts: fc.oneof(hostPattern, fc.array(hostPattern, { maxLength: 2 })),
    gather_facts: fc.constantFrom(false, false, false, "no", "maybe"),
    vars: fc.dictionary(word, value, { maxKeys: 3 }),
    vars_files: fc.array(fc.constantFrom("vars.yml", "vars.yml", "vars.yml", "missing.yml", "files", "{{ x }}.yml"), { maxLength: 2 }),
    roles: fc.array(fc.oneof(roleName, fc.record({ role: roleName, when: condition })), { maxLength: 2 }),
    tasks,
    handlers: fc.array(fc.tuple(handlerName, task).map(([name, t]) => ({ ...t, name })), { maxLength: 2 }),
    serial: value,
  },
  { requiredKeys: ["hosts"] },
);

/** YAML text damaged in a few places: cut, characters inserted, a line doubled, an alias that refers to nothing. */
const damage = fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(
  fc.tuple(fc.nat(), fc.constantFrom("cut", "insert", "double", "alias", "anchor", "tab", "nul"), fc.constantFrom(":", "- ", "[", "{", "}", "&a ", "*a", "<<: *a", "!!binary ", "\t", "'", '"', "|", "%YAML 1.1\n", "---\n", "\n  ", "#")),
  { minLength: 1, maxLength: 3 },
) });
function damaged(yaml: string, edits: readonly (readonly [number, string, string])[]): string {
  let out = yaml;
  for (const [at, kind, piece] of edits) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (kind === "cut") out = out.slice(0, i);
    else if (kind === "double") out = out.slice(0, i) + out.slice(out.lastIndexOf("\n", i) + 1, i) + out.slice(i);
    else if (kind === "alias") out = out.slice(0, i) + " *nowhere" + out.slice(i);
    else if (kind === "anchor") out = `x: &a [${piece}]\n` + out;
    else if (kind === "tab") out = out.slice(0, i) + "\t" + out.slice(i);
    else if (kind === "nul") out = out.slice(0, i) + "\u0000" + out.slice(i);
    else out = out.slice(0, i) + piece + out.slice(i);
  }
  return out;
}

/** Small anchor-and-alias documents: lists of aliases of lists, nested a few levels (a bomb in miniature or in full). */
const aliasDocument = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 12 })).map(([width, levels]) => {
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(",")}]`];
  for (let level = 1; level < levels; level++) lines.push(`l${level}: &l${level} [${Array(width).fill(`*l${level - 1}`).join(",")}]`);
  return lines.join("\n") + "\n";
});

const iniValue = fc.oneof(fc.constantFrom("twenty-two", "0", "65536", "22.5", "{{ 1 + 1 }}", "{{ nope }}", '"a b"', "True", "yes", "", "2", "ssh", "docker", "local6"), word);
const hostName = fc.oneof(fc.constantFrom("web1", "web2", "db1", "web[01:03]", "web[a:c]", "web[1:]", "web[3:1]", "web[0:99999999]", "[web]", "=", "web1:22", "localhost"), word);
const connectionVar = fc.constantFrom("ansible_port", "ansible_host", "ansible_timeout", "ansible_host_key_checking", "ansible_user", "ansible_connection", "ansible_password", "other");
const iniInventory = fc
  .array(
    fc.oneof(
      fc.tuple(hostName, fc.array(fc.tuple(connectionVar, iniValue), { maxLength: 2 })).map(([host, vars]) => [host, ...vars.map(([k, v]) => `${k}=${v}`)].join(" ")),
      fc.constantFrom("[web]", "[db]", "[web:vars]", "[db:children]", "[web:children]", "[all:vars]", "[bad", "[:vars]", "web", "db", "x=1", "=", "; comment", "ansible_port=1"),
    ),
    { maxLength: 8 },
  )
  .map((lines) => lines.join("\n") + "\n");
const yamlInventory = fc
  .dictionary(
    fc.constantFrom("all", "web", "db", "ungrouped", "x"),
    fc.record(
      {
        hosts: fc.oneof({ weight: 3, arbitrary: fc.dictionary(hostName, fc.oneof(fc.constant(null), fc.dictionary(connectionVar, scalar, { maxKeys: 2 })), { maxKeys: 3 }) }, { weight: 1, arbitrary: value }),
        children: fc.oneof({ weight: 3, arbitrary: fc.dictionary(fc.constantFrom("web", "db", "all", "x"), fc.constant(null), { maxKeys: 2 }) }, { weight: 1, arbitrary: value }),
        vars: fc.oneof({ weight: 3, arbitrary: fc.dictionary(connectionVar, scalar, { maxKeys: 2 }) }, { weight: 1, arbitrary: value }),
        hostz: value,
      },
      { requiredKeys: [] },
    ),
    { maxKeys: 3 },
  )
  .map((inventory) => stringify(inventory));

/** The files every case has besides the playbook and the inventory: roles that depend on each other, templates ... */
const roleFiles = fc.record({
  raDeps: fc.array(roleName, { maxLength: 2 }),
  rbDeps: fc.array(roleName, { maxLength: 2 }),
  rcTasks: tasks,
  handlers: fc.array(fc.tuple(handlerName, task).map(([name, t]) => ({ ...t, name })), { maxLength: 1 }),
});
function commonFiles(roles: { raDeps: string[]; rbDeps: string[]; rcTasks: unknown[]; handlers: unknown[] }, extraYaml: string): Files {
  return {
    "files/f.txt": "a file\n",
    "templates/t.j2": "ok {{ x | default('') }}\n",
    "templates/bad.j2": "{% for %}\n",
    "tasks.yml": stringify([{ debug: { msg: "included" } }]),
    "vars.yml": extraYaml,
    "roles/ra/meta/main.yml": stringify({ dependencies: roles.raDeps }),
    "roles/ra/tasks/main.yml": stringify([{ debug: { msg: "ra" } }]),
    "roles/rb/meta/main.yml": stringify({ dependencies: roles.rbDeps }),
    "roles/rc/tasks/main.yml": stringify(roles.rcTasks),
    "roles/rc/handlers/main.yml": stringify(roles.handlers),
  };
}

/** What the CLI is asked: to load, to list, or to audit hosts it cannot reach (never a run that changes anything). */
const mode = fc.constantFrom(["--syntax-check"], ["--list-hosts"], ["--list-tasks"], ["--list-tags"], ["--check", "-e", "ansible_host=127.0.0.1", "-e", "ansible_timeout=2"]);
const option = fc.oneof(
  fc.tuple(fc.constantFrom("-e", "-l", "-t", "--skip-tags", "-f", "--lock-wait", "--host-key-checking", "--start-at-task", "-u", "--report", "--private-key"), fc.oneof(text, fc.constantFrom('{"a": ', "@bad.json", "@files", "@missing", "@/dev/null", "a=1 b", 'a="b', "{a: *x}", "[1]", "@vars.yml", "0", "-1", "x.html", "/nonexistent/r.json", "web[0-", "~[("))),
  fc.constantFrom(["-v"], ["-vvv"], ["--json"], ["--diff"], ["--detailed-exitcode"], ["--bogus"], ["-"], ["--"], ["-K"]),
);

// ---- the properties -----------------------------------------------------------------------------------------

const playbookCases: fc.Arbitrary<Case> = fc.tuple(fc.array(play, { minLength: 1, maxLength: 2 }), damage, roleFiles, aliasDocument, mode).map(([plays, edits, roles, aliases, how]) => ({
  files: { ...commonFiles(roles, aliases), "pb.yml": damaged(stringify(plays), edits), "inventory.ini": "[web]\nweb1\nweb2\n[db]\ndb1\n[all:vars]\nansible_port=1\n" },
  args: ["pb.yml", "-i", "inventory.ini", ...how],
}));

const inventoryCases: fc.Arbitrary<Case> = fc.tuple(fc.oneof(iniInventory.map((t) => ["inventory.ini", t] as const), yamlInventory.map((t) => ["inventory.yml", t] as const)), damage, fc.boolean(), roleFiles, mode).map(([[name, inventory], edits, damageIt, roles, how]) => ({
  files: { ...commonFiles(roles, "a: 1\n"), "pb.yml": stringify([{ hosts: "all", gather_facts: false, tasks: [{ debug: { msg: "{{ inventory_hostname }}" } }] }]), [name]: damageIt ? damaged(inventory, edits) : inventory },
  args: ["pb.yml", "-i", name, ...how],
}));

const commandLineCases: fc.Arbitrary<Case> = fc.tuple(fc.array(option, { maxLength: 4 }), mode, fc.constantFrom("pb.yml", "files", "missing.yml", "", "-", "latin1.yml"), roleFiles, fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([options, how, playbook, roles, bytes]) => ({
  files: {
    ...commonFiles(roles, "a: 1\n"),
    "pb.yml": stringify([{ hosts: "all", gather_facts: false, tasks: [{ name: "t", debug: { msg: "hi" } }] }]),
    "latin1.yml": Buffer.concat([Buffer.from("- hosts: all\n  tasks: []\n# "), Buffer.from(bytes)]),
    "bad.json": '{"a": ',
    "inventory.ini": "[web]\nweb1 ansible_port=1\n",
  },
  args: [playbook, "-i", "inventory.ini", ...options.flat(), ...how],
}));

// ---- running a case -----------------------------------------------------------------------------------------

interface Outcome {
  status: number | null;
  stderr: string;
}

function runCase(testCase: Case): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), "rems-fuzz-"));
  for (const [name, content] of Object.entries(testCase.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return new Promise((resolve, reject) => {
    // An argument cannot hold a NUL byte (the operating system ends it there): leave those out.
    const args = testCase.args.map((arg) => arg.replaceAll("\0", ""));
    const child = spawn(process.execPath, [remsPlayBin, ...args], { cwd: dir, stdio: ["ignore", "ignore", "pipe"], timeout: CASE_TIMEOUT_MS, killSignal: "SIGKILL" });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (status) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ status, stderr });
    });
  });
}

/** The exit codes the README documents, but 250 (a bug) and 99 (interrupted: nothing interrupts these runs). */
const DOCUMENTED: readonly number[] = [...Object.values(ExitCode), ...Object.values(AuditExitCode)].filter((code) => code !== ExitCode.internal && code !== ExitCode.interrupted);

/** The CLI ended (no hang), with one of its documented exit codes other than 250, and without a stack trace. */
function assertSane(testCase: Case, outcome: Outcome): void {
  const what = `rems-play ${JSON.stringify(testCase.args)}`;
  assert.notEqual(outcome.status, null, `${what} did not end within ${CASE_TIMEOUT_MS} ms`);
  assert.notEqual(outcome.status, 250, `${what} exited 250:\n${outcome.stderr}`);
  assert.ok(DOCUMENTED.includes(outcome.status ?? -1), `${what} exited ${String(outcome.status)}:\n${outcome.stderr}`);
  assert.doesNotMatch(outcome.stderr, /internal error|\n\s+at .*\.js:\d+/, `${what} printed a stack trace:\n${outcome.stderr}`);
}

test("issue 16 fuzz: the CLI never exits 250 and never hangs on bad playbooks, inventories and command lines", async (t) => {
  const seed = Number(process.env.REMS_FUZZ_SEED ?? Date.now() % 2 ** 31);
  const started = Date.now();
  const properties = { playbooks: playbookCases, inventories: inventoryCases, "command lines": commandLineCases };
  const results = await Promise.all(
    Object.entries(properties).map(async ([name, cases]) => {
      const details = await fc.check(
        fc.asyncProperty(cases, async (testCase) => assertSane(testCase, await runCase(testCase))),
        { seed, numRuns: RUNS_PER_PROPERTY, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)], endOnFailure: true },
      );
      return { name, details };
    }),
  );
  const ran = results.map(({ name, details }) => `${name}: ${details.numRuns}${details.interrupted ? " (time limit)" : ""}`).join(", ");
  t.diagnostic(`seed ${seed} (REMS_FUZZ_SEED=${seed} repeats it); cases run: ${ran}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const { name, details } of results) if (details.failed) assert.fail(`${name}: ${fc.defaultReportMessage(details)}`);
});
