/**
 * Acceptance of issue 2's playbook semantics through the real CLI on local hosts (three inventory hosts with
 * ansible_connection=local): variable precedence level by level, handlers, block/rescue/always, loops, register and
 * when, changed_when/failed_when/ignore_errors, until, run_once, delegate_to, set_fact, include_tasks/include_role,
 * free-form and args: arguments, no_log, secret masking, check_mode: false, parallel hosts, serial, unreachable
 * hosts and interruption.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { compareOrder, type TaskResultEvent } from "../../../engine/events.js";
import { remsPlayBin, repoRoot, runRemsPlay, writePlaybook } from "../../helpers/rems-play.js";

const fixtures = join(repoRoot, "test/fixtures/acceptance");
const HOSTS = ["h1", "h2", "h3"];

/** A fresh directory with an INI inventory of three local hosts in group web. */
function localHosts(extra = ""): { dir: string; inventory: string } {
  const dir = mkdtempSync(join(tmpdir(), "rems-acceptance-"));
  const inventory = join(dir, "inventory.ini");
  writeFileSync(inventory, `[web]\n${HOSTS.map((h) => `${h} ansible_connection=local\n`).join("")}${extra}`);
  return { dir, inventory };
}

function resultsOf(results: readonly TaskResultEvent[], host: string, task: string): TaskResultEvent[] {
  return results.filter((r) => r.host === host && r.task === task);
}

function only(results: readonly TaskResultEvent[], host: string, task: string): TaskResultEvent {
  const found = resultsOf(results, host, task);
  assert.equal(found.length, 1, `exactly one result of '${task}' on ${host}: ${JSON.stringify(found)}`);
  const [first] = found;
  assert.ok(first);
  return first;
}

describe("variable precedence through a real playbook", () => {
  test("each level of the README's order beats the one below it, and register beats task vars", async () => {
    const dir = join(fixtures, "precedence");
    const run = await runRemsPlay([join(dir, "playbook.yml"), "-i", join(dir, "inventory.yml"), "-e", "p13=first", "-e", '{"p13": "extra_vars"}']);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    const levels = ["role_defaults", "group_all", "group_parent", "group_child", "host", "play_vars", "vars_files", "role_vars", "role_params", "block_vars", "task_vars", "set_fact", "extra_vars"];
    assert.deepEqual(only(run.results, "localhost", "r : show").msg, levels);
    assert.equal(only(run.results, "localhost", "r : show registered").msg, "registered");
  });
});

