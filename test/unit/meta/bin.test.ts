/**
 * `npx rems-play` (and a global install or `npm link`) executes package.json's bin file itself, so the build must
 * leave it executable: `npm run build` recreates dist/, and tsc writes new files without the execute bit.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
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

test("the build makes the bin executable, whatever tsc wrote before; npm ci's build never removes dist", () => {
  // build is a clean prepare; prepare (run by npm ci, and by npm itself when it installs the checkout) compiles in place.
  assert.equal(pkg.scripts["build"], "rm -rf dist && npm run prepare");
  const prepare = pkg.scripts["prepare"] ?? "";
  assert.doesNotMatch(prepare, /rm /);
  assert.ok(prepare.endsWith(`&& chmod +x ${pkg.bin["rems-play"] ?? ""}`), prepare);
});

test("the bin starts node with a small young generation (engine/cli.ts says why); the test above shows node takes the line", () => {
  const bin = join(repoRoot, pkg.bin["rems-play"] ?? "");
  assert.equal(readFileSync(bin, "utf8").split("\n")[0], "#!/usr/bin/env -S node --max-semi-space-size=4");
});
