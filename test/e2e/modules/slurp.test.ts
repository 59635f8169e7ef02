/**
 * slurp on a lab host: a text file, a binary file and an empty file are read in check mode and in a run, and the
 * registered content is what `base64` says on the host; the reads ride the play's one batched probe (one round
 * trip more than a play without them, and no command of the module's own); a missing file, a directory and a file
 * the probing user may not read fail with Ansible's messages; a misspelt argument is refused.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab, type Lab } from "../../helpers/lab.js";
import { assertBadArgument, explain, modulePlaybook, onHost, runPlaybook } from "../../helpers/module-ladder.js";
import { assertReadsInOneProbe, shownJson } from "../../helpers/read-only-module.js";
import { writePlaybook } from "../../helpers/rems-play.js";

const lab = sharedLab("e2e-mod-slurp", 1);
const DIR = "/srv/e2e-slurp";

/** What `base64 -w0 FILE` prints on the host; it must succeed. */
async function base64On(l: Lab, file: string): Promise<string> {
  const output = await onHost(l, `base64 -w0 ${file}`);
  assert.ok(output.startsWith("exit 0\n"), output);
  return output.slice("exit 0\n".length);
}

describe("slurp on a lab host", () => {
  test("reads files in check mode and in a run as base64 does on the host, in the one batched probe", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const setup = await onHost(l, `rm -rf ${DIR} && mkdir -p ${DIR} && printf 'sk-%s\\n' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \\n')" > ${DIR}/key.txt && head -c 5000 /dev/urandom > ${DIR}/random.bin && : > ${DIR}/empty`);
    assert.equal(setup, "exit 0\n");
    const expected = {
      text: await base64On(l, `${DIR}/key.txt`),
      binary: await base64On(l, `${DIR}/random.bin`),
      decoded: (await onHost(l, `cat ${DIR}/key.txt`)).slice("exit 0\n".length).trimEnd(),
    };
    assert.equal(await base64On(l, `${DIR}/empty`), "");

    const read = modulePlaybook(`
- name: text
  slurp: { src: ${DIR}/key.txt }
  register: text
- name: binary
  ansible.builtin.slurp: { path: ${DIR}/random.bin }
  register: binary
- name: empty
  slurp: { src: ${DIR}/empty }
  register: empty
- name: show
  debug: { msg: "{{ [text, binary, empty] | to_json }}" }
- name: decoded
  debug: { msg: "{{ text.content | b64decode | trim }}" }
`);
    await assertReadsInOneProbe(l, read, ["text", "binary", "empty"], (run) => {
      assert.equal(run.results.find((r) => r.task === "text")?.reason, `read ${expected.decoded.length + 1} bytes of ${DIR}/key.txt`);
      const [text = {}, binary = {}, empty = {}] = shownJson(run, "show") as Record<string, unknown>[];
      assert.deepEqual([text.changed, text.content, text.encoding, text.source], [false, expected.text, "base64", `${DIR}/key.txt`]);
      assert.deepEqual([binary.content, binary.encoding, binary.source], [expected.binary, "base64", `${DIR}/random.bin`]);
      assert.deepEqual([empty.content, empty.encoding, empty.source], ["", "base64", `${DIR}/empty`]);
      assert.equal(run.results.find((r) => r.task === "decoded")?.msg, expected.decoded);
    });
  });

  test("fails with Ansible's messages on a missing file, a directory, no src and a file the probing user may not read", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    assert.equal(await onHost(l, `mkdir -p ${DIR}/dir && printf 'secret\\n' > ${DIR}/private && chmod 600 ${DIR}/private && chmod 755 ${DIR}`), "exit 0\n");
    const run = await runPlaybook(l, modulePlaybook(`
- name: missing
  slurp: { src: ${DIR}/missing }
  ignore_errors: true
- name: directory
  slurp: { src: ${DIR}/dir }
  ignore_errors: true
- name: no src
  slurp: {}
  ignore_errors: true
`));
    assert.equal(run.exitCode, 0, explain(run));
    assert.deepEqual(Object.fromEntries(run.results.map((r) => [r.task, [r.status, r.ignored, r.error?.message]])), {
      missing: ["failed", true, `file not found: ${DIR}/missing`],
      directory: ["failed", true, `source is a directory and must be a file: ${DIR}/dir`],
      // Both spellings at once (src and path) are refused at load, as every alias is (test/unit/load/arg-aliases.test.ts).
      "no src": ["failed", true, "missing required arguments: src"],
    }, explain(run));

    // Probes run as the play's become user: nobody may not read a root-only file.
    const asNobody = writePlaybook(`- hosts: all
  gather_facts: false
  become: true
  become_user: nobody
  tasks:
    - name: private
      slurp: { src: ${DIR}/private }
`);
    const denied = await runPlaybook(l, asNobody, "--check");
    assert.equal(denied.exitCode, 2, explain(denied));
    assert.equal(denied.results.find((r) => r.task === "private")?.error?.message, `file is not readable: ${DIR}/private`, explain(denied));
  });

  test("a misspelt argument is refused before anything runs", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await assertBadArgument(l, `
- name: read
  slurp:
    scr: ${DIR}/key.txt
`, `playbook.yml:6:9: task "read": slurp: unknown argument 'scr'; did you mean 'src'?`);
  });
});