describe("playbook semantics on three local hosts", () => {
  test("handlers, blocks, loops, conditions, retries, run_once, delegation, includes, arguments and secrets", async () => {
    const { dir, inventory } = localHosts();
    const run = await runRemsPlay([join(fixtures, "semantics/playbook.yml"), "-i", inventory, "-e", `base=${dir}`, "--diff", "-vvv"]);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);

    const osRelease = readFileSync("/etc/os-release", "utf8");
    const field = (name: string): string => new RegExp(`^${name}="?([^"\\n]*)"?$`, "m").exec(osRelease)?.[1] ?? "";
    const id = field("ID");
    const architecture = execFileSync("uname", ["-m"], { encoding: "utf8" }).trim();

    for (const host of HOSTS) {
      const stats = run.recap[host];
      assert.ok(stats, host);
      assert.deepEqual([stats.failed, stats.unreachable, stats.rescued, stats.ignored, stats.unknown], [0, 0, 1, 1, 0], host);
      assert.deepEqual(only(run.results, host, "facts").msg, [id.charAt(0).toUpperCase() + id.slice(1), field("VERSION_ID"), field("VERSION_CODENAME"), id.charAt(0).toUpperCase() + id.slice(1), architecture, true]);

      // Handlers: once each however often notified, in definition order, at flush_handlers (before "after flush").
      const sequence = run.results.filter((r) => r.host === host).map((r) => r.task);
      const from = sequence.indexOf("notify first again");
      assert.deepEqual(sequence.slice(from, from + 4), ["notify first again", "first handler", "second handler", "after flush"]);
      assert.equal(sequence.filter((t) => t === "first handler").length, 1);
      assert.equal(sequence.filter((t) => t === "second handler").length, 1);

      // block / rescue / always
      assert.equal(only(run.results, host, "fails in block").status, "failed");
      assert.equal(resultsOf(run.results, host, "not reached in block").length, 0);
      assert.equal(only(run.results, host, "rescue runs").msg, "rescued");
      assert.equal(only(run.results, host, "always runs").msg, "always");

      // loop with loop_control.label
      const loop = resultsOf(run.results, host, "labelled loop");
      // `msg: "{{ item.n }}"` is the text "1", as ansible-playbook 2.14 prints it.
      assert.deepEqual(loop.map((r) => [r.item, r.msg]), [["one", "1"], ["two", "2"]]);

      // register + when, changed_when, failed_when + ignore_errors, until/retries
      // attempts only comes with until, as in Ansible.
      assert.deepEqual(only(run.results, host, "when on register").msg, ["hello", false]);
      assert.equal(only(run.results, host, "when false on register").status, "skipped");
      assert.equal(only(run.results, host, "changed_when false").status, "ok");
      const ignored = only(run.results, host, "failed_when ignored");
      assert.equal(ignored.status, "failed");
      assert.equal(ignored.ignored, true);
      assert.deepEqual(only(run.results, host, "until result").msg, ["3", 3]);
      // A module's failure, not only a command's, is the result failed_when judges.
      assert.equal(only(run.results, host, "module failure kept by failed_when").status, "ok");
      assert.deepEqual(only(run.results, host, "module failure result").msg, [false, `file not found: ${dir}/no-such-file`]);
      // ansible-playbook 2.14 prints the text "4": a number an expression gives is its text.
      assert.deepEqual(only(run.results, host, "debug var").debugVar, { "counter.stdout | int + 1": "4" });
      assert.deepEqual(only(run.results, host, "debug var undefined").debugVar, { nothing_of_that_name: "VARIABLE IS NOT DEFINED!" });
      assert.equal(readFileSync(join(dir, `count-${host}`), "utf8"), "3\n");

      // set_fact beats task vars; include_tasks with a loop_var; include_role with vars
      assert.deepEqual(only(run.results, host, "set_fact precedence").msg, ["from_set_fact", "from_set_fact"]);
      assert.equal(only(run.results, host, "included a").msg, "a");
      assert.equal(only(run.results, host, "included b").msg, "b");
      assert.equal(only(run.results, host, "greet : greet").msg, "hello role param");

      // key=value free form (mode=0640 is octal) and args:
      assert.equal(readFileSync(join(dir, `freeform-${host}.txt`), "utf8"), "k=v args");
      assert.equal(statSync(join(dir, `freeform-${host}.txt`)).mode & 0o777, 0o640);
      assert.equal(readFileSync(join(dir, `args-${host}.txt`), "utf8"), "args\n");

      // The secret reaches the host, and its diff is masked.
      assert.equal(readFileSync(join(dir, `secret-${host}.txt`), "utf8"), "password=Pw-acceptance-9f3k\n");
      const secretDiff = only(run.results, host, "secret file").diffs?.[0];
      assert.ok(secretDiff, "the secret file's change has a diff");
      assert.equal(secretDiff.after, "password=********\n");
    }

    // Each host goes through each play in the play's order (the order the terminal view lays results out by):
    // blocks, rescue, always, loops, includes with a loop, an included role, handlers at their flush point.
    for (const host of HOSTS) {
      let last: readonly number[] = [];
      for (const e of run.events) {
        if (e.type === "play_start") last = [];
        if (e.type !== "task_result" || e.host !== host) continue;
        assert.ok(e.order !== undefined, `${e.task} has no place in the play's order`);
        assert.ok(compareOrder(last, e.order) <= 0, `${host}: ${e.task} at ${JSON.stringify(e.order)} after ${JSON.stringify(last)}`);
        last = e.order;
      }
    }

    // run_once ran on one host only; delegate_to: localhost ran once per host.
    assert.equal(readFileSync(join(dir, "once.txt"), "utf8").split("\n").filter(Boolean).length, 1);
    assert.deepEqual(readFileSync(join(dir, "delegated.txt"), "utf8").split("\n").filter(Boolean).sort(), HOSTS);

    // Neither no_log output nor the secret appears anywhere in the output, even with -vvv --diff.
    // (With -vv the command line of a no_log task is still shown: see the QA report.)
    for (const host of HOSTS) {
      const { commands: _commands, ...hidden } = only(run.results, host, "hidden");
      assert.ok(!JSON.stringify(hidden).includes("hidden-output-7731"), "no_log output leaked");
    }
    assert.equal(run.stdout.split("\n").filter((line) => line.includes("hidden-output-7731")).filter((line) => !line.includes('"commands":')).length, 0);
    assert.ok(!run.stdout.includes("Pw-acceptance-9f3k") && !run.stderr.includes("Pw-acceptance-9f3k"), "the secret leaked");
  });

  test("--check changes nothing except check_mode: false tasks; plain output hides the secret too", async () => {
    const { dir, inventory } = localHosts();
    const playbook = join(fixtures, "semantics/playbook.yml");
    const run = await runRemsPlay([playbook, "-i", inventory, "-e", `base=${dir}`, "--check", "--diff"]);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    const written = readdirSync(dir).filter((name) => name !== "inventory.ini").sort();
    assert.deepEqual(written, [...HOSTS.map((h) => `checkmode-${h}`), ...HOSTS.map((h) => `here-${h}`)].sort());
    for (const host of HOSTS) assert.equal(only(run.results, host, "runs even in check mode").status, "changed");

    const plain = execFileSync(process.execPath, [remsPlayBin, playbook, "-i", inventory, "-e", `base=${dir}`, "--check", "--diff", "-vvv"], { encoding: "utf8" });
    assert.match(plain, /PLAY RECAP/);
    assert.ok(!plain.includes("Pw-acceptance-9f3k"), "the secret leaked in plain output");
    assert.ok(!plain.includes("hidden-output-7731"), "no_log output leaked in plain output");
  });
});

