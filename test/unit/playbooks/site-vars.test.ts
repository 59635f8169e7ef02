/**
 * Issue 15: what makes the app REMS is the roles' defaults, the lowest precedence (Ansible's), so a value in the
 * inventory (any of its levels, the inventory file's group vars included) or -e wins in every role and in the
 * plays' own tasks, and in the maintenance playbooks, whose tasks are the backup role's. The variables are merged
 * with the executor's own layering (engine/execute/vars.ts), from the real playbooks, roles and inventory.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { mergeLayers, ownLayers, roleLayers } from "../../../engine/execute/vars.js";
import { knownVariables } from "../../../engine/execute/var-typos.js";
import { loadInventory } from "../../../engine/load/inventory.js";
import { loadPlaybook } from "../../../engine/load/playbook.js";
import { renderValue } from "../../../engine/template/render.js";
import type { Play, Vars } from "../../../engine/types.js";
import { registry } from "../../../modules/index.js";
import { repoRoot } from "../../helpers/rems-play.js";
import { secret, TEST_PASSWORD, testVault } from "../../helpers/vault.js";

const { vault } = testVault(secret(TEST_PASSWORD));

function play(playbook: string): Play {
  const [first] = loadPlaybook(join(repoRoot, "playbooks", playbook), registry, vault);
  assert.ok(first);
  return first;
}

/** A copy of the production inventory, with `groupVars` added to the group's vars in the file itself. */
function inventory(groupVars: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "rems-layers-")), "my-site.yml");
  copyFileSync(join(repoRoot, "inventory/production.yml"), path);
  const text = readFileSync(path, "utf8");
  writeFileSync(path, text.replace("      vars:\n", `      vars:\n${groupVars.replace(/^/gm, "        ")}\n`));
  return path;
}

/** NAME as a task of ROLE (undefined: a play task) sees it on rems01, rendered. */
function value(p: Play, inventoryPath: string, role: string | undefined, name: string, extraVars: Vars = {}): unknown {
  const context = role === undefined ? undefined : p.roles.find((r) => r.name === role);
  assert.ok(role === undefined || context, `the play has role ${role ?? ""}`);
  const below = mergeLayers(roleLayers({ playRoles: p.roles, role: context, inventoryVars: loadInventory([inventoryPath], vault).hostVars("rems01", p.dir), playVars: p.vars, playVarsFiles: p.varsFiles }));
  const magic = { inventory_hostname: "rems01", playbook_dir: p.dir, ...(context ? { role_path: context.path } : {}) };
  const vars = mergeLayers(ownLayers({ scopeVars: [], hostFacts: {}, extraVars, magic }), below);
  return renderValue(vars[name], vars, {});
}

const site = play("site.yml");
const plain = inventory("");

describe("REMS's settings are role defaults: the inventory and -e win", () => {
  test("with nothing set, every role and Step 9 see REMS", () => {
    for (const role of ["app", "nginx", "monitoring", undefined]) assert.equal(value(site, plain, role, "app_port"), 5000, role);
    for (const role of ["app", "tls", "nginx", "backup", "monitoring", undefined]) assert.equal(value(site, plain, role, "app_name"), "rems", role);
    assert.equal(value(site, plain, "backup", "app_db_path"), "/opt/rems/instance/physdb.db");
    assert.equal(value(site, plain, undefined, "app_health_url"), "http://127.0.0.1:5000/health");
    assert.equal(value(site, plain, "monitoring", "monitoring_db_query"), "SELECT COUNT(*) FROM equipment;");
  });

  test("the code is the inventory's app_src, else the stand-in shipped with rems-play, none with app_git_repo", () => {
    assert.equal(value(site, plain, "app", "app_src"), "/srv/releases/rems/current/");
    // The copy without its app_src line (a user's own choice): the stand-in, or nothing when git is the source.
    const withoutSrc = (groupVars: string): string => {
      const path = inventory(groupVars);
      writeFileSync(path, readFileSync(path, "utf8").replace(/^ *app_src: .*\n/m, ""));
      return path;
    };
    assert.equal(value(site, withoutSrc(""), "app", "app_src"), `${join(repoRoot, "roles/app")}/../../apps/rems-standin/`);
    assert.equal(value(site, withoutSrc("app_git_repo: https://git.example/app.git"), "app", "app_src"), "");
  });

  test("values in the inventory file's group vars win in every role and in Step 9; -e wins over them", () => {
    const mine = inventory("app_name: samplelog\napp_port: 6000\napp_db_path: /srv/samplelog/data.db\napp_health_url: http://127.0.0.1:6000/ping");
    for (const role of ["app", "nginx", "monitoring", undefined]) {
      assert.equal(value(site, mine, role, "app_port"), 6000, role);
      assert.equal(value(site, mine, role, "app_port", { app_port: 7000 }), 7000, role);
    }
    for (const role of ["app", "tls", "nginx", "backup", "monitoring", undefined]) assert.equal(value(site, mine, role, "app_name"), "samplelog", role);
    assert.equal(value(site, mine, "app", "app_dir"), "/opt/samplelog");
    assert.equal(value(site, mine, "backup", "backup_dir"), "/opt/backups/samplelog");
    assert.equal(value(site, mine, "monitoring", "app_db_path"), "/srv/samplelog/data.db");
    assert.equal(value(site, mine, undefined, "app_health_url"), "http://127.0.0.1:6000/ping");
    assert.equal(value(site, plain, "monitoring", "app_health_url", { app_port: 7000 }), "http://127.0.0.1:7000/health");
  });

  test("the maintenance playbooks read the same defaults through the backup role, and the inventory wins there too", () => {
    const mine = inventory("app_name: samplelog\nbackup_test_tables: [samples]\nbackup_now_keep: 3");
    for (const playbook of ["backup-now.yml", "restore.yml", "backup-test.yml"]) {
      const p = play(playbook);
      assert.equal(value(p, plain, "backup", "app_db_path"), "/opt/rems/instance/physdb.db", playbook);
      assert.equal(value(p, mine, "backup", "backup_dir"), "/opt/backups/samplelog", playbook);
    }
    assert.deepEqual(value(play("backup-test.yml"), plain, "backup", "backup_test_tables"), ["equipment", "compliance_tests"]);
    assert.deepEqual(value(play("backup-test.yml"), mine, "backup", "backup_test_tables"), ["samples"]);
    assert.equal(value(play("backup-now.yml"), mine, "backup", "backup_now_keep"), 3);
    assert.equal(value(play("restore.yml"), plain, "backup", "restore_from", { restore_from: "/tmp/x.db.gz" }), "/tmp/x.db.gz");
  });

  test("the typo warnings know every variable the REMS settings file held, now role defaults", () => {
    const known = knownVariables([site]);
    const formerlyVarsFile = ["app_name", "app_description", "app_user", "app_dir", "app_instance_dir", "app_port", "app_wsgi_module", "app_src", "app_db_path", "backup_dir", "monitoring_db_query", "backup_test_tables"];
    assert.deepEqual(formerlyVarsFile.filter((name) => !known.has(name)), []);
    for (const playbook of ["backup-now.yml", "restore.yml", "backup-test.yml"]) {
      const k = knownVariables([play(playbook)]);
      assert.deepEqual(["app_db_path", "backup_dir", "backup_test_tables", "backup_now_keep", "app_health_url"].filter((name) => !k.has(name)), [], playbook);
    }
  });
});
