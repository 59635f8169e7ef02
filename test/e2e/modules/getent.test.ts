/**
 * getent on a lab host: a user, a group and the whole hosts database are looked up in check mode and in a run, and
 * the registered ansible_facts are what getent prints on the host; the lookups ride the play's one batched probe
 * (one round trip more than a play without them, and no command of the module's own); a key not found, an unknown
 * database and a database that cannot be listed fail with Ansible's messages; a misspelt argument is refused.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab, type Lab } from "../../helpers/lab.js";
import { assertBadArgument, explain, modulePlaybook, onHost, runPlaybook } from "../../helpers/module-ladder.js";
import { assertReadsInOneProbe, shownJson } from "../../helpers/read-only-module.js";

const lab = sharedLab("e2e-mod-getent", 1);
const USER = "e2e-reader";
const GROUP = "e2e-readers";

/** What `getent ARGS` prints on the host, as its lines; the command must succeed. */
async function getentLines(l: Lab, args: string): Promise<string[]> {
  const output = await onHost(l, `getent ${args}`);
  assert.ok(output.startsWith("exit 0\n"), output);
  return output.slice("exit 0\n".length).split("\n").filter((line) => line !== "");
}

/** Entries read from getent's lines as the Ansible documentation says: first field → the rest, a repeated one → all of them. */
function entries(lines: readonly string[], fields: (line: string) => string[]): Record<string, unknown> {
  const all = new Map<string, string[][]>();
  for (const line of lines) {
    const [first = "", ...rest] = fields(line);
    all.set(first, [...(all.get(first) ?? []), rest]);
  }
  return Object.fromEntries([...all].map(([first, values]) => [first, values.length === 1 ? values[0] : values]));
}

describe("getent on a lab host", () => {
  test("looks up in check mode and in a run what getent says on the host, in the one batched probe", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    assert.match(await onHost(l, `getent group ${GROUP} >/dev/null || groupadd ${GROUP}; getent passwd ${USER} >/dev/null || useradd -M -s /usr/sbin/nologin -G ${GROUP} ${USER}`), /^exit 0\n/);
    const expected = {
      user: { getent_passwd: entries(await getentLines(l, `passwd ${USER}`), (line) => line.split(":")) },
      group: { getent_group: entries(await getentLines(l, `group ${GROUP}`), (line) => line.split(":")) },
      hosts: { getent_hosts: entries(await getentLines(l, "hosts"), (line) => line.trim().split(/\s+/)) },
    };
    // The lab's /etc/hosts names 127.0.0.1 twice: the duplicate case is on the host, not only in the fixtures.
    assert.ok(Array.isArray((expected.hosts.getent_hosts["127.0.0.1"] as unknown[] | undefined)?.[0]), JSON.stringify(expected.hosts));
    assert.equal(await onHost(l, "getent passwd nosuchuser"), "exit 2\n");

    const read = modulePlaybook(`
- name: user
  getent: { database: passwd, key: ${USER} }
  register: user
- name: group
  ansible.builtin.getent: { database: group, key: ${GROUP}, service: files }
  register: group
- name: hosts
  getent: { database: hosts }
  register: hosts_db
- name: missing
  getent: { database: passwd, key: nosuchuser, fail_key: false }
  register: missing
- name: show
  debug: { msg: "{{ [user, group, hosts_db, missing] | to_json }}" }
`);
    await assertReadsInOneProbe(l, read, ["user", "group", "hosts", "missing"], (run) => {
      const [user = {}, group = {}, hosts = {}, missing = {}] = shownJson(run, "show") as Record<string, unknown>[];
      assert.deepEqual(user.ansible_facts, expected.user, explain(run));
      assert.equal(user.changed, false);
      assert.deepEqual(group.ansible_facts, expected.group);
      assert.deepEqual(hosts.ansible_facts, expected.hosts);
      assert.deepEqual(missing.ansible_facts, { getent_passwd: { nosuchuser: null } });
      assert.equal(missing.msg, "One or more supplied key could not be found in the database.");
    });
  });

  test("fails with Ansible's messages on a key not found, an unknown database and one that cannot be listed", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const run = await runPlaybook(l, modulePlaybook(`
- name: missing key
  getent: { database: passwd, key: nosuchuser }
  ignore_errors: true
- name: unknown database
  getent: { database: nosuchdb }
  ignore_errors: true
- name: not listable
  getent: { database: initgroups }
  ignore_errors: true
- name: empty split
  getent: { database: passwd, split: "" }
  ignore_errors: true
`));
    assert.equal(run.exitCode, 0, explain(run));
    const failures = Object.fromEntries(run.results.map((r) => [r.task, [r.status, r.ignored, r.error?.message]]));
    assert.deepEqual(failures, {
      "missing key": ["failed", true, "One or more supplied key could not be found in the database."],
      "unknown database": ["failed", true, "Missing arguments, or database unknown."],
      "not listable": ["failed", true, "Enumeration not supported on this database."],
      "empty split": ["failed", true, "Invalid split value. The value must be a non-empty string"],
    }, explain(run));
  });

  test("a misspelt argument is refused before anything runs", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await assertBadArgument(l, `
- name: read
  getent:
    database: passwd
    kye: root
`, `playbook.yml:7:9: task "read": getent: unknown argument 'kye'; did you mean 'key'?`);
  });
});
