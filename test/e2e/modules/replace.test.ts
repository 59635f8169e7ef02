/**
 * replace on lab hosts: the ladder that edits a config file (two tasks on one file, the second planned in check
 * mode against what the first would write), a misspelt argument, and Ansible's forms (groups, after/before, a
 * section that matches nothing, an attribute-only change, validate, a missing file) under ansible-playbook on a
 * twin, in check mode and for real (Ansible as the oracle): statuses, and the same files afterwards.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

// Two hosts: the ladder runs on the first, the parity case uses them as twins (rems-play on the first).
const lab = sharedLab("em-replace", 2);
const FILE = "/srv/mod-re/app.conf";
const PROBE = `cat ${FILE}; stat -c '%a %U:%G' ${FILE}`;

describe("replace on a lab host", () => {
  test("edits a config file: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await onTwins(host, `rm -rf /srv/mod-re && mkdir -p /srv/mod-re && printf 'Listen 80\\n#Listen 81\\nListen 8080\\n' > ${FILE}`);
    const { after } = await ladder(host, modulePlaybook(`
- name: bind to localhost
  replace: { path: ${FILE}, regexp: '^Listen (\\d+)$', replace: 'Listen 127.0.0.1:\\1' }
- name: the comment goes, and the mode
  ansible.builtin.replace: { dest: ${FILE}, regexp: '^#Listen 81\\n', mode: "0640" }
`), PROBE);
    assert.equal(after, "exit 0\nListen 127.0.0.1:80\nListen 127.0.0.1:8080\n640 root:root\n");
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  replace:
    path: /etc/hosts
    regex: x
`, `playbook.yml:7:9: task "typo": replace: unknown argument 'regex'; did you mean 'regexp'?`);
  });

  // The same edit again: ok for Ansible after the real edit; in check mode Ansible plans it on the unchanged file
  // (changed) where rems-play plans it on what the edit before would leave (ok), so the check case leaves it out.
  const AGAIN = `    - name: again
      replace: { path: /srv/mod-re2/app.ini, after: '\\[main\\]', before: '\\[other\\]', regexp: '^x=1$', replace: x=2 }
`;
  const playbook = (again: string): string => `- hosts: all
  gather_facts: false
  tasks:
    - name: groups by name and number
      replace: { path: /srv/mod-re2/app.ini, regexp: '^(?P<key>name) = (\\w+)$', replace: '\\g<key>=\\2' }
    - name: between after and before
      replace: { path: /srv/mod-re2/app.ini, after: '\\[main\\]', before: '\\[other\\]', regexp: '^x=1$', replace: x=2 }
${again}    - name: trailing blanks at every line end
      replace: { path: /srv/mod-re2/app.ini, regexp: '\\s+$', replace: '' }
    - name: a section that is not there, with a mode
      replace: { path: /srv/mod-re2/app.ini, after: nothere, regexp: x, mode: "0600" }
    - name: only the mode
      replace: { path: /srv/mod-re2/app.ini, regexp: nothing, mode: "0640" }
    - name: a validation that fails
      replace: { path: /srv/mod-re2/app.ini, regexp: x, replace: y, validate: "grep -q nothing %s" }
      ignore_errors: true
    - name: a file that does not exist
      replace: { path: /srv/mod-re2/none.ini, regexp: x }
      ignore_errors: true
`;
  const ansible = [
    "groups by name and number=changed", "between after and before=changed", "again=ok",
    "trailing blanks at every line end=changed", "a section that is not there, with a mode=ok", "only the mode=changed", "a validation that fails=failed",
    "a file that does not exist=failed",
  ];
  const PROBE_TWINS = "cd /srv/mod-re2 && stat -c '%a %U:%G' app.ini && cat app.ini";

  const reset = "rm -rf /srv/mod-re2 && mkdir /srv/mod-re2 && printf 'x=1\\n[main]\\nx=1\\nname = a\\n[other]\\nx=1\\n#trailing  \\n' > /srv/mod-re2/app.ini";

  test("does what ansible-playbook does, task by task, in check mode", async (t) => {
    // Ansible's check mode does not run validate: the edit it would make is a change.
    const run = await runOracleCase(t, lab, {
      files: { [PLAYBOOK]: playbook("") },
      reset,
      check: true,
      diff: true,
      ansible: ansible.filter((row) => row !== "again=ok").map((row) => row.replace("a validation that fails=failed", "a validation that fails=changed")),
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE_TWINS);
    assert.equal(ours, theirs);
    assert.equal(ours, "644 root:root\nx=1\n[main]\nx=1\nname = a\n[other]\nx=1\n#trailing  \n", "check mode left the file as it was");
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const run = await runOracleCase(t, lab, { files: { [PLAYBOOK]: playbook(AGAIN) }, reset, ansible });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE_TWINS);
    assert.equal(ours, theirs);
  });
});
