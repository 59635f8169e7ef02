/**
 * ufw on a lab host (its own network namespace): the refusal to enable without an SSH rule, rules and enable, then
 * delete and disable, a misspelled argument.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab, type Lab } from "../../helpers/lab.js";
import { assertBadArgument, explain, ladder, modulePlaybook, onHost, runPlaybook } from "../../helpers/module-ladder.js";

const lab = sharedLab("e2e-ufw", 1);
const PROBE = "ufw status verbose; grep '^### tuple' /etc/ufw/user.rules";

async function withUfw(t: Parameters<typeof lab.use>[0]): Promise<Lab | undefined> {
  const host = await lab.use(t);
  if (host) await onHost(host, "command -v ufw || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ufw; } >/dev/null 2>&1");
  return host;
}

describe("ufw on a lab host", () => {
  test("refuses to enable a firewall that denies incoming with no rule for the SSH port", async (t) => {
    const host = await withUfw(t);
    if (!host) return;
    const before = await onHost(host, PROBE);
    const run = await runPlaybook(host, modulePlaybook(`
- name: enable
  ufw: { state: enabled }
`));
    assert.equal(run.exitCode, 2, explain(run));
    const failed = run.results.find((r) => r.status === "failed");
    assert.match(failed?.error?.message ?? "", /^refusing to enable the firewall: incoming traffic would be denied and no rule allows SSH on port 22\/tcp/);
    assert.equal(await onHost(host, PROBE), before, "the firewall was not touched");
  });

  test("allows SSH and 8080, denies incoming by default and enables the firewall: check, apply, check, apply", async (t) => {
    const host = await withUfw(t);
    if (!host) return;
    await ladder(host, modulePlaybook(`
- name: ssh
  ufw: { rule: allow, port: "22", proto: tcp }
- name: app
  ufw: { rule: allow, port: "8080", proto: tcp, comment: rems e2e }
- name: deny by default
  ufw: { default: deny, direction: incoming }
- name: enable
  ufw: { state: enabled }
`), PROBE);
    assert.match(await onHost(host, "ufw status"), /Status: active[\s\S]*8080\/tcp +ALLOW +Anywhere +# rems e2e/);
  });

  test("deletes the 8080 rule and disables the firewall: check, apply, check, apply", async (t) => {
    const host = await withUfw(t);
    if (!host) return;
    await ladder(host, modulePlaybook(`
- name: no app
  ufw: { rule: allow, port: "8080", proto: tcp, delete: true }
- name: disable
  ufw: { state: disabled }
`), PROBE);
    assert.match(await onHost(host, PROBE), /Status: inactive/);
    assert.doesNotMatch(await onHost(host, PROBE), /8080/);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  ufw:
    rul: allow
`, `playbook.yml:6:9: task "typo": ufw: unknown argument 'rul'; did you mean 'rule'?`);
  });
});
