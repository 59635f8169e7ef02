import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChangePlan, Plan } from "../../../engine/module-api.js";
import copy, { type CopyArgs } from "../../../modules/copy.js";
import { LocalShellContext } from "../../helpers/fake-context.js";
import { runModuleCases, validateArgs } from "../../helpers/module-tester.js";
import { repoRoot } from "../../helpers/rems-play.js";

runModuleCases(copy);

const filesDir = join(repoRoot, "test/modules/copy");

function args(raw: Record<string, unknown>): CopyArgs {
  const result = validateArgs(copy, raw);
  if ("error" in result) throw new Error(result.error);
  return result.args as unknown as CopyArgs;
}

async function run(raw: Record<string, unknown>): Promise<Plan> {
  const ctx = new LocalShellContext({ filesDir });
  const plan = await copy.check(ctx, args(raw));
  if (plan.changed === true) {
    ctx.phase = "apply";
    await copy.apply?.(ctx, args(raw), plan);
  }
  return plan;
}

function changed(plan: Plan): ChangePlan {
  if (plan.changed !== true) throw new assert.AssertionError({ message: `expected a change: ${plan.reason}` });
  return plan;
}

describe("copying a directory tree on a real shell", () => {
  test("copies the tree in one exec, then is a no-op, then sends only a changed file", async () => {
    const dest = join(mkdtempSync(join(tmpdir(), "rems-copy-")), "app");
    const first = changed(await run({ src: "app/", dest, owner: "www-data", mode: "u=rwX,g=rX,o=" }));
    assert.equal(first.commands.length, 1);
    assert.equal(readFileSync(join(dest, "main.py"), "utf8"), readFileSync(join(filesDir, "files/app/main.py"), "utf8"));
    assert.equal(statSync(join(dest, "static/site.css")).uid, 33);
    assert.equal((statSync(join(dest, "static")).mode & 0o7777).toString(8), "750");
    assert.equal((statSync(join(dest, "main.py")).mode & 0o7777).toString(8), "640");
    assert.deepEqual(readdirSync(dest).sort(), ["main.py", "static"]);

    const again = await run({ src: "app/", dest, owner: "www-data", mode: "u=rwX,g=rX,o=" });
    assert.equal(again.changed, false);

    writeFileSync(join(dest, "static/site.css"), "tampered\n");
    const repair = changed(await run({ src: "app/", dest, owner: "www-data", mode: "u=rwX,g=rX,o=" }));
    assert.deepEqual(repair.output?.changed_files, [join(dest, "static/site.css")]);
    assert.equal(readFileSync(join(dest, "static/site.css"), "utf8"), "body { margin: 0; }\n");
    assert.equal((await run({ src: "app/", dest, owner: "www-data", mode: "u=rwX,g=rX,o=" })).changed, false);
  });

  test("an empty file and a file without a trailing newline arrive intact", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-copy-"));
    await run({ content: "", dest: join(dir, "empty") });
    await run({ content: "no newline", dest: join(dir, "plain") });
    assert.equal(readFileSync(join(dir, "empty"), "utf8"), "");
    assert.equal(readFileSync(join(dir, "plain"), "utf8"), "no newline");
  });
});
