import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import cron from "../../../modules/cron.js";
import { runCase, runModuleCases, type ModuleCase } from "../../helpers/module-tester.js";
import { repoRoot } from "../../helpers/rems-play.js";

runModuleCases(cron);

const fixture = (name: string): ModuleCase => JSON.parse(readFileSync(join(repoRoot, "test/modules/cron", name), "utf8")) as ModuleCase;
const golden = (name: string): string => readFileSync(join(repoRoot, "test/golden/crontab", name), "utf8");

test("apply hands crontab the whole new text on stdin: the captured crontab plus the new entry, other lines byte for byte", async () => {
  const { ctx } = await runCase(cron, fixture("add_job.json"));
  const runs = ctx.runs.filter((r) => r.phase === "apply");
  assert.deepEqual(runs.map((r) => [r.command, r.stdin]), [["crontab -u root -", golden("add-job.crontab")]]);
});

test("a cron file is written through the atomic write path with its content on stdin, root:root 0644", async () => {
  const { ctx, plan } = await runCase(cron, fixture("cron_file_create.json"));
  const run = ctx.runs.find((r) => r.phase === "apply");
  assert.ok(run);
  assert.equal(run.stdin?.toString(), "#Ansible: rems cleanup\n@daily rems /opt/rems/bin/cleanup\n");
  assert.match(run.command, /mktemp \/etc\/cron\.d\/\.rems-XXXXXX.*chown root:root "\$t".*chmod 0644 "\$t".*mv -f -- "\$t" \/etc\/cron\.d\/rems/);
  assert.equal(plan.changed === true ? plan.summary : "", 'add job "rems cleanup" to /etc/cron.d/rems');
});

test("a cron file name cron would ignore (with a dot) gets a warning", async () => {
  const c = fixture("cron_file_create.json");
  const { ctx } = await runCase(cron, {
    ...c,
    args: { ...c.args, cron_file: "rems.cron" },
    facts: {
      crontab: { '{"file":"/etc/cron.d/rems.cron"}': { exists: false, text: "" } },
      file_stat: { '{"follow":false,"path":"/etc/cron.d/rems.cron"}': { exists: false } },
    },
  });
  assert.deepEqual(ctx.warnings, ['cron ignores /etc/cron.d/rems.cron: names under /etc/cron.d/ may only contain letters, digits, "_" and "-"']);
});
