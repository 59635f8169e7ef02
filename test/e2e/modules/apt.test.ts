/** apt on a lab host: install and remove a small package (the ladder both ways), the dpkg lock wait, a misspelled argument. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, ladder, modulePlaybook, onHost, runPlaybook } from "../../helpers/module-ladder.js";
import { total } from "../../helpers/rems-play.js";

const lab = sharedLab("e2e-apt", 1);
const PROBE = "dpkg-query -W -f='${Status} ${Version}\\n' tree";

describe("apt on a lab host", () => {
  test("installs a package, updating a stale cache first: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await ladder(host, modulePlaybook(`
- name: install tree
  apt: { name: [tree], update_cache: true, cache_valid_time: 3600 }
`), PROBE);
    assert.match(await onHost(host, PROBE), /install ok installed/);
  });

  test("removes it again with purge: check, apply, check, apply", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await ladder(host, modulePlaybook(`
- name: remove tree
  apt: { name: tree, state: absent, purge: true }
`), PROBE);
    assert.doesNotMatch(await onHost(host, PROBE), /install ok installed/);
  });

  test("waits for the dpkg lock another apt run holds instead of failing", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    // Another apt run: a process holding dpkg's frontend lock (fcntl, as apt takes it) for a few seconds.
    const tryLock = `python3 -c "import fcntl; f = open('/var/lib/dpkg/lock-frontend', 'w'); fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)"`;
    await onHost(host, `nohup python3 -c "import fcntl, time; f = open('/var/lib/dpkg/lock-frontend', 'w'); fcntl.lockf(f, fcntl.LOCK_EX); time.sleep(8)" >/dev/null 2>&1 &`);
    await onHost(host, `for i in $(seq 50); do ${tryLock} 2>/dev/null || break; sleep 0.1; done`);
    assert.doesNotMatch(await onHost(host, `${tryLock} 2>&1`), /^exit 0\n/, "the lock is held when the task starts");
    const run = await runPlaybook(host, modulePlaybook(`
- name: install sl while dpkg is locked
  apt: { name: sl }
`));
    assert.equal(run.exitCode, 0, explain(run));
    assert.equal(total(run.recap, "changed"), 1);
    assert.match(await onHost(host, "dpkg-query -W -f='${Status}' sl"), /install ok installed/);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  apt:
    nmae: tree
`, `playbook.yml:6:9: task "typo": apt: unknown argument 'nmae'; did you mean 'name'?`);
  });
});
