/**
 * service_facts on a lab host, with Ansible as the oracle: on twin hosts with a unit that failed, a masked one and
 * a template, rems-play and ansible-playbook 2.14 return the same ansible_facts.services (every init script and
 * service unit, with the same name, state, status and source); rems-play reads them in check mode and in a run in
 * its one batched probe, with no command of the module's own; an argument is refused, as Ansible takes none.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";
import { assertReadsInOneProbe, shownJson } from "../../helpers/read-only-module.js";

// Twins for the oracle case; one host for rems-play's own checks (the one-probe count is per host).
const twins = sharedLab("mdb-service-facts", 2);
const lab = sharedLab("mdb-service-facts-read", 1);

// A unit that failed, a masked one, and a template with an instance: the statuses Ansible reads differently. A unit
// that failed while the twins booted (systemd-remount-fs may, in a container) is forgotten first, on both alike.
const UNITS = [
  "systemctl reset-failed",
  "printf '[Service]\\nExecStart=/bin/false\\n' >/etc/systemd/system/e2e-fails.service",
  "printf '[Service]\\nExecStart=/bin/sleep 600\\n' >/etc/systemd/system/e2e-sleeps@.service",
  "systemctl daemon-reload",
  "systemctl mask e2e-masked.service >/dev/null 2>&1",
  "systemctl start e2e-sleeps@one.service",
  "(systemctl start e2e-fails.service || true)",
].join(" && ");

describe("service_facts on a lab host", () => {
  test("returns what ansible-playbook's service_facts returns on the twin host", async (t) => {
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: read
      service_facts:
    - name: keep
      copy: { content: "{{ ansible_facts.services | to_json }}", dest: /tmp/e2e-services.json }
`,
    };
    const run = await runOracleCase(t, twins, { files, reset: `rm -f /tmp/e2e-services.json; ${UNITS}`, ansible: ["read=ok", "keep=changed"] });
    if (!run) return;
    const [rems, ansible] = (await onTwins(run.lab, "cat /tmp/e2e-services.json")).map((text) => JSON.parse(text) as Record<string, Record<string, unknown>>);
    assert.ok(rems !== undefined && ansible !== undefined);
    const differs = Object.keys({ ...rems, ...ansible }).filter((name) => JSON.stringify(rems[name]) !== JSON.stringify(ansible[name]));
    assert.deepEqual(differs.map((name) => [name, rems[name], ansible[name]]), [], "services that differ");
    assert.deepEqual(rems, ansible);
    // The twins had what makes the case: a failed unit, a masked one, a running instance of a template.
    assert.deepEqual(
      [ansible["e2e-fails.service"]?.status, ansible["e2e-masked.service"]?.status, ansible["e2e-sleeps@one.service"]?.state, ansible["e2e-sleeps@.service"]?.state, ansible.ssh?.source],
      ["failed", "masked", "running", "unknown", "sysv"],
    );
  });

  test("reads in check mode and in a run, in the one batched probe", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const read = modulePlaybook(`
- name: read
  ansible.builtin.service_facts:
- name: show
  debug: { msg: "{{ ansible_facts.services['ssh.service'] | to_json }}" }
`);
    await assertReadsInOneProbe(l, read, ["read"], (run) => {
      assert.deepEqual(shownJson(run, "show"), { name: "ssh.service", state: "running", status: "enabled", source: "systemd" }, explain(run));
    });
  });

  test("an argument is refused before anything runs", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await assertBadArgument(l, `
- name: read
  service_facts:
    name: ssh
`, `playbook.yml:6:9: task "read": service_facts: unknown argument 'name'`);
  });
});
