/**
 * Issue 16 item 5: the YAML loader has limits (aliases, the size they expand to, nesting, document size), so a
 * small hostile file is a located error in well under a second instead of minutes of work and an out-of-memory
 * death that ignores SIGTERM.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { NO_VAULT } from "../../../engine/vault/vault.js";
import { PlaybookSyntaxError } from "../../../engine/errors.js";
import { MAX_INPUT_BYTES } from "../../../engine/source/text-file.js";
import { MAX_ALIASES, MAX_DEPTH, parseYaml, readYamlFile } from "../../../engine/source/yaml.js";
import { remsPlayBin, repoRoot, runCli } from "../../helpers/rems-play.js";

const dir = join(repoRoot, "test/fixtures/bad-input");

describe("issue 16 item 5: YAML alias bomb and other loader limits", () => {
  test("item 5: the 'billion laughs' alias bomb is refused at its place, quickly, exit 4", () => {
    const started = Date.now();
    const out = runCli(["bomb-playbook.yml", "-i", "inventory.ini", "--syntax-check"], { cwd: dir, timeoutMs: 20_000 });
    assert.equal(out.status, 4, `exit ${String(out.status)}: ${out.stderr}`);
    assert.match(out.stderr, /^ERROR: bomb\.yml:\d+:\d+: .*aliases expand to more than/m);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });

  test("item 5: the same bomb read directly is a PlaybookSyntaxError (REMS_YAML_SYNTAX) and no data", () => {
    const { data, errors } = readYamlFile(join(dir, "bomb.yml"), NO_VAULT);
    assert.equal(data, undefined);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof PlaybookSyntaxError);
    assert.equal(errors[0].code, "REMS_YAML_SYNTAX");
  });

  test("item 5: more alias nodes than the limit are refused even when each expands to little", () => {
    const text = `a: &a 1\nlist: [${Array.from({ length: MAX_ALIASES + 1 }, () => "*a").join(", ")}]\n`;
    const { data, errors } = parseYaml(text, "many.yml", NO_VAULT);
    assert.equal(data, undefined);
    assert.match(errors[0]?.describe() ?? "", /^many\.yml:2:\d+: .*more than \d+ aliases/);
  });

  test("item 5: nesting deeper than the limit is refused at the first level too deep", () => {
    const depth = MAX_DEPTH + 1;
    const { data, errors } = parseYaml(`x: ${"[".repeat(depth)}${"]".repeat(depth)}\n`, "deep.yml", NO_VAULT);
    assert.equal(data, undefined);
    assert.match(errors[0]?.describe() ?? "", /^deep\.yml:1:\d+: .*nested deeper than \d+ levels/);
    // The limit leaves room for any real playbook.
    assert.deepEqual(parseYaml(`x: ${"[".repeat(MAX_DEPTH - 2)}${"]".repeat(MAX_DEPTH - 2)}\n`, "ok.yml", NO_VAULT).errors, []);
  });

  test("item 5: anchors and merge keys within the limits still work", () => {
    const { data, errors } = parseYaml("base: &b {a: 1, b: [1, 2]}\nuse: *b\nmerged: {<<: *b, c: 3}\n", "ok.yml", NO_VAULT);
    assert.deepEqual(errors, []);
    assert.deepEqual(data, { base: { a: 1, b: [1, 2] }, use: { a: 1, b: [1, 2] }, merged: { c: 3, a: 1, b: [1, 2] } });
  });

  test("item 5: the load stays interruptible: SIGTERM while large (allowed) files load ends the CLI at once", async () => {
    // Five vars files just under the size limit: seconds of loading, during which a handler could not run.
    const tmp = mkdtempSync(join(tmpdir(), "rems-slow-load-"));
    let vars = "";
    for (let i = 0; vars.length < MAX_INPUT_BYTES - 100; i++) vars += `key${i}: {name: "value ${i}", list: [1, 2, 3]}\n`;
    const files = [1, 2, 3, 4, 5].map((n) => `vars${n}.yml`);
    for (const file of files) writeFileSync(join(tmp, file), vars);
    writeFileSync(join(tmp, "playbook.yml"), `- hosts: all\n  gather_facts: false\n  vars_files: ${JSON.stringify(files)}\n  tasks: []\n`);
    writeFileSync(join(tmp, "inventory.ini"), "[web]\nweb1 ansible_host=127.0.0.1 ansible_port=1\n");
    const child = spawn(process.execPath, [remsPlayBin, "playbook.yml", "-i", "inventory.ini"], { cwd: tmp, stdio: "ignore" });
    const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const signalled = Date.now();
    child.kill("SIGTERM");
    const { code, signal } = await ended;
    assert.deepEqual({ code, signal }, { code: null, signal: "SIGTERM" });
    assert.ok(Date.now() - signalled < 1000, `ended ${Date.now() - signalled} ms after SIGTERM`);
  });

  test("item 5: a file larger than the limit is refused before it is read", () => {
    const big = join(mkdtempSync(join(tmpdir(), "rems-big-")), "big.yml");
    writeFileSync(big, Buffer.alloc(MAX_INPUT_BYTES + 1, "#"));
    const { data, errors } = readYamlFile(big, NO_VAULT);
    assert.equal(data, undefined);
    assert.match(errors[0]?.describe() ?? "", /big\.yml:1:1: .*larger than/);
  });
});
