/**
 * Issue 16 item 10: "A valid key that does not match the certificate is installed; the nginx reload then fails
 * with only 'Job for nginx.service failed' and the next restart takes the site down." The tls role (internal CA)
 * and the nginx role on a lab host: a key that does not match, a certificate that does not match, and a broken
 * vhost each fail their task with the validator's own message (nginx's for the vhost), while the live files, the
 * running nginx and the certificate it serves stay as they were; a new matching pair goes in in one run.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { sharedLab, type Lab } from "../../helpers/lab.js";
import { explain, onHost } from "../../helpers/module-ladder.js";
import { repoRoot, runRemsPlay, total, type RemsPlayRun } from "../../helpers/rems-play.js";

const lab = sharedLab("fil-tls-validate", 1);

/** A key and a self-signed certificate for lab1 made on the controller with openssl: [key, cert] paths. */
function keyPair(dir: string, name: string): [string, string] {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=lab1", "-keyout", key, "-out", cert], { stdio: "ignore" });
  return [key, cert];
}

/** The play: nginx installed, then the tls role (internal CA with these files) and the nginx role. */
function playbook(dir: string, key: string, cert: string, extra = ""): string {
  const path = join(dir, `site-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(path, `- hosts: all
  gather_facts: false
  vars:
    app_name: rems
    tls_mode: internal_ca
    tls_internal_ca_key_src: ${key}
    tls_internal_ca_certificate_src: ${cert}
${extra}  pre_tasks:
    - name: nginx is installed
      apt: { name: [nginx], state: present, update_cache: true, cache_valid_time: 86400 }
  roles: [tls, nginx]
`);
  return path;
}

function run(l: Lab, path: string): Promise<RemsPlayRun> {
  return runRemsPlay([path, "-i", l.inventoryPath], { env: { ANSIBLE_ROLES_PATH: join(repoRoot, "roles") } });
}

/** What must not change when a task is refused: the live files, nginx running, the certificate it serves. */
const LIVE = "sha256sum /etc/ssl/rems/rems.key /etc/ssl/rems/rems.crt /etc/nginx/sites-available/rems && ls -A /etc/ssl/rems /etc/nginx/sites-enabled && systemctl is-active nginx && " +
  "echo | openssl s_client -connect 127.0.0.1:443 2>/dev/null | openssl x509 -noout -fingerprint -sha256 && nginx -t -q";

function failure(r: RemsPlayRun): { task: string; message: string } {
  const failed = r.results.find((x) => x.status === "failed");
  assert.ok(failed, explain(r));
  return { task: failed.task, message: failed.error?.message ?? "" };
}

describe("issue 16 item 10: the tls and nginx roles validate a key, a certificate and a vhost before they go live", () => {
  test("a wrong key, a wrong certificate and a broken vhost are refused with nothing live changed; a new pair goes in", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    const dir = mkdtempSync(join(tmpdir(), "rems-tls-validate-"));
    const [keyA, certA] = keyPair(dir, "a");
    const [keyB, certB] = keyPair(dir, "b");

    const first = await run(l, playbook(dir, keyA, certA));
    assert.equal(first.exitCode, 0, explain(first));
    const live = await onHost(l, LIVE);
    assert.match(live, /^exit 0\n/, live);
    const again = await run(l, playbook(dir, keyA, certA));
    assert.equal(total(again.recap, "changed"), 0, explain(again));

    // The case: a valid key of another pair.
    const wrongKey = await run(l, playbook(dir, keyB, certA));
    assert.notEqual(wrongKey.exitCode, 0);
    assert.match(failure(wrongKey).task, /install the private key .* if it matches the certificate/);
    assert.equal(await onHost(l, LIVE), live, "a refused key leaves the live files and the site as they were");

    const wrongCert = await run(l, playbook(dir, keyA, certB));
    const refused = failure(wrongCert);
    assert.match(refused.task, /install the certificate .* if it matches the key/);
    assert.match(refused.message, /failed to validate: rc:1 error:the private key \/etc\/ssl\/rems\/rems\.key does not match the certificate \/etc\/ssl\/rems\/\.rems-\w+/);
    assert.equal(await onHost(l, LIVE), live, "a refused certificate leaves the live files and the site as they were");

    const brokenVhost = await run(l, playbook(dir, keyA, certA, "    nginx_proxy_timeout: sixty\n"));
    const rejected = failure(brokenVhost);
    assert.match(rejected.task, /write the vhost/);
    assert.match(rejected.message, /\[emerg\] .*"proxy_connect_timeout" directive invalid value in \/etc\/nginx\/sites-available\/\.rems-\w+:\d+\nnginx: configuration file \S+ test failed/);
    assert.equal(await onHost(l, LIVE), live, "a refused vhost leaves the live files and the site as they were");

    // A new pair (key and certificate both new) goes in in one run, and nginx serves the new certificate.
    const rotated = await run(l, playbook(dir, keyB, certB));
    assert.equal(rotated.exitCode, 0, explain(rotated));
    const served = await onHost(l, "echo | openssl s_client -connect 127.0.0.1:443 2>/dev/null | openssl x509 -noout -fingerprint -sha256");
    const wanted = execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256", "-in", certB], { encoding: "utf8" });
    assert.equal(served, `exit 0\n${wanted}`);
  });
});
