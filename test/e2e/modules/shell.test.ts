/** shell on a lab host: pipes and redirections with a creates guard through the ladder, then a removes guard. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";

const lab = sharedLab("e2e-mod-shell", 1);
const OUT = "/srv/e2e-shell.txt";
const PROBE = `cat ${OUT} 2>&1`;

describe("shell on a lab host", () => {
  test("a pipe into a file, guarded by creates, then removed, guarded by removes", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const { after } = await ladder(l, modulePlaybook(`
- name: count
  shell: printf 'a\\nb\\n' | wc -l > ${OUT}
  args: { creates: ${OUT}, chdir: /srv }
`), PROBE);
    assert.equal(after, "exit 0\n2\n");
    await ladder(l, modulePlaybook(`
- name: clean
  shell: { cmd: "rm -f ${OUT}", removes: ${OUT}, executable: /bin/bash }
`), PROBE);
  });

  test("a misspelt argument is refused before anything runs", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await assertBadArgument(l, `
- name: count
  shell:
    cmd: "true"
    chdri: /srv
`, `playbook.yml:7:9: task "count": shell: unknown argument 'chdri'; did you mean 'chdir'?`);
  });
});
