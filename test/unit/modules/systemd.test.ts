import { test } from "node:test";
import assert from "node:assert/strict";
import systemd, { unitName } from "../../../modules/systemd.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCase, runModuleCases, type ModuleCase } from "../../helpers/module-tester.js";
import { repoRoot } from "../../helpers/rems-play.js";

runModuleCases(systemd);

test("a bare name is a service; a name with a unit type is kept", () => {
  assert.equal(unitName("rems"), "rems.service");
  assert.equal(unitName("rpcbind.socket"), "rpcbind.socket");
  assert.equal(unitName("getty@tty1"), "getty@tty1.service");
});

test("daemon_reload alone reloads when needed and reports ok, as Ansible's does; a unit's change reports changed", async () => {
  const stale = JSON.parse(readFileSync(join(repoRoot, "test/modules/systemd/daemon_reload_no_name_stale.json"), "utf8")) as ModuleCase;
  const reload = await runCase(systemd, stale);
  assert.deepEqual(reload.ctx.commands("apply"), ["systemctl daemon-reload"]);
  assert.equal(reload.applied?.changed, false);
  const start = JSON.parse(readFileSync(join(repoRoot, "test/modules/systemd/unit_file_changed_on_disk.json"), "utf8")) as ModuleCase;
  assert.equal((await runCase(systemd, start)).applied?.changed, true);
});
