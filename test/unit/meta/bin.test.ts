/**
 * `npx rems-play` (and a global install or `npm link`) executes package.json's bin file itself, so the build must
 * leave it executable: `npm run build` recreates dist/, and the bin is written new by scripts/bundle.ts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../helpers/rems-play.js";

const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string; bin: Record<string, string>; scripts: Record<string, string> };

test("the bin runs as a program after the build, as npx runs it", () => {
  const bin = pkg.bin["rems-play"];
  assert.ok(bin !== undefined);
  const run = spawnSync(join(repoRoot, bin), ["--version"], { encoding: "utf8" });
  assert.equal(run.error, undefined, `${bin} cannot be executed: ${String(run.error)}`);
  assert.equal(run.stdout, `rems-play ${pkg.version}\n`, run.stderr);
});

test("every build ends by bundling the bin from what tsc compiled; npm ci's build never removes dist", () => {
  // build is a clean prepare; prepare (run by npm ci, and by npm itself when it installs the checkout) compiles in
  // place. The scripts that run tests build with prepare too, so no test runs a bin older than the code.
  assert.equal(pkg.scripts["build"], "rm -rf dist && npm run prepare");
  const prepare = pkg.scripts["prepare"] ?? "";
  assert.doesNotMatch(prepare, /rm /);
  assert.ok(prepare.endsWith("&& node dist/scripts/bundle.js"), prepare);
  for (const name of ["test", "test:unit", "test:e2e", "demo", "bench"]) assert.match(pkg.scripts[name] ?? "", /^npm run (build|prepare) && /, name);
});

test("the bin is the bundle: it imports only its own chunks, node's modules and the dependencies", () => {
  const binDir = dirname(join(repoRoot, pkg.bin["rems-play"] ?? ""));
  const files = readdirSync(binDir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".js"));
  assert.ok(files.length > 1, "the dynamic imports are chunks of their own");
  for (const file of files) {
    const specifiers = [...readFileSync(join(binDir, file), "utf8").matchAll(/(?:^|[\s;])(?:import|export)\b[^"'`;]*?\bfrom\s*"([^"]+)"|\bimport\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2] ?? "");
    for (const specifier of specifiers) assert.match(specifier, /^(node:|\.\/|\.\.\/chunks\/|[a-z@][\w@./-]*$)/, `${file} imports ${specifier}`);
    assert.ok(!specifiers.some((specifier) => specifier.includes("engine/") || specifier.includes("modules/")), `${file}: ${specifiers.join(", ")}`);
  }
});

test("the bin finds rems-play's own roles from anywhere, through the package root", () => {
  const dir = mkdtempSync(join(tmpdir(), "rems-bin-"));
  writeFileSync(join(dir, "site.yml"), "- hosts: all\n  roles: [common]\n");
  writeFileSync(join(dir, "inventory.ini"), "web1 ansible_host=127.0.0.1\n");
  const run = spawnSync(process.execPath, [join(repoRoot, pkg.bin["rems-play"] ?? ""), "site.yml", "-i", "inventory.ini", "--syntax-check"], { cwd: dir, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
});
