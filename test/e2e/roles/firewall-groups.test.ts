/**
 * The firewall role between hosts (issue 18: "firewall opens ports between hosts of given groups only"), and the
 * role as ansible-playbook can run it (firewall_exclusive false: ufw's own arguments, one rule at a time).
 *
 * Three lab hosts: lab1 is the inventory group `web`, lab2 and lab3 the group `db`. The role opens 5432/tcp from
 * the group `web` only: rems-play applies it to lab2 with its exclusive rule set, ansible-playbook 2.14 to lab3
 * with firewall_exclusive false. Both end with the same ufw rules, in the same order; on both, a listener on 5432
 * is reached from lab1 and not from the other db host. rems-play's second run and audit change nothing.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { AuditExitCode } from "../../../engine/exit-codes.js";
import { ansibleAvailable, runAnsiblePlaybook } from "../../helpers/ansible-playbook.js";
import { rootShell, sharedLab } from "../../helpers/lab.js";
import { explain } from "../../helpers/module-ladder.js";
import { repoRoot, runRemsPlay } from "../../helpers/rems-play.js";

const lab = sharedLab("fw-groups", 3);

const PLAYBOOK = `- hosts: db
  roles:
    - role: firewall
      firewall_extra_rules:
        - { port: 5432, from_group: web }
`;

/** A TCP listener on 5432 for a while, so that reaching it says what the firewall lets through. */
const LISTEN = "nohup timeout 120 python3 -c 'import socket,time; s=socket.socket(); s.bind((\"0.0.0.0\", 5432)); s.listen(); time.sleep(120)' >/dev/null 2>&1 &";

/** "open" when a TCP connection from the host to ADDRESS:5432 succeeds within 3 s, else "closed". */
function probe(address: string): string {
  return `timeout 3 bash -c 'echo > /dev/tcp/${address}/5432' 2>/dev/null && echo open || echo closed`;
}

test("firewall: a port open to the hosts of one group only, under rems-play's exclusive set and under ansible-playbook alike", async (t) => {
  const booted = await lab.use(t);
  if (!booted || !ansibleAvailable(t)) return;
  const [web, dbRems, dbAnsible] = booted.hosts;
  assert.ok(web && dbRems && dbAnsible);
  const sh = (host: string) => rootShell(booted, host);
  // What the common and nginx roles would have installed: ufw, and the "Nginx Full" profile the role admits.
  for (const db of [dbRems, dbAnsible]) {
    await sh(db.name)("DEBIAN_FRONTEND=noninteractive apt-get install -y -q ufw nginx-core >/dev/null 2>&1");
  }

  const dir = mkdtempSync(join(tmpdir(), "rems-fw-groups-"));
  const inventory = join(dir, "inventory.yml");
  writeFileSync(
    inventory,
    `${readFileSync(booted.inventoryPath, "utf8")}  children:\n    web: { hosts: { ${web.name}: null } }\n    db: { hosts: { ${dbRems.name}: null, ${dbAnsible.name}: null } }\n`,
  );
  const playbook = join(dir, "firewall.yml");
  writeFileSync(playbook, PLAYBOOK);
  const rolesPath = { ANSIBLE_ROLES_PATH: join(repoRoot, "roles") };
  const rems = (...flags: string[]) => runRemsPlay([playbook, "-i", inventory, "--limit", dbRems.name, ...flags], { env: rolesPath });

  const [converged, ansible] = await Promise.all([
    rems(),
    runAnsiblePlaybook(playbook, {
      inventory,
      knownHostsPath: booted.knownHostsPath,
      limit: dbAnsible.name,
      extraVars: { firewall_exclusive: false },
      env: rolesPath,
    }),
  ]);
  assert.equal(converged.exitCode, 0, explain(converged));
  assert.equal(ansible.exitCode, 0, `${ansible.stdout}\n${ansible.stderr}`);
  assert.ok((ansible.stats[dbAnsible.name]?.changed ?? 0) > 0, `ansible-playbook changed ${dbAnsible.name}\n${ansible.stderr}`);

  const rules = "ufw status numbered";
  const remsRules = await sh(dbRems.name)(rules);
  assert.match(remsRules, new RegExp(`5432/tcp +ALLOW IN +${web.address.replaceAll(".", "\\.")}\\s`));
  assert.doesNotMatch(remsRules, /5432\/tcp \(v6\)/, "no IPv6 rule: the web host has an IPv4 address only");
  assert.equal(await sh(dbAnsible.name)(rules), remsRules, "the same rules, in the same order, under both tools");

  for (const [db, other] of [[dbRems, dbAnsible], [dbAnsible, dbRems]] as const) {
    await sh(db.name)(LISTEN);
    assert.equal((await sh(web.name)(probe(db.address))).trim(), "open", `${web.name} (web) reaches ${db.name}:5432`);
    assert.equal((await sh(other.name)(probe(db.address))).trim(), "closed", `${other.name} (not web) does not reach ${db.name}:5432`);
  }

  const again = await rems();
  assert.equal(again.exitCode, 0, explain(again));
  assert.equal(again.recap[dbRems.name]?.changed, 0, explain(again));
  const audit = await rems("--check", "--diff", "--detailed-exitcode");
  assert.equal(audit.exitCode, AuditExitCode.noDrift, explain(audit));
});