describe("magic variables (made once per play) on every task", () => {
  test("group_names, groups, hostvars and the ansible_ fact aliases are the same in each task", async () => {
    const { inventory } = localHosts("[db]\nh3\n");
    const show =
      "{{ [group_names, groups.web, groups.db, ansible_hostname == ansible_facts.hostname, marker | default('none'), hostvars['h3'].ansible_connection, hostvars[inventory_hostname].marker | default('none')] }}";
    const playbook = writePlaybook(
      `- hosts: web\n  tasks:\n    - name: first\n      debug:\n        msg: "${show}"\n    - name: mark\n      set_fact:\n        marker: "{{ inventory_hostname }}"\n    - name: second\n      debug:\n        msg: "${show}"\n`,
    );
    const run = await runRemsPlay([playbook, "-i", inventory]);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    const expected = (groups: string[], marker: string): unknown[] => [groups, HOSTS, ["h3"], true, marker, "local", marker];
    assert.deepEqual(only(run.results, "h1", "first").msg, expected(["web"], "none"));
    assert.deepEqual(only(run.results, "h3", "first").msg, expected(["db", "web"], "none"));
    assert.deepEqual(only(run.results, "h3", "second").msg, expected(["db", "web"], "h3"));
  });
});

describe("hostvars: another host's variables, as that host has them", () => {
  test("a template among them renders with that host's variables (its inventory_hostname, its groups), and extract reads them", async () => {
    const { inventory } = localHosts("[db]\nh3\n[all:vars]\naddress=\"{{ inventory_hostname }}.lab\"\nrole=\"{{ 'db' if 'db' in group_names else 'web' }}\"\n");
    const playbook = writePlaybook(
      `- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: peers\n      debug:\n        msg: "{{ [address, hostvars['h3'].address, hostvars['h3'].role, role, groups.web | map('extract', hostvars, 'address') | list, groups.db | map('extract', hostvars, ['role', 0]) | list, hostvars['h3'].inventory_hostname, hostvars['h2'].nothing | default('none')] }}"\n`,
    );
    const run = await runRemsPlay([playbook, "-i", inventory]);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    // ansible-playbook 2.14 prints the same list for this playbook and inventory.
    assert.deepEqual(only(run.results, "h1", "peers").msg, ["h1.lab", "h3.lab", "db", "web", ["h1.lab", "h2.lab", "h3.lab"], ["d"], "h3", "none"]);
  });
});

describe("templates and check mode at run time", () => {
  test("an undefined variable inside {% if %} and {% for %} fails the task, naming the variable, the task and the file", async () => {
    const { inventory } = localHosts();
    const playbook = writePlaybook(
      "- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: in if\n      debug:\n        msg: \"{% if missing_in_if %}y{% endif %}\"\n      ignore_errors: true\n    - name: in for\n      debug:\n        msg: \"{% for x in missing_in_for %}{{ x }}{% endfor %}\"\n",
    );
    const run = await runRemsPlay([playbook, "-i", inventory]);
    assert.equal(run.exitCode, 2);
    const inIf = only(run.results, "h1", "in if");
    assert.deepEqual([inIf.status, inIf.ignored, inIf.where], ["failed", true, `${playbook}:4:7`]);
    assert.deepEqual(inIf.error, { code: "REMS_TEMPLATE", message: `${playbook}:4:7: 'missing_in_if' is undefined` });
    assert.deepEqual(only(run.results, "h1", "in for").error, { code: "REMS_TEMPLATE", message: `${playbook}:8:7: 'missing_in_for' is undefined` });
  });

  test("in --check, a task reading a result that check mode cannot know is unknown, not a crash", async () => {
    const { inventory } = localHosts();
    const playbook = writePlaybook(
      "- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: unguarded\n      command: echo hi\n      register: out\n    - name: reads it\n      debug:\n        msg: \"{{ out.stdout }}\"\n      when: out.rc == 0\n    - name: unrelated\n      debug: msg=fine\n",
    );
    const run = await runRemsPlay([playbook, "-i", inventory, "--check"]);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    assert.deepEqual(run.results.map((r) => `${r.task} ${r.status}`), ["unguarded unknown", "reads it unknown", "unrelated ok"]);
    assert.match(only(run.results, "h1", "reads it").reason ?? "", /'out'.*cannot be known in check mode/);
  });
});

