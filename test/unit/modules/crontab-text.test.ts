import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findEnv, findJob, renderJob, setEnv, setJob } from "../../../modules/shared/crontab.js";
import { assertGolden } from "../../helpers/golden.js";
import { repoRoot } from "../../helpers/rems-play.js";

/** A crontab captured with `crontab -l`: comments, blank lines, env lines, a hand-written job, Ansible entries. */
const input = readFileSync(join(repoRoot, "test/golden/crontab/input.crontab"), "utf8");

/** The lines of `before` that are not in `removed` must appear in `after` in the same order, unchanged. */
function assertOthersKept(before: string, after: string, removed: readonly string[]): void {
  const kept = before.split("\n").filter((l) => !removed.includes(l));
  const afterLines = after.split("\n");
  let at = 0;
  for (const line of kept) {
    const found = afterLines.indexOf(line, at);
    assert.ok(found >= 0, `line kept in order: ${JSON.stringify(line)}`);
    at = found + 1;
  }
}

describe("crontab text", () => {
  test("a new job goes at the end under its #Ansible marker", () => {
    const after = setJob(input, "rems cleanup", "0 4 * * * /opt/rems/bin/cleanup");
    assertGolden("test/golden/crontab/add-job.crontab", after);
    assertOthersKept(input, after, []);
  });

  test("an existing Ansible-managed job is updated in place", () => {
    const after = setJob(input, "rems backup", "30 3 * * * /opt/rems/bin/backup.sh --verify");
    assertGolden("test/golden/crontab/update-job.crontab", after);
    assertOthersKept(input, after, ["15 3 * * * /opt/rems/bin/backup.sh"]);
  });

  test("removing a job removes its marker and its line only", () => {
    const after = setJob(input, "rems backup", undefined);
    assertGolden("test/golden/crontab/remove-job.crontab", after);
    assertOthersKept(input, after, ["#Ansible: rems backup", "15 3 * * * /opt/rems/bin/backup.sh"]);
  });

  test("a disabled job is found and re-enabled", () => {
    assert.equal(findJob(input, "old report"), "#0 6 * * 1 /opt/rems/bin/report --weekly");
    const after = setJob(input, "old report", renderJob({ schedule: "0 6 * * 1", job: "/opt/rems/bin/report --weekly", disabled: false }));
    assertGolden("test/golden/crontab/enable-job.crontab", after);
  });

  test("setting a job to what it is changes nothing", () => {
    assert.equal(setJob(input, "rems backup", "15 3 * * * /opt/rems/bin/backup.sh"), input);
    assert.equal(setJob(input, "not there", undefined), input);
  });

  test("environment variables: a new one goes at the top, an existing one is replaced in place, removal drops its line", () => {
    const added = setEnv(input, "CRON_TZ", "UTC");
    assertGolden("test/golden/crontab/add-env.crontab", added);
    const updated = setEnv(input, "MAILTO", "backup-alerts@example.org");
    assertGolden("test/golden/crontab/update-env.crontab", updated);
    const removed = setEnv(input, "SHELL", undefined);
    assertOthersKept(input, removed, ["SHELL=/bin/bash"]);
    assert.equal(findEnv(removed, "SHELL"), undefined);
    assert.equal(findEnv(input, "MAILTO"), "MAILTO=ops@example.org");
  });

  test("an empty crontab gets the job and a final newline", () => {
    assert.equal(setJob("", "a", "* * * * * true"), "#Ansible: a\n* * * * * true\n");
    assert.equal(setJob("#Ansible: a\n* * * * * true\n", "a", undefined), "");
  });

  test("a marker left without its job line (hand-edited) gets the line back", () => {
    assert.equal(setJob("MAILTO=x\n#Ansible: a\n", "a", "@daily true"), "MAILTO=x\n#Ansible: a\n@daily true\n");
  });

  test("a job line of an /etc/cron.d file names the user; a disabled one is commented out", () => {
    assert.equal(renderJob({ schedule: "@daily", user: "rems", job: "/opt/rems/bin/cleanup", disabled: true }), "#@daily rems /opt/rems/bin/cleanup");
  });
});
