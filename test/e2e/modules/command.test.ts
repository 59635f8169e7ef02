/** command on a lab host: a creates guard and a removes guard through the ladder, a failure, a misspelt argument. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, ladder, modulePlaybook, runPlaybook } from "../../helpers/module-ladder.js";

const lab = sharedLab("e2e-mod-command", 1);
const FLAG = "/srv/e2e-command.flag";
const PROBE = `cat ${FLAG} 2>&1`;

describe("command on a lab host", () => {
  test("creates and removes guards make it idempotent", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const { after } = await ladder(l, modulePlaybook(`
- name: create the flag
  command: { argv: [sh, -c, "echo made > ${FLAG}"], creates: ${FLAG} }
`), PROBE);
    assert.equal(after, "exit 0\nmade\n");
    await ladder(l, modulePlaybook(`
- name: remove the flag
  command: rm ${FLAG}
  args: { removes: ${FLAG} }
`), PROBE);
  });

  test("without a guard check mode reports unknown, and apply registers the output", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const playbook = modulePlaybook(`
- name: say it
  command: echo "$HOME" 'a  b'
  register: said
- name: show it
  debug: { msg: "{{ said.stdout }}" }
`);
    const check = await runPlaybook(l, playbook, "--check");
    assert.equal(check.results.find((r) => r.task === "say it")?.status, "unknown", explain(check));
    const run = await runPlaybook(l, playbook);
    assert.equal(run.exitCode, 0, explain(run));
    assert.equal(run.results.find((r) => r.task === "show it")?.msg, "$HOME a  b");
  });

  test("a non-zero exit fails the task with the exit code and stderr", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const run = await runPlaybook(l, modulePlaybook(`
- name: fail
  command: { argv: [sh, -c, "echo it broke >&2; exit 3"] }
`));
    assert.equal(run.exitCode, 2, explain(run));
    const error = run.results.find((r) => r.task === "fail")?.error;
    assert.equal(error?.code, "REMS_COMMAND_FAILED");
    assert.match(error.message, /exit code 3[\s\S]*it broke/);
  });

  test("a misspelt argument is refused before anything runs", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await assertBadArgument(l, `
- name: make it
  command:
    cmd: "true"
    creats: /tmp/x
`, `playbook.yml:7:9: task "make it": command: unknown argument 'creats'; did you mean 'creates'?`);
  });
});
