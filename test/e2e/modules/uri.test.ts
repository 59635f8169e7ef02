/**
 * uri on a lab host against a server on the host's loopback: GET is read-only (ok in check and apply) and made
 * over a stream sshd opens (no command on the host), redirects are followed, a wrong status fails, a POST is a
 * change, a host whose sshd allows no forwarding answers through python3, and a misspelt argument is refused.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, modulePlaybook, onHost, runPlaybook } from "../../helpers/module-ladder.js";
import { total } from "../../helpers/rems-play.js";

const lab = sharedLab("e2e-mod-uri", 1);
const PORT = 18080;

describe("uri on a lab host", () => {
  test("GET reports ok in check and apply, a wrong status fails, a POST is a change", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await onHost(l, `mkdir -p /srv/e2e-uri && echo '{"status": "ok"}' > /srv/e2e-uri/health.json && (setsid python3 -m http.server ${PORT} --bind 127.0.0.1 --directory /srv/e2e-uri >/dev/null 2>&1 &) && sleep 1`);
    const get = modulePlaybook(`
- name: health
  uri: { url: "http://127.0.0.1:${PORT}/health.json", return_content: true }
  register: health
- name: show
  debug: { msg: "{{ health.json.status }}" }
`);
    for (const mode of [["--check"], []]) {
      const run = await runPlaybook(l, get, "-vv", ...mode);
      assert.equal(run.exitCode, 0, explain(run));
      assert.equal(total(run.recap, "changed"), 0, explain(run));
      assert.equal(run.results.find((r) => r.task === "show")?.msg, "ok", explain(run));
      assert.deepEqual(run.results.find((r) => r.task === "health")?.commands, [], `no command ran on the host\n${explain(run)}`);
    }

    // http.server redirects a directory asked without its slash.
    await onHost(l, "mkdir -p /srv/e2e-uri/sub && echo hi > /srv/e2e-uri/sub/index.html");
    const redirected = await runPlaybook(l, modulePlaybook(`
- name: sub
  uri: { url: "http://127.0.0.1:${PORT}/sub", return_content: true }
  register: sub
- name: show
  debug: { msg: "{{ sub.url }} {{ sub.redirected }} {{ sub.content | trim }}" }
`));
    assert.equal(redirected.results.find((r) => r.task === "show")?.msg, `http://127.0.0.1:${PORT}/sub/ True hi`, explain(redirected));

    // No answer: ansible 2.14's words for the reason sshd gives (strerror's, "Connection refused").
    const closed = await runPlaybook(l, modulePlaybook(`
- name: closed
  uri: { url: "http://127.0.0.1:9/" }
  ignore_errors: true
- name: unknown name
  uri: { url: "http://app.invalid/" }
`));
    const failure = (task: string): string | undefined => closed.results.find((r) => r.task === task)?.error?.message;
    assert.equal(failure("closed"), "Status code was -1 and not [200]: Request failed: <urlopen error [Errno 111] Connection refused>", explain(closed));
    assert.equal(failure("unknown name"), "Status code was -1 and not [200]: Request failed: <urlopen error [Errno -2] Name or service not known>", explain(closed));

    const missing = await runPlaybook(l, modulePlaybook(`
- name: missing
  uri: { url: "http://127.0.0.1:${PORT}/nope" }
`));
    assert.equal(missing.exitCode, 2, explain(missing));
    assert.equal(missing.results.find((r) => r.task === "missing")?.error?.message, `GET http://127.0.0.1:${PORT}/nope returned status 404; expected 200`);

    // http.server answers POST with 501: planned as a change in check mode, made (and checked) in apply.
    const post = modulePlaybook(`
- name: post
  uri: { url: "http://127.0.0.1:${PORT}/", method: POST, body: "x", status_code: 501 }
`);
    const planned = await runPlaybook(l, post, "--check");
    assert.equal(total(planned.recap, "changed"), 1, explain(planned));
    const made = await runPlaybook(l, post);
    assert.equal(made.exitCode, 0, explain(made));
    assert.equal(total(made.recap, "changed"), 1, explain(made));
  });

  test("a host whose sshd allows no forwarding answers through python3 on the host", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await onHost(l, `mkdir -p /srv/e2e-uri && echo '{"status": "ok"}' > /srv/e2e-uri/health.json && (setsid python3 -m http.server ${PORT + 1} --bind 127.0.0.1 --directory /srv/e2e-uri >/dev/null 2>&1 &) && sleep 1`);
    // The lab image's sshd_config has no Include line: the setting goes first in the file itself (first one wins).
    const line = "AllowTcpForwarding no # e2e-uri";
    t.after(() => onHost(l, `sed -i '/# e2e-uri$/d' /etc/ssh/sshd_config && systemctl reload ssh`));
    assert.match(await onHost(l, `sed -i '1i ${line}' /etc/ssh/sshd_config && systemctl reload ssh && sshd -T | grep -x 'allowtcpforwarding no'`), /^exit 0/);
    const run = await runPlaybook(l, modulePlaybook(`
- name: health
  uri: { url: "http://127.0.0.1:${PORT + 1}/health.json" }
  register: health
`), "-vv");
    assert.equal(run.exitCode, 0, explain(run));
    assert.deepEqual(run.results.find((r) => r.task === "health")?.commands, [`python3 - GET http://127.0.0.1:${PORT + 1}/health.json`], explain(run));
  });

  test("a misspelt argument is refused before anything runs", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await assertBadArgument(l, `
- name: health
  uri:
    url: http://127.0.0.1/
    methd: GET
`, `playbook.yml:7:9: task "health": uri: unknown argument 'methd'; did you mean 'method'?`);
  });
});
