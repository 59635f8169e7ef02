/**
 * stat on a lab host: a file, a directory, a symlink (looked at and followed), a dangling link, a FIFO and a path
 * that does not exist are read in check mode and in a run within the play's one batched probe, and each registered
 * `stat` is the one ansible-playbook 2.14 registers for the same path on the same host, field for field (atime
 * aside: reading a checksum may touch it); a misspelt argument is refused.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ansibleAvailable, runAnsiblePlaybook } from "../../helpers/ansible-playbook.js";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, modulePlaybook, onHost } from "../../helpers/module-ladder.js";
import { twinInventory } from "../../helpers/parity.js";
import { assertReadsInOneProbe, shownJson } from "../../helpers/read-only-module.js";

const lab = sharedLab("mod-stat", 1);
const DIR = "/srv/mod-stat";
const SETUP = `rm -rf ${DIR} && mkdir -p ${DIR}/dir && printf 'hello\\n' > ${DIR}/file && chown www-data:www-data ${DIR}/file && chmod 4750 ${DIR}/file && ln -s file ${DIR}/link && ln -s nowhere ${DIR}/dangling && mkfifo ${DIR}/fifo && chown 4242:4343 ${DIR}/dir`;

const TASKS = `
- name: file
  stat: { path: ${DIR}/file }
  register: file
- name: file sha256, no mime
  ansible.builtin.stat: { path: ${DIR}/file, checksum_algorithm: sha256, get_mime: false, get_md5: true }
  register: file256
- name: directory
  stat: { path: ${DIR}/dir }
  register: dir
- name: link
  stat: { path: ${DIR}/link }
  register: link
- name: link followed
  stat: { path: ${DIR}/link, follow: true }
  register: followed
- name: dangling
  stat: { path: ${DIR}/dangling }
  register: dangling
- name: fifo
  stat: { path: ${DIR}/fifo }
  register: fifo
- name: missing
  stat: path=${DIR}/nosuch
  register: missing
- name: show
  debug: { msg: "{{ [file.stat, file256.stat, dir.stat, link.stat, followed.stat, dangling.stat, fifo.stat, missing.stat] | to_json }}" }
`;
const READS = ["file", "file sha256, no mime", "directory", "link", "link followed", "dangling", "fifo", "missing"];

/** A stat result without what legitimately differs between two reads of the same path. */
function comparable(stat: unknown): unknown {
  const { atime: _atime, ...rest } = stat as Record<string, unknown>;
  return rest;
}

describe("stat on a lab host", () => {
  test("reads in check mode and in a run, in the one batched probe, what ansible-playbook reads", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    assert.equal(await onHost(l, SETUP), "exit 0\n");
    let ours: unknown[] = [];
    await assertReadsInOneProbe(l, modulePlaybook(TASKS), READS, (run) => {
      ours = shownJson(run, "show") as unknown[];
    });
    assert.deepEqual(ours.map((s) => (s as { exists: boolean }).exists), [true, true, true, true, true, true, true, false]);

    if (!ansibleAvailable(t)) return;
    const host = l.hosts[0];
    assert.ok(host);
    const dir = mkdtempSync(join(tmpdir(), "rems-stat-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "inventory.yml"), twinInventory(l, [host], {}));
    writeFileSync(join(dir, "playbook.yml"), `- hosts: all\n  gather_facts: false\n  tasks:\n${TASKS.trim().replace(/^/gm, "    ")}\n`);
    const ansible = await runAnsiblePlaybook(join(dir, "playbook.yml"), { inventory: join(dir, "inventory.yml"), knownHostsPath: l.knownHostsPath });
    assert.equal(ansible.exitCode, 0, ansible.stderr);
    const msg = ansible.results[host.name]?.find((r) => r.task === "show")?.result.msg;
    assert.equal(typeof msg, "string", ansible.stdout.slice(0, 2000));
    const shown = JSON.parse(msg as string) as unknown[];
    READS.forEach((name, i) => assert.deepEqual(comparable(ours[i]), comparable(shown[i]), `${name}: rems-play's stat and Ansible's`));
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await assertBadArgument(l, `
- name: typo
  stat:
    path: /etc
    get_checksums: false
`, `playbook.yml:7:9: task "typo": stat: unknown argument 'get_checksums'; did you mean 'get_checksum'?`);
  });
});
