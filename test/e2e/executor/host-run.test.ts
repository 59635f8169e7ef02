/**
 * What a HostRun keeps for a host across an interruption, and how runs share a host, on a real lab host:
 *  - handlers notified by a changed task survive an interrupted run (SIGINT after the change, before the
 *    handler): the audit in between reports the handler as pending, the next normal run runs it at the play's flush (after the tasks, which may set what it uses) and the
 *    service restarts; Ansible loses them;
 *  - one run at a time per host: two runs started together finish one after the other (the second says it waits),
 *    a run that cannot wait long enough fails clearly, and a run whose controller dies releases the lock;
 *  - two apps deployed to one host by the same playbook keep their own run records: a hand edit in one is drift
 *    of that app only, a playbook change pending for that app only, and each knows when it was last converged.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RunEvent } from "../../../engine/events.js";
import { sharedLab } from "../../helpers/lab.js";
import { runRemsPlay, total, writePlaybook } from "../../helpers/rems-play.js";

const lab = sharedLab("e2e-exec-hostrun", 1);

// systemd reads % as a specifier: %% is a literal %.
const SERVICE = `[Unit]
Description=rems-play handler test service
[Service]
ExecStart=/bin/sh -c 'date +%%s%%N > /run/rp-demo.started; exec sleep infinity'
[Install]
WantedBy=multi-user.target
`;

const HANDLER_PLAYBOOK = `
- name: demo service
  hosts: all
  gather_facts: false
  tasks:
    - name: unit file
      copy:
        dest: /etc/systemd/system/rp-demo.service
        content: ${JSON.stringify(SERVICE)}
      notify: restart demo
    - name: config
      copy:
        dest: /etc/rp-demo.conf
        content: "version {{ version }}\\n"
      notify: restart demo
    - name: slow step
      command: sleep 30
      changed_when: false
      when: slow | default(false) | bool
  handlers:
    - name: restart demo
      systemd:
        name: rp-demo
        state: restarted
        daemon_reload: true
`;

const isResult = (event: RunEvent, task: string, status: string): boolean =>
  event.type === "task_result" && event.task === task && event.status === status;

describe("a host's run state on a lab host", () => {
  test("handlers notified before an interrupt run in the next run; the audit between reports them pending", async (t) => {
    const up = await lab.use(t);
    if (!up) return;
    const playbook = writePlaybook(HANDLER_PLAYBOOK);
    const args = [playbook, "-i", up.inventoryPath];
    const started = async (): Promise<string> => (await up.ssh("lab1", "cat /run/rp-demo.started")).stdout.trim();

    const first = await runRemsPlay([...args, "-e", "version=1"]);
    assert.equal(first.exitCode, 0, first.stdout + first.stderr);
    const before = await started();
    assert.match(before, /^\d+$/, "the handler started the service");

    // Version 2: interrupt once the config changed, while the slow step runs and before the handler.
    const interrupted = await runRemsPlay([...args, "-e", "version=2", "-e", "slow=true"], {
      onEvent: (event, signal) => {
        if (isResult(event, "config", "changed")) setTimeout(() => signal("SIGINT"), 300);
      },
    });
    assert.equal(interrupted.exitCode, 99, interrupted.stdout + interrupted.stderr);
    assert.ok(!interrupted.results.some((r) => r.task === "restart demo"), "the handler did not run");
    assert.equal(await started(), before, "the service was not restarted");
    assert.match((await up.ssh("lab1", "cat /var/lib/rems-play/runs/playbook.lab1.json")).stdout, /"pendingHandlers"[^}]*"demo service"[^}]*"restart demo"/);

    const audit = await runRemsPlay([...args, "-e", "version=2", "--check", "--detailed-exitcode"]);
    assert.equal(audit.exitCode, 10, "the pending handler is a difference the audit reports");
    const pending = audit.results.find((r) => r.task === "restart demo");
    assert.equal(pending?.status, "changed");
    assert.equal(pending.drift, "pending");
    assert.match(pending.reason ?? "", /earlier run that stopped before its handlers ran/);
    assert.equal(await started(), before, "--check changed nothing");

    const next = await runRemsPlay([...args, "-e", "version=2"]);
    assert.equal(next.exitCode, 0, next.stdout + next.stderr);
    const restarted = next.results.findIndex((r) => r.task === "restart demo");
    assert.equal(restarted, next.results.length - 1, "the pending handler runs at the play's flush, after its tasks");
    assert.equal(next.results[restarted]?.status, "changed");
    assert.notEqual(await started(), before, "the service was restarted");
    assert.doesNotMatch((await up.ssh("lab1", "cat /var/lib/rems-play/runs/playbook.lab1.json")).stdout, /pendingHandlers/);

    const clean = await runRemsPlay([...args, "-e", "version=2", "--check"]);
    assert.equal(total(clean.recap, "changed"), 0, JSON.stringify(clean.results.filter((r) => r.status === "changed")));
  });

  test("two runs on one host take turns; a run that cannot wait fails clearly; a dead run releases the lock", async (t) => {
    const up = await lab.use(t);
    if (!up) return;
    await up.ssh("lab1", "rm -f /tmp/rp-lock.log");
    const playbook = writePlaybook(`
- hosts: all
  gather_facts: false
  tasks:
    - shell: echo "start {{ run_id }}" >> /tmp/rp-lock.log
    - command: sleep {{ hold | default(3) }}
      changed_when: false
    - shell: echo "end {{ run_id }}" >> /tmp/rp-lock.log
`);
    const run = (id: string, ...extra: string[]) => runRemsPlay([playbook, "-i", up.inventoryPath, "-e", `run_id=${id}`, ...extra]);

    const a = run("a", "-e", "hold=4");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const b = run("b", "-e", "hold=0");
    const c = run("c", "--lock-wait", "1");
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    assert.equal(ra.exitCode, 0, ra.stdout + ra.stderr);
    assert.equal(rb.exitCode, 0, rb.stdout + rb.stderr);
    assert.ok(rb.events.some((e) => e.type === "warning" && /another rems-play run holds this host/.test(e.message)), "the second run says it waits");
    assert.equal(rc.exitCode, 2, "a run that cannot wait fails the host");
    const lockError = rc.results.find((r) => r.status === "failed")?.error;
    assert.equal(lockError?.code, "REMS_HOST_LOCK");
    assert.match(lockError.message, /held lab1's run lock .* for more than 1 s/);
    const log = (await up.ssh("lab1", "cat /tmp/rp-lock.log")).stdout;
    assert.equal(log, "start a\nend a\nstart b\nend b\n", "one run after the other, never interleaved");

    // A controller killed outright (no chance to release) leaves no lock behind: the connection's end frees it.
    const killed = await runRemsPlay([playbook, "-i", up.inventoryPath, "-e", "run_id=k", "-e", "hold=60"], {
      onEvent: (event, signal) => {
        if (event.type === "task_start" && event.name.startsWith("command")) setTimeout(() => signal("SIGKILL"), 300);
      },
    });
    assert.notEqual(killed.exitCode, 0);
    const after = await run("d", "-e", "hold=0", "--lock-wait", "10");
    assert.equal(after.exitCode, 0, after.stdout + after.stderr);
  });

  test("two apps on one host keep their own run records", async (t) => {
    const up = await lab.use(t);
    if (!up) return;
    const playbook = writePlaybook(`
- hosts: all
  gather_facts: false
  tasks:
    - name: app directory
      file: { path: "/srv/rp-{{ app_name }}", state: directory }
    - name: app settings
      copy: { dest: "/srv/rp-{{ app_name }}/settings", content: "{{ setting | default('one') }}\\n" }
`);
    const run = (app: string, ...extra: string[]) => runRemsPlay([playbook, "-i", up.inventoryPath, "-e", `app_name=${app}`, ...extra]);
    const lastApplied = (r: Awaited<ReturnType<typeof run>>): string | undefined =>
      r.events.flatMap((e) => (e.type === "host_state" ? [e.lastApplied?.at] : []))[0];
    const changed = (r: Awaited<ReturnType<typeof run>>) => r.results.filter((x) => x.status === "changed").map((x) => `${x.task} ${x.drift ?? ""}`.trim());

    assert.equal((await run("alpha")).exitCode, 0);
    assert.equal((await run("beta")).exitCode, 0);
    const alpha = await run("alpha", "--check");
    const beta = await run("beta", "--check");
    assert.ok(lastApplied(alpha) !== undefined && lastApplied(beta) !== undefined && lastApplied(alpha) !== lastApplied(beta), "each app's own last run");
    assert.deepEqual([changed(alpha), changed(beta)], [[], []]);

    await up.ssh("lab1", "echo edited by hand > /srv/rp-alpha/settings");
    assert.deepEqual(changed(await run("alpha", "--check")), ["app settings drift"], "a hand edit in alpha is alpha's drift");
    assert.deepEqual(changed(await run("beta", "--check")), [], "and nothing of beta's");
    assert.deepEqual(changed(await run("beta", "--check", "-e", "setting=two")), ["app settings pending"], "a playbook change is pending for beta");
    assert.match((await up.ssh("lab1", "ls /var/lib/rems-play/runs/")).stdout, /playbook@alpha\.lab1\.json\nplaybook@beta\.lab1\.json/);
  });
});

