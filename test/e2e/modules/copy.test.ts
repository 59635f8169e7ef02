/** copy on a lab host: content, a directory tree, backup and validate, and a misspelt argument. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, ladder, modulePlaybook, onHost, runPlaybook } from "../../helpers/module-ladder.js";
import { total } from "../../helpers/rems-play.js";

const lab = sharedLab("e2e-mod-copy", 1);
const BASE = "/srv/e2e-copy";
/** Mode, owner, group and checksum of everything under BASE: what the tasks change. */
const PROBE = `cd ${BASE} 2>/dev/null && find . -printf '%p %m %u %g\\n' | sort && find . -type f -exec sha256sum {} + | sort || echo absent`;

describe("copy on a lab host", () => {
  test("content: create, then remove, each through the whole ladder", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const create = modulePlaybook(`
- name: the directory
  file: { path: ${BASE}, state: directory }
- name: the env file
  copy:
    content: "SECRET_KEY=lab\\n"
    dest: ${BASE}/rems.env
    owner: www-data
    mode: u=rw,g=r,o=
`);
    const { after } = await ladder(l, create, PROBE);
    assert.match(after, /^\.\/rems\.env 640 www-data root$/m);
    assert.match(after, /^6b0139539f176b05bc75709a45a292d3b4824753c1f9a86eab9c4e5a0ac2bb69 {2}\.\/rems\.env$/m);

    const { after: removed } = await ladder(l, modulePlaybook(`
- name: remove it all
  file: { path: ${BASE}, state: absent }
`), PROBE);
    assert.equal(removed, "exit 0\nabsent\n");
  });

  test("a directory tree is shipped, and then only a changed file is sent again", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const files = { "files/app/main.py": "print('rems')\n", "files/app/static/site.css": "body { margin: 0; }\n" };
    const playbook = modulePlaybook(`
- name: ship the app
  copy: { src: app/, dest: ${BASE}/app, owner: www-data, mode: "u=rwX,g=rX,o=" }
`, files);
    const { after } = await ladder(l, playbook, PROBE);
    assert.match(after, /^\.\/app\/static 750 www-data root$/m);
    assert.match(after, /^\.\/app\/main\.py 640 www-data root$/m);

    await onHost(l, `echo tampered > ${BASE}/app/static/site.css`);
    const repair = await runPlaybook(l, playbook, "--diff");
    assert.equal(repair.exitCode, 0, explain(repair));
    const result = repair.results.find((r) => r.task === "ship the app");
    assert.equal(result?.summary, `copy 1 file under ${BASE}/app`);
    assert.deepEqual(result.diffs?.map((d) => [d.before, d.after]), [["tampered\n", "body { margin: 0; }\n"]]);
    assert.equal(await onHost(l, `cat ${BASE}/app/static/site.css`), "exit 0\nbody { margin: 0; }\n");
  });

  test("a failing validate leaves dest untouched; backup keeps the old file", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const CONF_DIR = "/srv/e2e-copy-validate";
    await onHost(l, `mkdir -p ${CONF_DIR} && printf 'port = 80\\n' > ${CONF_DIR}/app.conf`);
    const write = (validate: string): string => modulePlaybook(`
- name: the config
  copy: { content: "port = 8000\\n", dest: ${CONF_DIR}/app.conf, backup: true, validate: "${validate}" }
`);
    const rejected = await runPlaybook(l, write("grep -q nonexistent %s"));
    assert.equal(rejected.exitCode, 2, explain(rejected));
    assert.equal(await onHost(l, `cat ${CONF_DIR}/app.conf; ls -A ${CONF_DIR}`), "exit 0\nport = 80\napp.conf\n");

    const accepted = await runPlaybook(l, write("grep -q 8000 %s"));
    assert.equal(accepted.exitCode, 0, explain(accepted));
    assert.equal(total(accepted.recap, "changed"), 1);
    assert.equal(await onHost(l, `cat ${CONF_DIR}/app.conf; cat ${CONF_DIR}/app.conf.*~`), "exit 0\nport = 8000\nport = 80\n");
  });

  test("a misspelt argument is refused before anything runs", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await assertBadArgument(l, `
- name: the env file
  copy:
    content: "x"
    dset: /tmp/x
`, `playbook.yml:7:9: task "the env file": copy: unknown argument 'dset'; did you mean 'dest'?`);
  });
});
