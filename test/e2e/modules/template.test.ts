/** template on a lab host: render with host variables, drift shown by --check --diff, removal, a misspelt argument. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, ladder, modulePlaybook, onHost, runPlaybook } from "../../helpers/module-ladder.js";
import { total } from "../../helpers/rems-play.js";

const lab = sharedLab("e2e-mod-template", 1);
const DEST = "/srv/e2e-template/motd";
const PROBE = `stat -c '%a %U %G' ${DEST} 2>&1; sha256sum ${DEST} 2>&1`;

describe("template on a lab host", () => {
  test("render, drift, then remove, each through the ladder", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const host = l.hosts[0]?.name ?? "";
    const playbook = modulePlaybook(
      `
- name: the directory
  file: { path: /srv/e2e-template, state: directory }
- name: the motd
  template: { src: motd.j2, dest: ${DEST}, mode: "0644", backup: true }
`,
      { "templates/motd.j2": "Welcome to {{ inventory_hostname }}\n" },
    );
    await ladder(l, playbook, PROBE);
    assert.equal(await onHost(l, `cat ${DEST}`), `exit 0\nWelcome to ${host}\n`);

    await onHost(l, `echo edited by hand > ${DEST}`);
    const edited = await onHost(l, PROBE);
    const drift = await runPlaybook(l, playbook, "--check", "--diff");
    assert.equal(drift.exitCode, 0, explain(drift));
    const changed = drift.results.filter((r) => r.status === "changed");
    assert.deepEqual(changed.map((r) => [r.task, r.summary]), [["the motd", `write ${DEST}`]]);
    assert.deepEqual(changed[0]?.diffs?.map((d) => [d.before, d.after]), [["edited by hand\n", `Welcome to ${host}\n`]]);
    assert.equal(await onHost(l, PROBE), edited, "check --diff left the host as it was");

    const repair = await runPlaybook(l, playbook);
    assert.equal(total(repair.recap, "changed"), 1, explain(repair));
    assert.equal(await onHost(l, `cat ${DEST}.*~`), "exit 0\nedited by hand\n", "backup keeps the replaced file");

    await ladder(l, modulePlaybook(`
- name: remove it
  file: { path: /srv/e2e-template, state: absent }
`), PROBE);
  });

  test("a misspelt argument is refused before anything runs", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await assertBadArgument(l, `
- name: the motd
  template:
    src: motd.j2
    dst: /etc/motd
`, `playbook.yml:7:9: task "the motd": template: unknown argument 'dst'; did you mean 'dest'?`);
  });
});
