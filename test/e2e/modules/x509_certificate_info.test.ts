/**
 * x509_certificate_info on a lab host: a certificate made there with openssl is read in check mode and in a run,
 * with no command of the module's own (the file comes with the facts); not_after and valid_at give what openssl
 * says on the host; a missing file fails, and a misspelt argument is refused.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sharedLab } from "../../helpers/lab.js";
import { assertBadArgument, explain, modulePlaybook, onHost, runPlaybook } from "../../helpers/module-ladder.js";
import { total } from "../../helpers/rems-play.js";

const lab = sharedLab("e2e-mod-x509", 1);
const DIR = "/srv/e2e-x509";

/** openssl's "notAfter=Dec  7 13:45:00 2026 GMT" (as onHost gives it) as YYYY-MM-DDTHH:MM:SS, UTC. */
function opensslEndDate(output: string): string {
  const match = /^exit 0\nnotAfter=(.+ GMT)\n$/.exec(output);
  assert.ok(match?.[1], `openssl printed the end date\n${output}`);
  return new Date(match[1]).toISOString().slice(0, 19);
}

describe("x509_certificate_info on a lab host", () => {
  test("reads a certificate in check mode and in a run as openssl does, and fails on a missing file", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await onHost(l, `mkdir -p ${DIR} && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 10 -subj /CN=e2e.lab.internal -keyout ${DIR}/key.pem -out ${DIR}/cert.pem 2>/dev/null`);
    const end = opensslEndDate(await onHost(l, `openssl x509 -enddate -noout -in ${DIR}/cert.pem`));
    const notAfter = `${end.replace(/[-:T]/g, "")}Z`;
    // What the tls role's shell task used to ask, for the same two points in time.
    assert.equal(await onHost(l, `openssl x509 -checkend ${9 * 86400} -noout -in ${DIR}/cert.pem`), "exit 0\nCertificate will not expire\n");
    assert.equal(await onHost(l, `openssl x509 -checkend ${11 * 86400} -noout -in ${DIR}/cert.pem`), "exit 1\nCertificate will expire\n");

    const read = modulePlaybook(`
- name: read
  x509_certificate_info:
    path: ${DIR}/cert.pem
    valid_at: { in_9_days: "+9d", in_11_days: "+1w4d" }
  register: cert
- name: show
  debug: { msg: "{{ cert.not_after }} {{ cert.valid_at.in_9_days }} {{ cert.valid_at.in_11_days }} {{ cert.expired }} {{ cert.subject.commonName }}" }
`);
    for (const mode of [["--check"], []]) {
      const run = await runPlaybook(l, read, "-vv", ...mode);
      assert.equal(run.exitCode, 0, explain(run));
      assert.equal(total(run.recap, "changed"), 0, explain(run));
      const result = run.results.find((r) => r.task === "read");
      assert.equal(result?.status, "ok", explain(run));
      assert.deepEqual(result.commands, [], "the module ran no command on the host");
      assert.equal(result.reason, `certificate ${DIR}/cert.pem valid until ${end.replace("T", " ")} UTC`);
      assert.equal(run.results.find((r) => r.task === "show")?.msg, `${notAfter} True False False e2e.lab.internal`, explain(run));
    }

    const missing = await runPlaybook(l, modulePlaybook(`
- name: missing
  x509_certificate_info: { path: ${DIR}/missing.pem }
`));
    assert.equal(missing.exitCode, 2, explain(missing));
    assert.equal(
      missing.results.find((r) => r.task === "missing")?.error?.message,
      `Error while reading certificate file from disk: ${DIR}/missing.pem does not exist (or is not a regular file)`,
    );
  });

  test("a misspelt argument is refused before anything runs", async (t) => {
    const l = await lab.use(t);
    if (!l) return;
    await assertBadArgument(l, `
- name: read
  x509_certificate_info:
    path: ${DIR}/cert.pem
    valid_att: { soon: "+1d" }
`, `playbook.yml:7:9: task "read": x509_certificate_info: unknown argument 'valid_att'; did you mean 'valid_at'?`);
  });
});
