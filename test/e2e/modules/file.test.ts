/** file on a lab host: directory with owner and mode, symlink, recursive modes, removal, a misspelt argument. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook, onHost } from "../../helpers/module-ladder.js";

const lab = sharedLab("e2e-mod-file", 1);
const BASE = "/srv/e2e-file";
const PROBE = `cd ${BASE} 2>/dev/null && find . -printf '%p %y %m %u %g %l\\n' | sort || echo absent`;

describe("file on a lab host", () => {
  test("directory and link, then absent, each through the ladder", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const { after } = await ladder(l, modulePlaybook(`
- name: the base
  file: { path: ${BASE}, state: directory, owner: www-data, group: www-data, mode: "0750" }
- name: the releases
  file: { path: ${BASE}/releases/1, state: directory }
- name: the current link
  file: { path: ${BASE}/current, src: ${BASE}/releases/1, state: link }
`), PROBE);
    assert.match(after, /^\. d 750 www-data www-data $/m);
    assert.match(after, /^\.\/current l 777 root root \/srv\/e2e-file\/releases\/1$/m);

    await onHost(l, `touch ${BASE}/releases/1/run.sh && chmod 0700 ${BASE}/releases/1/run.sh && touch ${BASE}/releases/1/data && chmod 0600 ${BASE}/releases/1/data`);
    const { after: modes } = await ladder(l, modulePlaybook(`
- name: readable releases
  file: { path: ${BASE}/releases, state: directory, recurse: true, mode: "u=rwX,g=rX,o=rX" }
`), PROBE);
    assert.match(modes, /^\.\/releases\/1\/run\.sh f 755 root root $/m);
    assert.match(modes, /^\.\/releases\/1\/data f 644 root root $/m);

    const { after: removed } = await ladder(l, modulePlaybook(`
- name: remove it
  file: { path: ${BASE}, state: absent }
`), PROBE);
    assert.equal(removed, "exit 0\nabsent\n");
  });

  test("a misspelt argument is refused before anything runs", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await assertBadArgument(l, `
- name: the base
  file:
    pth: /srv/x
    state: directory
`, `playbook.yml:6:9: task "the base": file: unknown argument 'pth'; did you mean 'path'?`);
  });
});
