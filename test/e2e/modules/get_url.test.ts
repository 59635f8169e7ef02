/**
 * get_url on lab hosts, each downloading from a python3 http.server it runs itself on 127.0.0.1 (started and
 * stopped by the test, so no traffic leaves the lab host): the ladder of a download with a checksum and a mode, a
 * misspelt argument, and the same tasks under ansible-playbook on a twin (Ansible as the oracle): statuses, then
 * the downloaded files afterwards.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import type { TestContext } from "node:test";
import { sharedLab, type Lab } from "../../helpers/lab.js";
import { assertBadArgument, ladder, modulePlaybook } from "../../helpers/module-ladder.js";
import { onTwins, PLAYBOOK, runOracleCase } from "../../helpers/parity.js";

// Two hosts: the ladder runs on the first, the parity case uses both as twins (rems-play on the first).
const lab = sharedLab("mod-get-url", 2);
const SERVED = "/srv/get-url";
const CONTENT = "rems release 1\n";
const DIGEST = createHash("sha256").update(CONTENT).digest("hex");
const URL = "http://127.0.0.1:8088/release.txt";
const UP = "(exec 3<>/dev/tcp/127.0.0.1/8088) 2>/dev/null";
// A unit of its own name each time (the shell's pid), collected when it stops: a stopped unit of the same name may
// still be loaded for a moment, and systemd-run refuses to start it again then.
const SERVE = `mkdir -p ${SERVED} && printf '%s' '${CONTENT}' > ${SERVED}/release.txt && touch -d '2026-01-01 00:00' ${SERVED}/release.txt && { ${UP} || systemd-run -q -G --unit=get-url-http-$$ --working-directory=${SERVED} python3 -m http.server 8088 --bind 127.0.0.1; } && for i in $(seq 50); do ${UP} && break; sleep 0.1; done`;
const STOP = `systemctl stop 'get-url-http-*'; rm -rf ${SERVED}`;
const PROBE = "find /tmp/get-url -type f -printf '%p %m %s\\n' 2>/dev/null | sort; sha256sum /tmp/get-url/* 2>/dev/null; true";
/** The lab with both hosts serving, until the test T ends. */
async function withServer(t: TestContext): Promise<Lab | undefined> {
  const host = await lab.use(t);
  if (!host) return undefined;
  t.after(() => onTwins(host, STOP));
  await onTwins(host, SERVE);
  return host;
}

describe("get_url on a lab host", () => {
  test("downloads a file with a checksum and a mode: check, apply, check, apply", async (t) => {
    const host = await withServer(t);
    if (!host) return;
    await onTwins(host, "rm -rf /tmp/get-url && mkdir /tmp/get-url");
    const { after: state } = await ladder(host, modulePlaybook(`
- name: the release
  get_url: { url: "${URL}", dest: /tmp/get-url/release.txt, checksum: "sha256:${DIGEST}", mode: "0640" }
`), PROBE);
    assert.equal(state, `exit 0\n/tmp/get-url/release.txt 640 ${CONTENT.length}\n${DIGEST}  /tmp/get-url/release.txt\n`);
  });

  test("a misspelled argument is an input error with its location", async (t) => {
    const host = await lab.use(t);
    if (!host) return;
    await assertBadArgument(host, `
- name: typo
  get_url:
    url: ${URL}
    dset: /tmp/x
`, `playbook.yml:7:9: task "typo": get_url: unknown argument 'dset'; did you mean 'dest'?`);
  });

  test("does what ansible-playbook does, task by task", async (t) => {
    if (!(await withServer(t))) return;
    const files = {
      [PLAYBOOK]: `- hosts: all
  gather_facts: false
  tasks:
    - name: download in check mode
      get_url: { url: "${URL}", dest: /tmp/get-url/release.txt }
      check_mode: true
    - name: download
      get_url: { url: "${URL}", dest: /tmp/get-url/release.txt, mode: "0640" }
    - name: again, not modified
      get_url: { url: "${URL}", dest: /tmp/get-url/release.txt }
    - name: with its checksum
      ansible.builtin.get_url: { url: "${URL}", dest: /tmp/get-url/release.txt, checksum: "sha256:${DIGEST}" }
    - name: forced, same bytes
      get_url: { url: "${URL}", dest: /tmp/get-url/release.txt, force: true }
    - name: into a directory
      get_url: { url: "${URL}", dest: /tmp/get-url/ }
    - name: a wrong checksum
      get_url: { url: "${URL}", dest: /tmp/get-url/other.txt, checksum: "sha256:${"0".repeat(64)}" }
      ignore_errors: true
    - name: not there
      get_url: { url: "http://127.0.0.1:8088/missing.txt", dest: /tmp/get-url/missing.txt }
      ignore_errors: true
    - name: a new release upstream
      shell: printf 'rems release 2\\n' > ${SERVED}/release.txt && touch -d tomorrow ${SERVED}/release.txt
    - name: the new release
      get_url: { url: "${URL}", dest: /tmp/get-url/release.txt }
`,
    };
    const run = await runOracleCase(t, lab, {
      files,
      reset: `rm -rf /tmp/get-url && mkdir /tmp/get-url && ${SERVE.replace("mkdir -p", `rm -rf ${SERVED} && mkdir -p`)}`,
      ansible: [
        "download in check mode=changed", "download=changed", "again, not modified=ok", "with its checksum=ok", "forced, same bytes=ok",
        "into a directory=ok", "a wrong checksum=failed", "not there=failed", "a new release upstream=changed", "the new release=changed",
      ],
    });
    if (!run) return;
    const [ours, theirs] = await onTwins(run.lab, PROBE);
    assert.equal(ours, theirs);
    assert.match(ours, /\/tmp\/get-url\/release.txt 640 15\n/);
  });
});
