/**
 * The engine's acceptance ladder (issue 2) over the local connection and over real SSH to a lab host:
 * check on a fresh target changes nothing, a run converges (role, loop, block, handlers), a re-run reports
 * changed=0, check on the converged target reports nothing, and check on a hand-edited target reports the
 * change with a diff and leaves the target byte-for-byte as it was.
 */
import assert from "node:assert/strict";
import { execSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { bootLab } from "../helpers/lab.js";
import { repoRoot, runRemsPlay, total } from "../helpers/rems-play.js";

const playbook = join(repoRoot, "test/fixtures/engine/converge/playbook.yml");

/** Lists every file under `base` with its mode and content checksum: the target's state to compare. */
const SNAPSHOT = (base: string): string =>
  `cd ${base} 2>/dev/null && find . -printf '%p %M %U %G\\n' -type f -exec sha256sum {} + | sort || echo missing`;

interface Target {
  inventory: string;
  base: string;
  shell(command: string): Promise<string>;
}

async function ladder(t: Target): Promise<void> {
  const args = [playbook, "-i", t.inventory, "-e", `base=${t.base}`];
  const before = await t.shell(SNAPSHOT(t.base));

  const check = await runRemsPlay([...args, "--check"]);
  assert.equal(check.exitCode, 0, check.stderr + check.stdout);
  assert.ok(total(check.recap, "changed") > 0, "check on a fresh target reports changes");
  assert.equal(await t.shell(SNAPSHOT(t.base)), before, "check changed the target");

  const converge = await runRemsPlay(args);
  assert.equal(converge.exitCode, 0, converge.stderr + converge.stdout);
  assert.equal(total(converge.recap, "changed"), 5, "directories (one loop), greeting, block file and two handlers");
  const handlers = converge.events.flatMap((e) => (e.type === "task_start" && e.handler ? [e.name] : []));
  assert.deepEqual(handlers.sort(), ["greeter : greeting changed", "note change"]);
  assert.match(await t.shell(`cat ${t.base}/greeting.txt`), /^hello from \S+ \(Debian\)\n- a\n- b\n- c\n$/);
  assert.equal(await t.shell(`stat -c %a ${t.base}/greeting.txt ${t.base}/block.txt ${t.base}/b`), "644\n640\n755\n");
  assert.equal(await t.shell(`cat ${t.base}/handled.txt`), "handled\n");

  const rerun = await runRemsPlay(args);
  assert.equal(rerun.exitCode, 0, rerun.stderr);
  assert.equal(total(rerun.recap, "changed"), 0, JSON.stringify(rerun.results.filter((r) => r.status === "changed")));

  const clean = await runRemsPlay([...args, "--check", "--diff"]);
  assert.equal(total(clean.recap, "changed"), 0);

  await t.shell(`echo edited by hand > ${t.base}/greeting.txt`);
  const edited = await t.shell(SNAPSHOT(t.base));
  const drift = await runRemsPlay([...args, "--check", "--diff"]);
  assert.equal(drift.exitCode, 0, drift.stderr);
  const changed = drift.results.filter((r) => r.status === "changed");
  assert.deepEqual(changed.map((r) => r.task), ["greeter : Render the greeting"]);
  const diff = changed[0]?.diffs?.[0];
  assert.ok(diff, "a content diff is reported");
  assert.equal(diff.before, "edited by hand\n");
  assert.match(diff.after, /^hello from/);
  assert.equal(await t.shell(SNAPSHOT(t.base)), edited, "check --diff changed the edited target");
}

describe("engine converge ladder", () => {
  test("over the local connection", async () => {
    const base = mkdtempSync(join(tmpdir(), "rems-converge-"));
    const inventory = `${base}.ini`;
    writeFileSync(inventory, "localhost ansible_connection=local\n");
    await ladder({ inventory, base, shell: (command) => Promise.resolve(execSync(command, { encoding: "utf8", shell: "/bin/sh" })) });
  });

  test("over SSH to a lab host", async (t) => {
    const lab = await bootLab(t, "e2e-engine", 1);
    if (!lab) return;
    const host = lab.hosts[0];
    assert.ok(host);
    await ladder({
      inventory: lab.inventoryPath,
      base: "/srv/converge",
      shell: async (command) => {
        const result = await lab.ssh(host.name, command);
        return result.stdout;
      },
    });
  });
});
