/**
 * Vault end to end on lab hosts, with Ansible as the oracle: the site playbook of test/fixtures/vault (a vaulted
 * group_vars file, a vaulted vars_files file, an inline !vault, vaulted role defaults, a vaulted template and a
 * vaulted copy source) runs under rems-play on one twin and ansible-playbook on the other, both as a login user
 * whose commands go through sudo (so the host's journal records each one). Same statuses, same end state; and
 * rems-play's `-vvv --diff --json --report x.html` run leaves no secret in its output, its report or the host's
 * journal.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { ansibleAvailable } from "../../helpers/ansible-playbook.js";
import { sharedLab } from "../../helpers/lab.js";
import { assertSameStatuses, onTwins, runTwins, statusLines } from "../../helpers/parity.js";
import { repoRoot, runRemsPlay } from "../../helpers/rems-play.js";
import { leakedSecrets, SITE_FILES, vaultFixture } from "../../helpers/vault.js";

const lab = sharedLab("vlt-vault", 2);
const site = join(repoRoot, "test/fixtures/vault/site");
const passwordFile = join(repoRoot, vaultFixture("test-password.txt"));
const BASE = "/srv/vlt";
const USER = "vltdeploy";

/** The site's files by path, as the parity helper writes them into the case's directory. */
function siteFiles(dir = site): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(files, siteFiles(path));
    else files[relative(site, path)] = readFileSync(path, "utf8");
  }
  return files;
}

/** A login user whose every command runs through sudo (and is logged by it), as on a real server. */
const RESET = [
  `rm -rf ${BASE}`,
  `id ${USER} >/dev/null 2>&1 || useradd -m -s /bin/bash ${USER}`,
  `install -d -m 700 -o ${USER} -g ${USER} /home/${USER}/.ssh`,
  `install -m 600 -o ${USER} -g ${USER} /root/.ssh/authorized_keys /home/${USER}/.ssh/authorized_keys`,
  `echo '${USER} ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/${USER}`,
  `chmod 440 /etc/sudoers.d/${USER}`,
].join(" && ");

/** Each written file with its mode, owner and content. */
const END_STATE = `cd ${BASE}/* && for f in ${Object.keys(SITE_FILES).sort().join(" ")}; do stat -c '%n %a %U:%G' "$f"; cat "$f"; done`;

describe("vault on lab hosts, rems-play and ansible-playbook side by side", () => {
  test("the same end state from vaulted group_vars, vars_files, inline value, role defaults, template and copy source; no secret in rems-play's output, report or the host's journal", async (t) => {
    if (!ansibleAvailable(t)) return;
    const l = await lab.use(t);
    if (!l) return;
    await onTwins(l, RESET);
    const reportDir = mkdtempSync(join(tmpdir(), "rems-vault-report-"));
    t.after(() => rmSync(reportDir, { recursive: true, force: true }));
    const report = join(reportDir, "x.html");
    const twins = await runTwins(l, {
      files: siteFiles(),
      // The play becomes root (become: true), through sudo, as USER.
      hostVars: { ansible_user: USER },
      diff: true,
      args: ["--vault-password-file", passwordFile, "-e", `base=${BASE}`],
      remsArgs: ["-vvv", "--report", report],
    });
    t.after(() => rmSync(twins.dir, { recursive: true, force: true }));
    t.diagnostic(`ansible-playbook ${Math.round(twins.ansibleMs)} ms, rems-play ${Math.round(twins.remsMs)} ms`);
    const why = `\n${twins.ansibleRun.stderr}`;
    assert.deepEqual(
      statusLines(twins.ansible),
      [
        "a directory per host=changed",
        "vaulted : a role default from a vault-encrypted defaults file=changed",
        "config from a vaulted template=changed",
        "key from a vaulted file=changed",
        "secrets in content=changed",
        "a secret shown by debug=ok",
      ],
      `ansible-playbook's own statuses${why}`,
    );
    assertSameStatuses(twins.rems, twins.ansible);

    const [remsState, ansibleState] = await onTwins(l, END_STATE);
    assert.equal(remsState, ansibleState, "the same files, modes, owners and contents on both twins");
    for (const [name, content] of Object.entries(SITE_FILES)) assert.ok(remsState.includes(`${name} 600 root:root\n${content}`), `${name}:\n${remsState}`);

    // Nowhere: rems-play's --json -vvv --diff output, its HTML report, the journal of the host it ran on.
    assert.deepEqual(leakedSecrets(twins.remsRun.stdout + twins.remsRun.stderr), [], "rems-play's output");
    assert.deepEqual(leakedSecrets(readFileSync(report, "utf8")), [], "the report");
    const journal = await l.ssh(twins.remsHost.name, "journalctl --no-pager -o cat");
    assert.equal(journal.code, 0, journal.stderr);
    assert.match(journal.stdout, new RegExp(`${USER} : .*COMMAND=`), "sudo logged rems-play's commands: the journal is the one that would show them");
    assert.deepEqual(leakedSecrets(journal.stdout), [], "the host's journal");
    // For the record: what Ansible itself shows (it has no vault masking; --diff prints decrypted content).
    t.diagnostic(`secrets in ansible-playbook's output: ${leakedSecrets(twins.ansibleRun.stdout + twins.ansibleRun.stderr).length}`);

    // The audit right after: nothing to change, still nothing shown.
    const audit = await runRemsPlay([join(twins.dir, "playbook.yml"), "-i", join(twins.dir, "rems-inventory.yml"), "--check", "--diff", "-vvv", "--vault-password-file", passwordFile, "-e", `base=${BASE}`]);
    assert.equal(audit.exitCode, 0, audit.stderr);
    assert.deepEqual(Object.values(audit.recap).map((s) => s.changed), [0]);
    assert.deepEqual(leakedSecrets(audit.stdout + audit.stderr), [], "the audit's output");
  });
});
