/**
 * The task keywords and variables published roles use (issue 14), with Ansible as the oracle: each case runs the
 * same playbook under rems-play on two lab hosts (lab1, lab2) and under ansible-playbook 2.14 on their twins
 * (lab3, lab4), at the same time, and asserts what Ansible itself reports, the same per-task statuses on each host
 * pair (test/helpers/parity.ts), and the same end state on each pair (host names made neutral: each tool's first
 * host is H1, its second H2).
 *
 *  a. `action:` free-form and mapping, `local_action:`, `- name:` with no value, `debug: var=` ({name: value}).
 *  b. run_once on the first host in play order, its result registered (and set_fact set) on every host, the other
 *     hosts reporting nothing; delegate_to another inventory host (facts stay the delegating host's), files made
 *     on the delegate, delegate_facts.
 *  c. async with poll: waits for the command; one that outlives its time fails; throttle: 1 runs one host at a time.
 *  d. handler `listen`: two handlers notified by one topic.
 *  e. remote_user on the play (the login user when no ansible_user is set) and on a task and a block.
 *  f. role_name, ansible_role_name, role_path, ansible_managed in a template; CPU, fips, selinux, user, env,
 *     date_time and facts.d facts (JSON, INI and executable), from the one gather-facts probe.
 *  g. connection: local on the play runs its tasks on the controller; ssh or smart on a task or a block, and a
 *     later play without the keyword, on the host.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { hostname } from "node:os";
import { describe, test } from "node:test";
import type { TestContext } from "node:test";
import { ansibleAvailable } from "../../helpers/ansible-playbook.js";
import { sharedLab } from "../../helpers/lab.js";
import type { Lab, LabHost } from "../../helpers/lab.js";
import { assertSameStatuses, PLAYBOOK, runTwins } from "../../helpers/parity.js";
import type { ParityCase, ParityRun, TwinRuns } from "../../helpers/parity.js";

// Four hosts: lab1 and lab2 for rems-play, lab3 and lab4 for ansible-playbook.
const lab = sharedLab("kw-keywords", 4);

interface KeywordCase extends ParityCase {
  /** Run on all four hosts first. */
  reset: string;
  /** What ansible-playbook reports on its first and its second host ("task=status" rows). */
  ansible: readonly [readonly string[], readonly string[]];
  /** A command whose output, names made neutral, must be the same on each host pair afterwards. */
  state?: string;
}

interface KeywordRun {
  lab: Lab;
  twins: TwinRuns;
}

/** Each host's rows of RUN as "task=status", hosts in name order. */
function rowsByHost(run: ParityRun): string[][] {
  return Object.keys(run.hosts)
    .sort()
    .map((host) => (run.hosts[host] ?? []).map((row) => `${row.task}${row.item === undefined ? "" : `[${row.item}]`}=${row.status}`));
}

/** Runs COMMAND as root on each of HOSTS; their outputs, or a throw naming the host that failed. */
async function onHosts(l: Lab, hosts: readonly LabHost[], command: string): Promise<string[]> {
  return Promise.all(
    hosts.map(async (host) => {
      const result = await l.ssh(host.name, command);
      if (result.code !== 0) throw new Error(`${host.name}: \`${command}\` exited ${result.code}: ${result.stderr}`);
      return result.stdout;
    }),
  );
}

/** TEXT with each tool's host names made neutral: the first host of HOSTS is H1, the second H2. */
function neutral(text: string, hosts: readonly LabHost[]): string {
  return hosts.reduce((out, host, index) => out.replace(new RegExp(`\\b${host.name}\\b`, "g"), `H${index + 1}`), text);
}

