/**
 * package_facts on a lab host: in check mode and in a run, ansible_facts.packages is what dpkg lists as installed on
 * the host, read in the play's one batched probe; in check mode a package an earlier apt task would install is
 * there at apt's candidate version (the audit plans against it) while the host is left as it was; a manager other
 * than apt fails with the reason; a misspelt argument is refused.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, modulePlaybook, onHost, runPlaybook } from "../../helpers/module-ladder.js";
import { assertReadsInOneProbe, shownJson } from "../../helpers/read-only-module.js";

const lab = sharedLab("e2e-mod-package-facts", 1);
/** Small, not in the lab image, and no service of its own. */
const EXTRA = "tree";

describe("package_facts on a lab host", () => {
  test("reads dpkg's installed packages in check mode and in a run, in the one batched probe", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const listed = await onHost(l, "dpkg-query -W -f='${db:Status-Abbrev}\\t${Package}\\t${Version}\\n' | sort -u");
    const installed = Object.fromEntries(
      listed.split("\n").slice(1).filter((line) => /^.i/.test(line)).map((line) => {
        const [, name = "", version = ""] = line.split("\t");
        return [name, [{ name, version, source: "apt" }]];
      }),
    );
    assert.ok(Object.keys(installed).length > 50 && "openssh-server" in installed, listed);
    const read = modulePlaybook(`
- name: read
  package_facts:
- name: show
  debug: { msg: "{{ ansible_facts.packages | to_json }}" }
`);
    await assertReadsInOneProbe(l, read, ["read"], (run) => {
      assert.deepEqual(shownJson(run, "show"), installed, explain(run));
    });
  });

  test("in check mode, a package an apt task before it would install is listed at its candidate version", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const policy = await onHost(l, `apt-get update -qq >/dev/null; LC_ALL=C apt-cache policy ${EXTRA} | sed -n 's/^  Candidate: //p'`);
    const candidate = policy.split("\n")[1] ?? "";
    assert.match(candidate, /^\d/, policy);
    const run = await runPlaybook(l, modulePlaybook(`
- name: install
  apt: { name: ${EXTRA} }
- name: read
  package_facts: { manager: apt }
- name: show
  debug: { msg: "{{ ansible_facts.packages['${EXTRA}'] | to_json }}" }
`), "--check");
    assert.equal(run.exitCode, 0, explain(run));
    assert.deepEqual(shownJson(run, "show"), [{ name: EXTRA, version: candidate, source: "apt" }], explain(run));
    assert.equal(await onHost(l, `dpkg-query -W -f='\${db:Status-Abbrev}' ${EXTRA} 2>/dev/null | cut -c2`), "exit 0\n", "--check installed nothing");
  });

  test("a manager other than apt fails with the reason, and a misspelt argument is refused", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const run = await runPlaybook(l, modulePlaybook(`
- name: rpm
  package_facts: { manager: [rpm] }
  ignore_errors: true
`));
    assert.equal(run.exitCode, 0, explain(run));
    const result = run.results.find((r) => r.task === "rpm");
    assert.deepEqual([result?.status, result?.error?.message], ["failed", "package_facts reads dpkg (manager auto or apt) and cannot read rpm"], explain(run));
    await assertBadArgument(l, `
- name: read
  package_facts:
    manger: apt
`, `playbook.yml:6:9: task "read": package_facts: unknown argument 'manger'; did you mean 'manager'?`);
  });
});
