/**
 * timezone on lab hosts: the ladder that sets a zone and the hardware clock's local time and its reverse, a
 * misspelt argument, and the same tasks under ansible-playbook on a twin (Ansible as the oracle): statuses, then
 * the zone and clock timedatectl reports afterwards.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

// Two hosts: the ladder runs on the first, the parity case uses both as twins (rems-play on the first).
const lab = sharedLab("mod-timezone", 2);
const RESET = "timedatectl set-timezone Etc/UTC && timedatectl set-local-rtc no";
const PROBE = "LC_ALL=C timedatectl status | grep -E 'Time zone|RTC in local'; readlink /etc/localtime";

describe("timezone on a lab host", () => {
  test("sets a zone and a local-time hardware clock, then sets them back: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await onTwins(host, RESET);
    const { after } = await ladder(host, modulePlaybook(`
- name: the zone
  timezone: { name: Europe/Paris, hwclock: local }
`), PROBE);
    assert.match(after, /Time zone: Europe\/Paris .*\n +RTC in local TZ: yes\n\.\.\/usr\/share\/zoneinfo\/Europe\/Paris\n$/);
    const back = await ladder(host, modulePlaybook(`
- name: back
  community.general.timezone: name=Etc/UTC rtc=UTC
`), PROBE);
    assert.match(back.after, /Time zone: Etc\/UTC .*\n +RTC in local TZ: no\n/);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  timezone:
    nmae: Europe/Paris
`, `playbook.yml:6:9: task "typo": timezone: unknown argument 'nmae'; did you mean 'name'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: zone in check mode
      community.general.timezone: { name: Asia/Tokyo }
      check_mode: true
    - name: zone
      community.general.timezone: { name: Asia/Tokyo }
    - name: again
      timezone: { name: Asia/Tokyo }
    - name: clock
      timezone: { hwclock: local }
    - name: both again
      timezone: { name: Asia/Tokyo, rtc: local }
    - name: no such zone
      timezone: { name: Mars/Olympus }
      ignore_errors: true
    - name: neither
      timezone: {}
      ignore_errors: true
    - name: back
      timezone: { name: Etc/UTC, hwclock: UTC }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: RESET,
      ansible: ["zone in check mode=changed", "zone=changed", "again=ok", "clock=changed", "both again=ok", "no such zone=failed", "neither=failed", "back=changed"],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE);
    assert.equal(ours, theirs);
  });
});
