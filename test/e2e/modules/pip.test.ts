/**
 * pip on lab hosts without PyPI: Debian's python3-pip and python3-venv installed first, and a wheelhouse of tiny
 * wheels (test/fixtures/pip/make-wheels.py) on each host that every install reads with `--no-index --find-links`.
 * The ladder that installs a pinned package into a new virtualenv and its reverse, a misspelt argument, and the
 * same kind of tasks under ansible-playbook on a twin (Ansible as the oracle): statuses, then what is installed.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase, preparedTwins } from "../../helpers/parity.js";
import { repoRoot } from "../../helpers/rems-play.js";

// Two hosts: the ladder runs on the first, the parity case uses both as twins (rems-play on the first).
const lab = sharedLab("aptp-pip", 2);
const WHEELS = "/srv/aptp-wheels";
const FIND = `--no-index --find-links ${WHEELS}`;
const MAKE_WHEELS = readFileSync(join(repoRoot, "test/fixtures/pip/make-wheels.py"), "utf8");
const PREPARE = `python3 -c 'import venv, ensurepip, pip' 2>/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-pip python3-venv; } >/dev/null 2>&1; mkdir -p ${WHEELS} && python3 - ${WHEELS} tinypkg==1.0 tinypkg==2.0 otherpkg==1.0 <<'PY'\n${MAKE_WHEELS}PY`;
// The ladder's virtualenv has a space in its path: pip and the venv's pip must each stay one word to the shell.
const SPACED_VENV = "/opt/aptp venv";
const RESET = `rm -rf /opt/aptp-venv '${SPACED_VENV}' /opt/aptp-req.txt`;
const probe = (venv: string): string => `ls '${venv}/bin/activate' 2>&1; '${venv}/bin/pip' list --format=freeze 2>/dev/null | grep -E '^(tiny|other)pkg=='; true`;
const PROBE = probe("/opt/aptp-venv");
const withWheels = preparedTwins(lab, PREPARE);

describe("pip on a lab host", () => {
  test("installs a pinned package into a new virtualenv (a path with a space), then uninstalls it: check, apply, check, apply", async (t) => {
    const host = await withWheels(t);
    if (!host) return;
    await onTwins(host, RESET);
    const { after } = await ladder(host, modulePlaybook(`
- name: tinypkg 1.0
  pip: { name: tinypkg, version: "1.0", virtualenv: ${SPACED_VENV}, virtualenv_command: python3 -m venv, extra_args: ${FIND} }
`), probe(SPACED_VENV));
    assert.equal(after, `exit 0\n${SPACED_VENV}/bin/activate\ntinypkg==1.0\n`);
    const removed = await ladder(host, modulePlaybook(`
- name: no tinypkg
  ansible.builtin.pip: name=tinypkg state=absent virtualenv='${SPACED_VENV}'
`), probe(SPACED_VENV));
    assert.equal(removed.after, `exit 0\n${SPACED_VENV}/bin/activate\n`);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await withWheels(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  pip:
    name: tinypkg
    virtualenvv: /opt/aptp-venv
`, `playbook.yml:7:9: task "typo": pip: unknown argument 'virtualenvv'; did you mean 'virtualenv'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    const host = await withWheels(t);
    if (!host) return;
    const venv = `virtualenv: /opt/aptp-venv, extra_args: ${FIND}`;
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: a new virtualenv in check mode
      pip: { name: tinypkg, virtualenv: /opt/aptp-venv, virtualenv_command: python3 -m venv }
      check_mode: true
    - name: virtualenv's command is not installed
      pip: { name: tinypkg, ${venv} }
      ignore_errors: true
    - name: tinypkg below 2 in a new virtualenv
      ansible.builtin.pip: { name: "tinypkg<2", virtualenv_command: python3 -m venv, ${venv} }
    - name: tinypkg below 2 again
      pip: { name: ["tinypkg>=1.0", "<2"], ${venv} }
    - name: latest
      pip: { name: tinypkg, state: latest, ${venv} }
    - name: latest again
      pip: { name: tinypkg, state: latest, ${venv} }
    - name: a requirements file
      copy: { dest: /opt/aptp-req.txt, content: "otherpkg\\ntinypkg>=2\\n" }
    - name: requirements
      pip: { requirements: /opt/aptp-req.txt, ${venv} }
    - name: requirements again
      pip: { requirements: /opt/aptp-req.txt, ${venv} }
    - name: forcereinstall
      pip: { name: otherpkg, state: forcereinstall, ${venv} }
    - name: a version with a specifier
      pip: { name: "tinypkg>1", version: "2.0", ${venv} }
      ignore_errors: true
    - name: both gone
      pip: { name: [otherpkg, tinypkg], state: absent, virtualenv: /opt/aptp-venv }
    - name: both gone again
      pip: { name: [otherpkg, tinypkg], state: absent, virtualenv: /opt/aptp-venv }
    - name: Debian's python refuses pip installs
      pip: { name: tinypkg, extra_args: ${FIND} }
      ignore_errors: true
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: RESET,
      ansible: [
        "a new virtualenv in check mode=changed", "virtualenv's command is not installed=failed", "tinypkg below 2 in a new virtualenv=changed", "tinypkg below 2 again=ok",
        "latest=changed", "latest again=ok", "a requirements file=changed", "requirements=changed", "requirements again=ok", "forcereinstall=changed",
        "a version with a specifier=failed", "both gone=changed", "both gone again=ok", "Debian's python refuses pip installs=failed",
      ],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE);
    assert.equal(ours, theirs);
    assert.equal(ours, "/opt/aptp-venv/bin/activate\n");
  });
});
