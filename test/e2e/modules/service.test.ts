/**
 * service on lab hosts: the start/enable ladder and its reverse, a misspelt argument, and the same tasks under
 * ansible-playbook on a twin (Ansible as the oracle): statuses, the warning for arguments systemd ignores, the
 * failure to stop a service that does not exist, and the end state.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab, type Lab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook, onHost } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

// Two hosts: the ladder runs on both, the parity case uses them as twins (rems-play on the first).
const lab = sharedLab("mod-service", 2);
const PROBE = "systemctl is-active mod-svc.service; systemctl is-enabled mod-svc.service";
const UNIT = "[Unit]\\nDescription=rems e2e\\n[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n";
const INSTALL = `test -f /etc/systemd/system/mod-svc.service || { printf '${UNIT}' > /etc/systemd/system/mod-svc.service && systemctl daemon-reload; }`;

async function withUnit(t: Parameters<typeof lab.use>[0]): Promise<Lab | undefined> {
  const host = await lab.use(t);
  if (host) await onTwins(host, INSTALL);
  return host;
}

describe("service on a lab host", () => {
  test("starts and enables a service: check, apply, check, apply", async (t) => {
    const host = await withUnit(t);
    if (!host) return;
    await ladder(host, modulePlaybook(`
- name: run mod-svc
  service: { name: mod-svc, state: started, enabled: true }
`), PROBE);
    assert.match(await onHost(host, PROBE), /^exit 0\nactive\nenabled\n$/);
  });

  test("stops and disables it (the aliases: unit, args): check, apply, check, apply", async (t) => {
    const host = await withUnit(t);
    if (!host) return;
    await ladder(host, modulePlaybook(`
- name: stop mod-svc
  ansible.builtin.service: unit=mod-svc state=stopped enabled=no args=-x
`), PROBE);
    assert.match(await onHost(host, PROBE), /inactive\ndisabled\n$/);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  service:
    stat: started
`, `playbook.yml:6:9: task "typo": service: unknown argument 'stat'; did you mean 'state'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: install the unit
      copy: { dest: /etc/systemd/system/mod-svc2.service, content: "${UNIT}" }
    - name: start and enable it
      service: { name: mod-svc2, state: started, enabled: true, daemon_reload: true }
    - name: again
      service: { name: mod-svc2, state: started, enabled: true }
    - name: restart with init script arguments
      service: { name: mod-svc2, state: restarted, sleep: 1, pattern: sleep }
    - name: stop and disable it
      ansible.builtin.service: { name: mod-svc2, state: stopped, enabled: false }
    - name: stop a service that does not exist
      service: { name: mod-nosuch, state: stopped }
      ignore_errors: true
`,
    };
    const reset = "systemctl disable --now mod-svc2.service 2>/dev/null; rm -f /etc/systemd/system/mod-svc2.service; systemctl daemon-reload";
    const run = await runOracleCase(t, lab, {
      files,
      reset,
      ansible: ["install the unit=changed", "start and enable it=changed", "again=ok", "restart with init script arguments=changed", "stop and disable it=changed", "stop a service that does not exist=failed"],
    });
    if (!run) return;
    for (const ignored of ["sleep", "pattern"]) {
      const warning = `Ignoring "${ignored}" as it is not used in "systemd"`;
      assert.ok(run.twins.ansibleRun.stderr.replace(/\s+/g, " ").includes(warning), `ansible warns: ${warning}`);
      const restart = run.twins.remsRun.results.find((r) => r.task === "restart with init script arguments");
      assert.ok(restart?.warnings?.includes(warning), `rems-play warns: ${warning}`);
    }
    assert.deepEqual(await onTwins(run.lab, "systemctl is-active mod-svc2.service; systemctl is-enabled mod-svc2.service; true"), ["inactive\ndisabled\n", "inactive\ndisabled\n"]);
  });
});
