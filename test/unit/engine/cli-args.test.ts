import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DEFAULT_FORKS, parseCli, parseExtraVars, splitWords } from "../../../engine/cli-args.js";
import { InputErrors } from "../../../engine/errors.js";

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
  });

  test("extra vars: later -e wins", () => {
    const o = parseCli(["p.yml", "-i", "i", "-e", "a=1 b=2", "-e", '{"b": 3}']);
    assert.deepEqual(o.extraVars, { a: "1", b: 3 });
  });
});

describe("parseExtraVars", () => {
  test("key=value pairs with quotes", () => {
    assert.deepEqual(parseExtraVars(`name="my app" port=8080 empty=`), { name: "my app", port: "8080", empty: "" });
  });
  test("inline YAML/JSON keeps types", () => {
    assert.deepEqual(parseExtraVars("{ workers: 4, debug: yes }"), { workers: 4, debug: true });
  });
  test("@file reads YAML with the loader of every other YAML file (mode: 0644 stays octal text, as in vars files)", () => {
    const dir = mkdtempSync(join(tmpdir(), "extra-"));
    writeFileSync(join(dir, "v.yml"), "app_port: 5001\nmode: 0644\n");
    assert.deepEqual(parseExtraVars(`@${join(dir, "v.yml")}`), { app_port: 5001, mode: "0644" });
  });
  test("an @file with vault data is refused, not used still encrypted", () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-ev-vault-"));
    const inline = join(dir, "inline.yml");
    writeFileSync(inline, "token: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  3132\n");
    const whole = join(dir, "whole.yml");
    writeFileSync(whole, "$ANSIBLE_VAULT;1.1;AES256\n3132\n");
    for (const file of [inline, whole]) assert.throws(() => parseExtraVars(`@${file}`), /vault-encrypted data is not read from -e; put it in vars_files or group_vars/);
    const plain = join(dir, "plain.yml");
    writeFileSync(plain, "note: 'the word !vault in a string'\n");
    assert.deepEqual(parseExtraVars(`@${plain}`), { note: "the word !vault in a string" });
  });

  test("YAML that does not parse is invalid input (exit 4), not an internal error, and the value is not echoed", () => {
    assert.throws(() => parseExtraVars("{bad: ["), (e: unknown) => e instanceof InputErrors && e.describe().startsWith("-e #1:") && !e.describe().includes("bad"));
  });

  test("a word without = is refused", () => {
    assert.throws(() => parseExtraVars("a=1 oops"), /expected key=value, got 'oops'/);
  });
});

test("splitWords keeps quoted spaces", () => {
  assert.deepEqual(splitWords(`a 'b c' "d e"f`), ["a", "b c", "d ef"]);
});
