/**
 * include_vars through the real CLI on a local host: test/fixtures/include-vars/playbook.yml, whose statuses and
 * printed variables below are what ansible-playbook 2.14 reports for it (run on localhost with a local
 * connection): a role's vars/<os>.yml found by a templated free-form name, beating the role's vars/main.yml; a
 * value that stays a template until used (it reads a set_fact made after the include); a directory filtered by
 * files_matching and ignore_files, its subdirectory too; a file beside the playbook under a name; hash_behaviour
 * merge; a missing file failing the task.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runRemsPlay } from "../../helpers/rems-play.js";

test("include_vars reads files and directories as Ansible does", async () => {
  const inventory = join(mkdtempSync(join(tmpdir(), "rems-include-vars-")), "inventory.ini");
  writeFileSync(inventory, "localhost ansible_connection=local\n");
  const run = await runRemsPlay([join(repoRoot, "test/fixtures/include-vars/playbook.yml"), "-i", inventory]);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.deepEqual(
    run.results.map((r) => `${r.task}=${r.status}`),
    [
      "web : the OS's variables=ok",
      "web : who=ok",
      "web : a directory=ok",
      "web : files read=ok",
      "a file beside the playbook, under a name=ok",
      "merged into a mapping=ok",
      "a file that is nowhere=failed",
      "show=ok",
    ],
  );
  assert.equal(run.results.find((r) => r.task === "web : files read")?.msg, '["Debian.yml"]');
  assert.match(run.results.find((r) => r.task === "a file that is nowhere")?.error?.message ?? "", /Could not find or access 'nosuch\.yml'/);
  assert.deepEqual(JSON.parse(String(run.results.find((r) => r.task === "show")?.msg)), [
    8443,
    ["nginx"],
    "hello world",
    { title: "lab site", admins: ["ana", "ben"] },
    { a: 1, nested: { x: 1, y: 2 }, b: 2 },
    true,
    "deep",
    "none",
  ]);
});
