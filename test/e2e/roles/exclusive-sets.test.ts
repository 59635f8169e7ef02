/**
 * Issue 15's acceptance on a lab host converged with playbooks/site.yml: a hand-added ufw rule, nginx site, root
 * cron job (under the #Ansible marker) and file in the app's code directory are each reported as drift by an
 * audit (exit 10 with --detailed-exitcode, the host untouched) and removed by the next normal run, whose change
 * summaries name them. Then issue 16 item 3: the ufw lock-out guard counts only an SSH rule that admits the
 * run's own connection; the host stays reachable and the task fails.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { AuditExitCode } from "../../../engine/exit-codes.js";
import { rootShell, sharedLab, type Lab } from "../../helpers/lab.js";
import { explain, modulePlaybook, runPlaybook } from "../../helpers/module-ladder.js";
import { repoRoot, runRemsPlay } from "../../helpers/rems-play.js";

const site = join(repoRoot, "playbooks/site.yml");
/** The four sets, as the host has them. */
const SETS = "ufw status | grep -c 8080; ls /etc/nginx/sites-enabled; crontab -l | grep -c rogue; ls /opt/rems";
const HAND_EDITS = [
  "ufw allow 8080/tcp",
  "ln -s /etc/nginx/sites-available/default /etc/nginx/sites-enabled/rogue",
  "{ crontab -l; printf '#Ansible: rogue\\n* * * * * /bin/true\\n'; } | crontab -",
  "echo 'print(1)' > /opt/rems/rogue.py",
].join(" && ");

const lab = sharedLab("exc-sets", 1);

/** Runs COMMAND as root on the lab's host; it must succeed. */
function onLab(host: Lab, command: string): Promise<string> {
  const [first] = host.hosts;
  assert.ok(first);
  return rootShell(host, first.name)(command);
}

test("exclusive sets: hand-added ufw rule, nginx site, root cron job and app file are drift, then removed", async (t) => {
  const host = await lab.use(t);
  if (!host) return;
  const sh = (command: string) => onLab(host, command);
  const play = (...flags: string[]) => runRemsPlay([site, "-i", host.inventoryPath, ...flags]);

  const converge = await play();
  assert.equal(converge.exitCode, 0, explain(converge));
  const clean = await play("--check", "--diff", "--detailed-exitcode");
  assert.equal(clean.exitCode, AuditExitCode.noDrift, explain(clean));

  await sh(HAND_EDITS);
  const edited = await sh(SETS);
  const audit = await play("--check", "--diff", "--detailed-exitcode");
  assert.equal(audit.exitCode, AuditExitCode.drift, explain(audit));
  const drifted = audit.results.filter((r) => r.status === "changed" && r.drift !== undefined);
  assert.deepEqual(
    drifted.map((r) => [r.drift, r.summary]),
    [
      ["drift", "remove rogue.py from /opt/rems (not in the exclusive set)"],
      ["drift", "remove rogue from /etc/nginx/sites-enabled (not in the exclusive set)"],
      ["drift", 'remove job "rogue" from the crontab of root (not in the exclusive set)'],
      ["drift", "delete rule allow 8080/tcp (not in the rule set)"],
    ],
  );
  assert.equal(await sh(SETS), edited, "the audit changed the host");

  const repair = await play();
  assert.equal(repair.exitCode, 0, explain(repair));
  const summaries = repair.results.filter((r) => r.status === "changed").map((r) => r.summary);
  for (const summary of drifted.map((r) => r.summary)) assert.ok(summaries.includes(summary), `the run says: ${summary}\n${summaries.join("\n")}`);
  assert.doesNotMatch(await sh(SETS), /rogue/);
  assert.match(await sh("ufw status"), /^Status: active$(?![\s\S]*8080)/m);
  assert.equal((await sh("ls /etc/nginx/sites-enabled")).trim(), "rems");
  assert.match(await sh("crontab -l"), /#Ansible: rems daily backup[\s\S]*#Ansible: rems health check/);
  assert.match(await sh("ls -A /opt/rems"), /\.env\n[\s\S]*instance\n/);
  const after = await play("--check", "--diff", "--detailed-exitcode");
  assert.equal(after.exitCode, AuditExitCode.noDrift, explain(after));
});

// Issue 16 item 3: with incoming denied, deleting the rule that admits the run's SSH connection is refused when what
// is left admits SSH only from another address, only on lo, or (an exclusive rule set) not at all.
test("issue 16 item 3: the ufw lock-out guard ignores from_ip and interface - the host stays reachable and the task fails", async (t) => {
  const host = await lab.use(t);
  if (!host) return;
  const sh = (command: string) => onLab(host, command);
  await sh("command -v ufw >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ufw; } >/dev/null 2>&1");
  const closed = await runPlaybook(host, modulePlaybook(`
- ufw: { rule: allow, port: "22", proto: tcp }
- ufw: { default: deny, direction: incoming }
- ufw: { state: enabled }
`));
  assert.equal(closed.exitCode, 0, explain(closed));
  const rules = await sh("grep '^### tuple' /etc/ufw/user.rules /etc/ufw/user6.rules");
  for (const [label, tasks] of [
    ["from another address", '- ufw: { rule: allow, port: "22", proto: tcp, from_ip: 192.0.2.0/24 }\n- ufw: { rule: allow, port: "22", proto: tcp, delete: true }'],
    ["on lo only", '- ufw: { rule: allow, port: "22", proto: tcp, interface: lo }\n- ufw: { rule: allow, port: "22", proto: tcp, delete: true }'],
    ["an exclusive set without it", '- ufw: { rules: [{ rule: allow, name: Nginx Full }], exclusive: true }'],
  ] as const) {
    const run = await runPlaybook(host, modulePlaybook(tasks));
    assert.equal(run.exitCode, 2, `${label}: ${explain(run)}`);
    const failed = run.results.find((r) => r.status === "failed");
    assert.match(failed?.error?.message ?? "", /^refusing to .*no rule allows SSH on port 22\/tcp from \S+ on \S+, which rems-play is connected through/, label);
    assert.equal(await sh("echo reachable"), "reachable\n", `${label}: the host is still reachable`);
    await sh("ufw delete allow from 192.0.2.0/24 to any port 22 proto tcp >/dev/null; ufw delete allow in on lo to any port 22 proto tcp >/dev/null; true");
    assert.equal(await sh("grep '^### tuple' /etc/ufw/user.rules /etc/ufw/user6.rules"), rules, `${label}: the rules are as they were`);
  }
});
