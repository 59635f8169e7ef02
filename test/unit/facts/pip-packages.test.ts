import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FactError } from "../../../engine/errors.js";
import { parsePipPackages, pipPackagesFact } from "../../../modules/facts/pip-packages.js";
import { runFactCases } from "../../helpers/module-tester.js";

runFactCases(pipPackagesFact);

test("a virtualenv without pip says so; a failing pip list is a FactError", () => {
  assert.deepEqual(parsePipPackages({ stdout: "nopip\n", code: 0 }), { state: "nopip" });
  assert.throws(() => parsePipPackages({ stdout: "ok\n", code: 1 }), FactError);
});

test("a virtualenv whose path has spaces is one word to the shell: its pip runs and lists", () => {
  const venv = join(mkdtempSync(join(tmpdir(), "rems pip ")), "my venv");
  mkdirSync(join(venv, "bin"), { recursive: true });
  writeFileSync(join(venv, "bin", "activate"), "");
  // A stand-in pip that prints what it was given, one argument per line.
  writeFileSync(join(venv, "bin", "pip3"), "#!/bin/sh\necho 'Flask==2.2.2'\nfor a in \"$@\"; do echo \"arg:$a\"; done\n", { mode: 0o755 });
  const run = spawnSync("/bin/sh", ["-c", pipPackagesFact.command({ virtualenv: venv }).text], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(parsePipPackages({ stdout: run.stdout, code: 0 }), { state: "ok", freeze: ["Flask==2.2.2", "arg:list", "arg:--format=freeze", "arg:--disable-pip-version-check"] });
});