async function keywordCase(t: TestContext, c: KeywordCase): Promise<KeywordRun | undefined> {
  if (!ansibleAvailable(t)) return undefined;
  const l = await lab.use(t);
  if (!l) return undefined;
  await onHosts(l, l.hosts, c.reset);
  const twins = await runTwins(l, { hostsPerTool: 2, ...c });
  t.after(() => rmSync(twins.dir, { recursive: true, force: true }));
  t.diagnostic(`ansible-playbook ${Math.round(twins.ansibleMs)} ms, rems-play ${Math.round(twins.remsMs)} ms`);
  const why = `\n${twins.ansibleRun.stderr}`;
  assert.deepEqual(rowsByHost(twins.ansible), c.ansible.map((rows) => [...rows]), `ansible-playbook's own statuses${why}`);
  assertSameStatuses(twins.rems, twins.ansible);
  if (c.state !== undefined) {
    const rems = await onHosts(l, twins.remsHosts, c.state);
    const ansible = await onHosts(l, twins.ansibleHosts, c.state);
    assert.deepEqual(rems.map((out) => neutral(out, twins.remsHosts)), ansible.map((out) => neutral(out, twins.ansibleHosts)), "end state");
  }
  return { lab: l, twins };
}

const play = (body: string, head = "gather_facts: false", handlers = ""): string => `- name: keywords
  hosts: all
  ${head}
  tasks:
${body.replace(/^/gm, "    ").replace(/^ +$/gm, "")}${handlers === "" ? "" : `  handlers:\n${handlers.replace(/^/gm, "    ").replace(/^ +$/gm, "")}`}
`;

