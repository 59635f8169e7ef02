/**
 * cron on a lab host: a job added to and removed from a crontab that has other content (which must stay byte for
 * byte), a cron_file under /etc/cron.d, a misspelled argument.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { sharedLab, type Lab } from "../../helpers/lab.js";
import { repoRoot } from "../../helpers/rems-play.js";
import { assertBadArgument, ladder, modulePlaybook, onHost } from "../../helpers/module-ladder.js";

const lab = sharedLab("e2e-cron", 1);
/** A captured crontab with comments, blank lines, variables, a hand-written job and Ansible entries. */
const existing = readFileSync(join(repoRoot, "test/golden/crontab/input.crontab"), "utf8");

async function withCron(t: Parameters<typeof lab.use>[0]): Promise<Lab | undefined> {
  const host = await lab.use(t);
  if (host) await onHost(host, "command -v crontab || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q cron; } >/dev/null 2>&1");
  return host;
}

describe("cron on a lab host", () => {
  test("adds a job to a crontab with other content, then removes it: the other lines stay byte for byte", async (t) => {
    const host = await withCron(t);
    if (!host) return;
    await onHost(host, `printf '%s' '${existing.replaceAll("'", `'"'"'`)}' | crontab -u root -`);
    assert.equal(await onHost(host, "crontab -l -u root"), `exit 0\n${existing}`);
    await ladder(host, modulePlaybook(`
- name: schedule the report
  cron: { name: rems report, user: root, minute: "5", hour: "7", job: /opt/rems/bin/report }
`), "crontab -l -u root");
    assert.equal(await onHost(host, "crontab -l -u root"), `exit 0\n${existing}#Ansible: rems report\n5 7 * * * /opt/rems/bin/report\n`);
    await ladder(host, modulePlaybook(`
- name: unschedule the report
  cron: { name: rems report, user: root, state: absent }
`), "crontab -l -u root");
    assert.equal(await onHost(host, "crontab -l -u root"), `exit 0\n${existing}`);
  });

  test("writes and removes a job in /etc/cron.d (root:root 0644, user column)", async (t) => {
    const host = await withCron(t);
    if (!host) return;
    const probe = "stat -c '%a %U %G' /etc/cron.d/rems-e2e && cat /etc/cron.d/rems-e2e";
    await ladder(host, modulePlaybook(`
- name: nightly cleanup
  cron: { name: cleanup, cron_file: rems-e2e, user: nobody, special_time: daily, job: /bin/true }
`), probe);
    assert.equal(await onHost(host, probe), "exit 0\n644 root root\n#Ansible: cleanup\n@daily nobody /bin/true\n");
    await ladder(host, modulePlaybook(`
- name: no cleanup
  cron: { name: cleanup, cron_file: rems-e2e, user: nobody, state: absent }
`), probe);
    assert.match(await onHost(host, "test -e /etc/cron.d/rems-e2e && echo present || echo absent"), /absent/);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  cron:
    jbo: /bin/true
`, `playbook.yml:6:9: task "typo": cron: unknown argument 'jbo'; did you mean 'job'?`);
  });
});
