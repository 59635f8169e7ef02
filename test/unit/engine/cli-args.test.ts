import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DEFAULT_FORKS, parseCli, parseExtraVars, readExtraVars, splitWords } from "../../../engine/cli-args.js";
import { InputErrors } from "../../../engine/errors.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";
import { PROD_PASSWORD, secret, TEST_PASSWORD, testVault, vaultFixture } from "../../helpers/vault.js";

describe("parseCli", () => {
  test("takes Ansible's short and long options with their meaning", () => {
    const o = parseCli(["site.yml", "-i", "a.yml", "--inventory", "b", "-l", "web:&prod", "-t", "nginx,tls", "--skip-tags", "backup", "-C", "-D", "-vvv", "-f", "20", "-u", "admin", "--start-at-task", "Step 4"]);
    assert.deepEqual(o.playbooks, ["site.yml"]);
    assert.deepEqual(o.inventories, ["a.yml", "b"]);
    assert.equal(o.limit, "web:&prod");
    assert.deepEqual(o.tags, ["nginx", "tls"]);
    assert.deepEqual(o.skipTags, ["backup"]);
    assert.equal(o.check, true);
    assert.equal(o.diff, true);
    assert.equal(o.verbosity, 3);
    assert.equal(o.forks, 20);
    assert.equal(o.user, "admin");
    assert.equal(o.startAtTask, "Step 4");
  });

  test("defaults", () => {
    const o = parseCli(["site.yml", "-i", "inv"]);
    assert.equal(o.forks, DEFAULT_FORKS);
    assert.equal(o.check, false);
    assert.equal(o.hostKeyChecking, undefined, "not given: the inventory may say, else strict (host-connection.ts)");
    assert.equal(o.lockWaitSeconds, 600);
  });

  test("usage errors say what is wrong", () => {
    assert.throws(() => parseCli(["site.yml"]), /no inventory given: use -i INVENTORY/);
    assert.throws(() => parseCli(["-i", "inv"]), /no playbook given/);
    assert.throws(() => parseCli(["site.yml", "-i", "inv", "--bogus"]), /Unknown option '--bogus'/);
    assert.throws(() => parseCli(["site.yml", "-i", "inv", "-f", "0"]), /--forks must be a whole number of at least 1, got '0'/);
  });

  test("vault options: --vault-id and --vault-password-file in Ansible's order, then ANSIBLE_VAULT_PASSWORD_FILE, then -J", () => {
    const o = parseCli(["site.yml", "-i", "inv", "--vault-password-file", "a.txt", "--vault-id", "prod@prod.txt", "--vault-id", "dev@prompt"], { ANSIBLE_VAULT_PASSWORD_FILE: "env.txt" });
    assert.deepEqual(o.vaultSources, [
      { id: "prod", file: "prod.txt" },
      { id: "dev", ask: "labelled" },
      { id: "default", file: "a.txt" },
      { id: "default", file: "env.txt" },
    ]);
    assert.deepEqual(parseCli(["site.yml", "-i", "inv", "-J"]).vaultSources, [{ id: "default", ask: "plain" }]);
    assert.deepEqual(parseCli(["site.yml", "-i", "inv"], { ANSIBLE_VAULT_PASSWORD_FILE: "" }).vaultSources, []);
  });

  test("-J with --vault-password-file is a usage error, as in Ansible", () => {
    assert.throws(() => parseCli(["site.yml", "-i", "inv", "-J", "--vault-password-file", "a.txt"]), /-J\/--ask-vault-pass and --vault-password-file cannot be used together/);
    assert.throws(() => parseCli(["site.yml", "-i", "inv", "--ask-vault-password", "--vault-pass-file", "a.txt"]), /cannot be used together/);
  });

  test("Ansible's other spellings: --vault-pass-file and --ask-vault-password", () => {
    assert.deepEqual(parseCli(["site.yml", "-i", "inv", "--vault-pass-file", "a.txt"]).vaultSources, [{ id: "default", file: "a.txt" }]);
    assert.deepEqual(parseCli(["site.yml", "-i", "inv", "--ask-vault-password"]).vaultSources, [{ id: "default", ask: "plain" }]);
  });

  test("extra vars: kept as given, later -e wins when read", () => {
    const o = parseCli(["p.yml", "-i", "i", "-e", "a=1 b=2", "-e", '{"b": 3}']);
    assert.deepEqual(o.extraVarTexts, ["a=1 b=2", '{"b": 3}']);
    assert.deepEqual(readExtraVars(o.extraVarTexts, NO_VAULT), { a: "1", b: 3 });
  });
});

describe("parseExtraVars", () => {
  test("key=value pairs with quotes", () => {
    assert.deepEqual(parseExtraVars(`name="my app" port=8080 empty=`, NO_VAULT), { name: "my app", port: "8080", empty: "" });
  });
  test("inline YAML/JSON keeps types", () => {
    assert.deepEqual(parseExtraVars("{ workers: 4, debug: yes }", NO_VAULT), { workers: 4, debug: true });
  });
  test("@file reads YAML with the loader of every other YAML file (mode: 0644 stays octal text, as in vars files)", () => {
    const dir = mkdtempSync(join(tmpdir(), "extra-"));
    writeFileSync(join(dir, "v.yml"), "app_port: 5001\nmode: 0644\n");
    assert.deepEqual(parseExtraVars(`@${join(dir, "v.yml")}`, NO_VAULT), { app_port: 5001, mode: "0644" });
  });
  test("an @file vault-encrypted, or with inline !vault values, is opened with the run's passwords and its values are secrets", () => {
    const { vault, registry } = testVault(secret(TEST_PASSWORD), secret(PROD_PASSWORD, "prod"));
    const whole = parseExtraVars(`@${vaultFixture("vars.1.1.vault.yml")}`, vault);
    assert.equal(whole.vault_app_secret_key, "kX9#vault-app-secret-key-0f3a");
    const inline = parseExtraVars(`@${vaultFixture("inline.yml")}`, vault);
    assert.equal(typeof inline.db_password, "string");
    assert.equal(registry.mask(`pw=${String(inline.db_password)}`), "pw=********");
  });

  test("an @file with vault data and no password is a located error, not data used still encrypted", () => {
    const file = vaultFixture("vars.1.1.vault.yml");
    assert.throws(
      () => parseExtraVars(`@${file}`, NO_VAULT),
      (e: unknown) => e instanceof InputErrors && e.describe().includes(`${file}:1:1`) && e.describe().includes("vault-encrypted"),
    );
  });

  test("YAML that does not parse is invalid input (exit 4), not an internal error, and the value is not echoed", () => {
    assert.throws(() => parseExtraVars("{bad: [", NO_VAULT), (e: unknown) => e instanceof InputErrors && e.describe().startsWith("-e #1:") && !e.describe().includes("bad"));
  });

  test("a word without = is refused", () => {
    assert.throws(() => parseExtraVars("a=1 oops", NO_VAULT), /expected key=value, got 'oops'/);
  });
});

test("splitWords keeps quoted spaces", () => {
  assert.deepEqual(splitWords(`a 'b c' "d e"f`), ["a", "b c", "d ef"]);
});