describe("hosts", () => {
  test("serial: 1 runs the hosts one after another, in inventory order", async () => {
    const { inventory } = localHosts();
    const playbook = writePlaybook("- hosts: web\n  gather_facts: false\n  serial: 1\n  tasks:\n    - name: one\n      debug: msg=1\n    - name: two\n      debug: msg=2\n");
    const run = await runRemsPlay([playbook, "-i", inventory]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(run.results.map((r) => `${r.host} ${r.task}`), ["h1 one", "h1 two", "h2 one", "h2 two", "h3 one", "h3 two"]);
  });

  test("any_errors_fatal with serial: a failure on the first batch stops the batches after it", async () => {
    const { inventory } = localHosts();
    const playbook = writePlaybook(
      "- hosts: web\n  gather_facts: false\n  serial: 1\n  any_errors_fatal: true\n  tasks:\n    - name: fails on h1\n      command: \"false\"\n      when: inventory_hostname == 'h1'\n    - name: next\n      debug: msg=x\n",
    );
    const run = await runRemsPlay([playbook, "-i", inventory]);
    assert.equal(run.exitCode, 2);
    assert.deepEqual(run.results.map((r) => `${r.host} ${r.task} ${r.status}`), ["h1 fails on h1 failed"]);
  });

  test("an unreachable host among reachable ones: the others go on, exit code 3, recap unreachable=1", async () => {
    const { inventory } = localHosts("dead ansible_host=127.0.0.1 ansible_port=1 ansible_user=root\n");
    const playbook = writePlaybook("- hosts: web\n  gather_facts: false\n  tasks:\n    - name: one\n      debug: msg=1\n    - name: two\n      debug: msg=2\n");
    const run = await runRemsPlay([playbook, "-i", inventory]);
    assert.equal(run.exitCode, 3, run.stderr);
    const dead = run.recap["dead"];
    assert.deepEqual([dead?.unreachable, dead?.ok], [1, 0]);
    for (const host of HOSTS) assert.deepEqual([run.recap[host]?.ok, run.recap[host]?.unreachable, run.recap[host]?.failed], [2, 0, 0], host);
    const unreachable = run.results.filter((r) => r.status === "unreachable");
    assert.deepEqual(unreachable.map((r) => r.host), ["dead"]);
    assert.match(unreachable[0]?.error?.message ?? "", /unreachable: connection refused/);
  });

  test("SIGINT during a task ends the run with exit code 99 and a recap", async () => {
    const { inventory } = localHosts();
    const playbook = writePlaybook("- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: sleep\n      command: sleep 60\n");
    const child = spawn(process.execPath, [remsPlayBin, playbook, "-i", inventory, "--json"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let interrupted = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
        // The task has started: interrupt it.
        if (!interrupted && stdout.includes('"type":"task_start"')) interrupted = child.kill("SIGINT");
      });
      child.on("close", resolve);
    });
    assert.equal(code, 99, stdout);
    assert.match(stdout, /"type":"recap"/);
  });
});

describe("issue 16 item 11: a failed_when on a command keeps what the command said (backup-test.yml showed no stderr)", () => {
  test("the failure names the exit code and the command's stderr, not only the condition", async () => {
    const { inventory } = localHosts();
    const playbook = writePlaybook(`
- hosts: h1
  gather_facts: false
  tasks:
    - name: restore test
      shell: echo 'gunzip - unexpected end of file' >&2; exit 3
      register: r
      failed_when: r.rc != 0 or 'ok' not in r.stdout
`);
    const run = await runRemsPlay([playbook, "-i", inventory]);
    assert.equal(run.exitCode, 2);
    const failure = only(run.results, "h1", "restore test").error?.message ?? "";
    assert.match(failure, /failed_when condition is true: r\.rc != 0 or 'ok' not in r\.stdout \(exit code 3\)\ngunzip - unexpected end of file/);
  });
});
