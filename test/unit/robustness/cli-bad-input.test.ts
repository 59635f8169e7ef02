/**
 * Issue 16 item 7: bad command-line input is a typed error with a stable code and exit 4, never exit 250 with a
 * stack trace: an -e value that does not parse, an -e file that does not parse, host patterns that are not valid
 * expressions, and a playbook path that is a directory.
 */
import assert from "node:assert/strict";
import { NO_VAULT } from "../../../engine/vault/vault.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { readExtraVars } from "../../../engine/cli-args.js";
import { InputErrors, RemsError } from "../../../engine/errors.js";
import { loadInventory } from "../../../engine/load/inventory.js";
import { loadPlaybook } from "../../../engine/load/playbook.js";
import { registry } from "../../fixtures/load/registry.js";
import { repoRoot, runCli } from "../../helpers/rems-play.js";

const dir = join(repoRoot, "test/fixtures/bad-input");

/** Runs the CLI in the fixture directory and asserts a clean exit 4: one message, no stack trace. */
function refused(args: readonly string[], message: RegExp): string {
  const out = runCli(args, { cwd: dir });
  assert.equal(out.status, 4, `${args.join(" ")}: exit ${String(out.status)}\n${out.stderr}`);
  assert.match(out.stderr, message, args.join(" "));
  assert.doesNotMatch(out.stderr, /internal error|\n\s+at /, args.join(" "));
  return out.stderr;
}

/** The code of the error `run` throws (of the first one, for InputErrors). */
function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    const first = error instanceof InputErrors ? error.errors[0] : error;
    assert.ok(first instanceof RemsError, String(first));
    return first.code;
  }
  assert.fail("no error thrown");
}

describe("issue 16 item 7: bad command-line input is exit 4 with a typed error, never 250", () => {
  test(`item 7: -e '{"a": ' (inline JSON cut short)`, () => {
    refused(["playbook.yml", "-i", "inventory.ini", "-e", '{"a": '], /^ERROR: -e #1:1:\d+: Syntax Error while loading YAML/);
    // The value itself is not echoed: an -e value may hold a secret.
    const stderr = refused(["playbook.yml", "-i", "inventory.ini", "-e", "x=1", "-e", '{"password": "hunter2", '], /^ERROR: -e #2:1:\d+: /);
    assert.doesNotMatch(stderr, /hunter2/);
    assert.equal(codeOf(() => readExtraVars(['{"a": '], NO_VAULT)), "REMS_YAML_SYNTAX");
  });

  test("item 7: -e @bad.json (a file that does not parse), located in the file", () => {
    refused(["playbook.yml", "-i", "inventory.ini", "-e", "@bad.json"], /^ERROR: bad\.json:1:\d+: Syntax Error while loading YAML/);
    assert.equal(codeOf(() => readExtraVars([`@${join(dir, "bad.json")}`], NO_VAULT)), "REMS_YAML_SYNTAX");
  });

  test("item 7: -l 'web[0-' and -l '~[(' (patterns that are not valid expressions)", () => {
    refused(["playbook.yml", "-i", "inventory.ini", "-l", "web[0-", "--list-hosts"], /host pattern 'web\[0-' is not a valid pattern/);
    refused(["playbook.yml", "-i", "inventory.ini", "-l", "~[("], /host pattern '~\[\(' is not a valid regular expression/);
    const inventory = loadInventory([join(dir, "inventory.ini")], NO_VAULT);
    assert.equal(codeOf(() => inventory.selectHosts("all", "~[(")), "REMS_INVENTORY");
  });

  test("item 7: a play's hosts pattern that is not valid is located at the play", () => {
    refused(["bad-hosts-pattern.yml", "-i", "inventory.ini", "--list-hosts"], /^ERROR: bad-hosts-pattern\.yml:2:3: host pattern 'web\[1-' is not a valid pattern/);
  });

  test("item 7: a playbook path that is a directory", () => {
    const playbookDir = mkdtempSync(join(tmpdir(), "rems-playbook-dir-"));
    refused([playbookDir, "-i", "inventory.ini"], /playbook '.*rems-playbook-dir-\w+' is a directory, not a playbook file/);
    refused([playbookDir, "-i", "inventory.ini", "--syntax-check"], /is a directory, not a playbook file/);
    assert.equal(codeOf(() => loadPlaybook(playbookDir, registry, NO_VAULT)), "REMS_INPUT_FILE");
  });
});
