/**
 * Issue 16 item 8: a notify that no handler answers (by name or `listen`) is a located load error; --syntax-check
 * said OK. A play with include_role learns some handlers only when the role is included, so there the check
 * waits for the run: the task that notifies an unknown name fails, at its place.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { repoRoot, runCli, runRemsPlay } from "../../helpers/rems-play.js";

const dir = join(repoRoot, "test/fixtures/bad-input");

describe("issue 16 item 8: notify of a handler that does not exist", () => {
  test("item 8: --syntax-check refuses a notify that no handler's name or listen answers, at the notify", () => {
    const out = runCli(["notify.yml", "-i", "inventory.ini", "--syntax-check"], { cwd: dir });
    assert.equal(out.status, 4, out.stdout + out.stderr);
    assert.equal(
      out.stderr,
      `ERROR: notify.yml:8:15: task "changes something": notify: no handler of the play is named or listens to 'restart nothing'; did you mean 'restart something'?\n` +
        `ERROR: notify.yml:16:15: task "notifies a templated name": notify: 'restart {{ service_name }}' is templated, but handlers are notified by the name they are written with\n`,
    );
  });

  test("item 8: with include_role (handlers known at run time) the load accepts it, and the notify fails the task when it notifies", async () => {
    const syntax = runCli(["notify-include-role.yml", "-i", "inventory.ini", "--syntax-check"], { cwd: dir });
    assert.equal(syntax.status, 0, syntax.stderr);
    const run = await runRemsPlay(["notify-include-role.yml", "-i", "inventory.ini"], { cwd: dir });
    assert.equal(run.exitCode, 2, run.stderr);
    const statuses = run.results.map((r) => `${r.task}: ${r.status}`);
    assert.deepEqual(statuses, ["the included role notifies its own handler: ok", "notifier : notifier task: changed", "changes something: failed"]);
    assert.match(run.results[2]?.error?.message ?? "", /^notify-include-role\.yml:13:15: task "changes something": notify: no handler of the play is named or listens to 'restart nothing'$/);
  });
});
