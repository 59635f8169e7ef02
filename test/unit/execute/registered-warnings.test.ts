/**
 * A module's warnings are in its registered result (`result.warnings`), as in Ansible, through the real CLI on a
 * local host: ansible-core's file target reads the warning of an unknown owner in check mode there.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runRemsPlay } from "../../helpers/rems-play.js";

test("a module's warnings are registered with its result; a result without any has none", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rems-warnings-"));
  writeFileSync(
    join(dir, "site.yml"),
    [
      "- hosts: all",
      "  gather_facts: false",
      "  tasks:",
      "    - file: { path: " + JSON.stringify(dir) + ", owner: rems-no-such-user-x }",
      "      check_mode: true",
      "      ignore_errors: true",
      "      register: unknown",
      "    - file: { path: " + JSON.stringify(dir) + " }",
      "      register: known",
      "    - assert:",
      "        that:",
      "          - unknown.warnings[0] is search('failed to look up user rems-no-such-user-x')",
      "          - known.warnings is not defined",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "inventory.ini"), "warnings-local ansible_connection=local\n");
  const run = await runRemsPlay([join(dir, "site.yml"), "-i", join(dir, "inventory.ini")]);
  assert.equal(run.exitCode, 0, run.stderr + run.stdout);
  assert.equal(run.results.at(-1)?.status, "ok", "the assert on the registered warnings holds");
});
