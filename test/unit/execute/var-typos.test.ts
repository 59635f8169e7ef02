/**
 * Likely typos in inventory and -e variables (engine/execute/var-typos.ts): one edit away from a variable a role or
 * play of the run knows, and known by none, is a warning naming the intent and where the variable was set.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { variableTypos } from "../../../engine/execute/var-typos.js";
import { runCli } from "../../helpers/rems-play.js";

test("a variable one edit from a known one, and known by none, is a likely typo; others are not", () => {
  const known = new Set(["server_name", "app_port", "tls_mode"]);
  const layer = { label: "-e", vars: { sever_name: "x", app_port: 1, app_prot: 2, tls_mod: "a", ansible_hots: "h", my_own_setting: 3 } };
  assert.deepEqual(variableTypos([layer], known), [
    "variable 'sever_name' (-e) is used by no role or play of this run: did you mean 'server_name'?",
    "variable 'app_prot' (-e) is used by no role or play of this run: did you mean 'app_port'?",
    "variable 'tls_mod' (-e) is used by no role or play of this run: did you mean 'tls_mode'?",
  ]);
});

test("through the CLI: the inventory's typos are located (group layers first), each warned once, and the run goes on", () => {
  const dir = mkdtempSync(join(tmpdir(), "rems-typos-"));
  writeFileSync(join(dir, "site.yml"), "- hosts: all\n  gather_facts: false\n  vars:\n    server_name: default.example\n  tasks:\n    - debug: { msg: '{{ server_name }}' }\n");
  writeFileSync(join(dir, "inventory.ini"), "typo-1 ansible_connection=local sever_name=typo.example\ntypo-2 ansible_connection=local\n\n[all:vars]\nserver_nmae=x\n");
  const out = runCli(["site.yml", "-i", "inventory.ini"], { cwd: dir });
  assert.equal(out.status, 0, out.stderr);
  const warnings = (out.stdout + out.stderr).split("\n").filter((line) => line.startsWith("[WARNING]"));
  assert.deepEqual(warnings, [
    "[WARNING]: variable 'server_nmae' (inventory.ini:5:1) is used by no role or play of this run: did you mean 'server_name'?",
    "[WARNING]: variable 'sever_name' (inventory.ini:1:33) is used by no role or play of this run: did you mean 'server_name'?",
  ]);
});