describe("task keywords and variables of published roles, as ansible-playbook runs them (issue 14)", () => {
  test("a. action and local_action forms, a null name, debug var", async (t) => {
    const files = {
      [PLAYBOOK]: play(`- name:
  debug: msg=hi
- action: command echo action
  register: freeform
  changed_when: false
- action:
    module: command
    cmd: echo mapped
  register: mapped
  changed_when: false
- local_action: command echo local
  register: local
  changed_when: false
- debug: var=freeform.stdout
- copy:
    content: "{{ freeform.stdout }} {{ mapped.stdout }} {{ local.stdout }}\\n"
    dest: /tmp/kw-action
`),
    };
    const rows = ["debug=ok", "command=ok", "command=ok", "command=ok", "debug=ok", "copy=changed"];
    const run = await keywordCase(t, { files, reset: "rm -f /tmp/kw-action", ansible: [rows, rows], state: "cat /tmp/kw-action" });
    if (!run) return;
    // debug var shows the variable by its name, as Ansible's result does.
    const shown = run.twins.remsRun.results.filter((r) => r.debugVar !== undefined).map((r) => r.debugVar);
    const ansibleShown = Object.values(run.twins.ansibleRun.results).flatMap((results) => results.filter((r) => "freeform.stdout" in r.result).map((r) => ({ "freeform.stdout": r.result["freeform.stdout"] })));
    assert.deepEqual(shown, ansibleShown);
    assert.deepEqual(shown, [{ "freeform.stdout": "action" }, { "freeform.stdout": "action" }]);
  });

  test("b. run_once on the first host, shared; delegate_to another inventory host; delegate_facts", async (t) => {
    const files = {
      [PLAYBOOK]: play(`- name: first host only
  command: hostname
  register: first
  run_once: true
  changed_when: false
- name: everyone knows the first host
  copy: { content: "first {{ first.stdout }}\\n", dest: /tmp/kw-first }
- name: once, set for all
  set_fact: { once_fact: "{{ inventory_hostname }}" }
  run_once: true
- name: run on the other host
  shell: echo "{{ ansible_hostname }} $(hostname)"
  delegate_to: "{{ ansible_play_hosts_all[1] }}"
  register: delegated
  changed_when: false
- name: a file on the other host
  copy: { content: "from {{ inventory_hostname }}\\n", dest: "/tmp/kw-from-{{ inventory_hostname }}" }
  delegate_to: "{{ ansible_play_hosts_all[1] }}"
- name: facts to the other host
  set_fact: { given: "yes" }
  delegate_to: "{{ ansible_play_hosts_all[1] }}"
  delegate_facts: true
- name: what each host knows
  copy:
    content: "{{ once_fact }} {{ delegated.stdout }} {{ hostvars[ansible_play_hosts_all[0]].given | default('none') }} {{ hostvars[ansible_play_hosts_all[1]].given | default('none') }}\\n"
    dest: /tmp/kw-known
`, "gather_facts: true"),
    };
    const both = ["everyone knows the first host=changed", "run on the other host=ok", "a file on the other host=changed", "facts to the other host=ok", "what each host knows=changed"];
    const first = ["Gathering Facts=ok", "first host only=ok", ...both.slice(0, 1), "once, set for all=ok", ...both.slice(1)];
    const run = await keywordCase(t, {
      files,
      reset: "rm -f /tmp/kw-first /tmp/kw-known /tmp/kw-from-*",
      ansible: [first, ["Gathering Facts=ok", ...both]],
      state: "cat /tmp/kw-first /tmp/kw-known; ls /tmp/kw-from-* 2>/dev/null || true",
    });
    if (!run) return;
    const [h1, h2] = await onHosts(run.lab, run.twins.remsHosts, "cat /tmp/kw-known; ls /tmp/kw-from-* 2>/dev/null || true");
    // set_fact's "yes" is a boolean, as Ansible's.
    assert.equal(neutral(h1 ?? "", run.twins.remsHosts), "H1 H1 H2 none True\n");
    assert.equal(neutral(h2 ?? "", run.twins.remsHosts), "H1 H2 H2 none True\n/tmp/kw-from-H1\n/tmp/kw-from-H2\n");
    // The delegated results say where they ran, as Ansible's "changed: [lab1 -> lab2]".
    assert.ok(run.twins.remsRun.results.some((r) => r.host === run.twins.remsHosts[0]?.name && r.delegatedTo === run.twins.remsHosts[1]?.name));
  });

  test("c. async with poll waits for the command or fails it after its time; throttle: 1 runs one host at a time", async (t) => {
    const files = {
      [PLAYBOOK]: play(`- name: waits for the command
  command: sleep 1
  async: 20
  poll: 1
  register: waited
- name: outlives its time
  command: sleep 10
  async: 2
  poll: 1
  ignore_errors: true
- name: one host at a time
  shell: date +%s%N > /tmp/kw-t-start; sleep 1; date +%s%N > /tmp/kw-t-end
  throttle: 1
- copy: { content: "rc {{ waited.rc }}\\n", dest: /tmp/kw-async }
`),
    };
    const rows = ["waits for the command=changed", "outlives its time=failed", "one host at a time=changed", "copy=changed"];
    const run = await keywordCase(t, { files, reset: "rm -f /tmp/kw-t-* /tmp/kw-async", ansible: [rows, rows], state: "cat /tmp/kw-async" });
    if (!run) return;
    const failed = run.twins.remsRun.results.find((r) => r.task === "outlives its time");
    assert.match(failed?.error?.message ?? "", /async task did not complete within the requested time - 2s/);
    for (const hosts of [run.twins.remsHosts, run.twins.ansibleHosts]) {
      const spans = (await onHosts(run.lab, hosts, "cat /tmp/kw-t-start /tmp/kw-t-end")).map((out) => out.trim().split("\n").map(Number)).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
      const [[, firstEnd = 0] = [], [secondStart = 0] = []] = spans;
      assert.ok(secondStart >= firstEnd, `${hosts.map((h) => h.name).join(", ")}: the throttled task ran on both hosts at once (${JSON.stringify(spans)})`);
    }
  });

  test("d. handlers listen: one topic notifies two handlers", async (t) => {
    const files = {
      [PLAYBOOK]: play(`- name: change
  command: echo x
  notify: restart stack
`, "gather_facts: false", `- name: one
  debug: msg=one
  listen: restart stack
- name: two
  command: echo two
  listen: [restart stack]
`),
    };
    const rows = ["change=changed", "one=ok", "two=changed"];
    await keywordCase(t, { files, reset: "true", ansible: [rows, rows] });
  });

  test("e. remote_user on the play logs in as that user; on a task or a block, as theirs", async (t) => {
    const files = {
      [PLAYBOOK]: play(`- command: id -un
  register: play_user
  changed_when: false
- command: id -un
  remote_user: root
  register: task_user
  changed_when: false
- block:
    - command: id -un
      register: block_user
      changed_when: false
  remote_user: root
- copy: { content: "{{ play_user.stdout }} {{ task_user.stdout }} {{ block_user.stdout }}\\n", dest: /tmp/kw-users }
`, "gather_facts: false\n  remote_user: kwuser"),
    };
    const rows = ["command=ok", "command=ok", "command=ok", "copy=changed"];
    await keywordCase(t, {
      files,
      // A login user with root's key; the inventory names no ansible_user, so the keyword decides.
      reset: "rm -f /tmp/kw-users; id kwuser >/dev/null 2>&1 || useradd -m -s /bin/sh kwuser; install -d -o kwuser -m 700 /home/kwuser/.ssh; install -o kwuser -m 600 /root/.ssh/authorized_keys /home/kwuser/.ssh/authorized_keys",
      hostVars: { ansible_user: undefined },
      ansible: [rows, rows],
      state: "cat /tmp/kw-users; stat -c %U /tmp/kw-users",
    });
  });

  test("g. connection: local on the play runs on the controller; a task's or a block's ssh or smart, and the next play, on the host", async (t) => {
    const files = {
      [PLAYBOOK]: `${play(`- command: uname -n
  register: controller
  changed_when: false
- command: uname -n
  connection: ssh
  register: remote
  changed_when: false
- block:
    - command: uname -n
      register: block_remote
      changed_when: false
  connection: smart
`, "gather_facts: false\n  connection: local")}${play(`- copy: { content: "{{ controller.stdout }} {{ remote.stdout }} {{ block_remote.stdout }}\\n", dest: /tmp/kw-connection }
`)}`,
    };
    const rows = ["command=ok", "command=ok", "command=ok", "copy=changed"];
    // Each host's file names this machine (the first command ran on the controller), then the host (task, block).
    const state = `read -r ran_on remote block </tmp/kw-connection; [ "$ran_on" = "${hostname()}" ] && [ "$remote" = "$(uname -n)" ] && [ "$block" = "$remote" ] && echo controller-then-host`;
    const run = await keywordCase(t, { files, reset: "rm -f /tmp/kw-connection", ansible: [rows, rows], state });
    if (!run) return;
    const states = await onHosts(run.lab, run.twins.remsHosts, state);
    assert.deepEqual(states, ["controller-then-host\n", "controller-then-host\n"]);
  });

  test("f. role and template variables, and the facts roles read, the same under both tools", async (t) => {
    const files = {
      [PLAYBOOK]: `- name: keywords
  hosts: all
  roles: [kwrole]
`,
      "roles/kwrole/tasks/main.yml": "- template: { src: facts.j2, dest: /tmp/kw-facts }\n",
      "roles/kwrole/templates/facts.j2": `# {{ ansible_managed }}
role={{ role_name }} {{ ansible_role_name }} {{ role_path | basename }}
cpu={{ ansible_processor_count }} {{ ansible_processor_cores }} {{ ansible_processor_vcpus }} {{ ansible_processor_threads_per_core }}
fips={{ 'yes' if ansible_fips else 'no' }} selinux={{ ansible_selinux.status }}
user={{ ansible_user_id }} {{ ansible_user_uid }} {{ ansible_user_dir }} {{ ansible_user_shell }} home={{ ansible_env.HOME }}
local={{ ansible_local.site.color }} {{ ansible_local.ini.main.answer }} {{ ansible_local.exec.ran }}
date={{ ansible_date_time.tz }} {{ ansible_date_time.tz_offset }} {{ ansible_date_time.date | length }} {{ ansible_date_time.epoch | length }}
`,
    };
    const rows = ["Gathering Facts=ok", "kwrole : template=changed"];
    const facts = [
      "rm -rf /tmp/kw-facts /etc/ansible/facts.d && mkdir -p /etc/ansible/facts.d",
      `echo '{"color": "blue"}' > /etc/ansible/facts.d/site.fact`,
      `printf '[main]\\nAnswer = 42\\n' > /etc/ansible/facts.d/ini.fact`,
      `printf '#!/bin/sh\\necho "{\\\\"ran\\\\": true}"\\n' > /etc/ansible/facts.d/exec.fact && chmod +x /etc/ansible/facts.d/exec.fact`,
    ].join(" && ");
    const run = await keywordCase(t, { files, reset: facts, ansible: [rows, rows], state: "cat /tmp/kw-facts" });
    if (!run) return;
    const [written] = await onHosts(run.lab, run.twins.remsHosts.slice(0, 1), "cat /tmp/kw-facts");
    assert.match(written ?? "", /^# Ansible managed\nrole=kwrole kwrole kwrole\n/);
    assert.match(written ?? "", /\nlocal=blue 42 True\n/);
  });
});
