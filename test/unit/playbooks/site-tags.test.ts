/**
 * The site playbook's tags: `-t ROLE` (a README example) selects that role's tasks and nothing else but the checks
 * tagged always, which run on the controller (assert) before any role.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { remsPlayBin, repoRoot } from "../../helpers/rems-play.js";

function listTasks(...args: string[]): string[] {
  const result = spawnSync(process.execPath, [remsPlayBin, "playbooks/site.yml", "-i", "inventory/production.yml", "--list-tasks", "--vault-password-file", "test/fixtures/vault/test-password.txt", ...args], { cwd: repoRoot, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split("\n").filter((line) => line.startsWith("    ")).map((line) => line.trim());
}

test("every role of site.yml answers to its own tag, and Step 9 to verify", () => {
  const always = listTasks("-t", "always");
  assert.deepEqual(always, ["the inventory names the code app_src (rems_app_src is not read)\tTAGS: [always]"]);
  for (const role of ["common", "app", "tls", "nginx", "backup", "firewall", "monitoring"]) {
    const tasks = listTasks("-t", role).filter((task) => !always.includes(task));
    assert.ok(tasks.length > 0, `-t ${role} selects tasks`);
    for (const task of tasks) assert.match(task, new RegExp(`^${role} : .*TAGS: \\[.*\\b${role}\\b`), `-t ${role}: ${task}`);
  }
  const verify = listTasks("-t", "verify").filter((task) => !always.includes(task));
  assert.ok(verify.length >= 3 && verify.every((task) => task.startsWith("Step 9")), verify.join("\n"));
});
