/**
 * Ansible 2.14's results for a module that edits a file (test/fixtures/<module>/ansible-2.14.json), redone by our
 * module on a real shell through its facts and put-file's write, twice: each case holds a file's content (null:
 * no file), the task's arguments (without `path`), and what ansible-core 2.14 reported and left, the first time
 * and again (`ansible-playbook -c local` on a temp file, the same task twice, each followed by a slurp). A message
 * that names the file names it as "$PATH".
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AnyModule } from "../../engine/module-api.js";
import { LocalShellContext } from "./fake-context.js";
import { repoRoot } from "./rems-play.js";

interface Outcome {
  changed: boolean;
  msg?: string;
  failed?: boolean;
  after: string | null;
}

export interface EditOracleCase extends Outcome {
  name: string;
  content: string | null;
  args: Record<string, unknown>;
  /** Both runs in check mode. */
  check?: boolean;
  again: Outcome;
}

/** The module's outcome of ARGS: changed, Ansible's msg, or failed with the error's message. */
async function runOnce(module: AnyModule, args: Record<string, unknown>, checkMode: boolean): Promise<Omit<Outcome, "after">> {
  try {
    const plan = await module.check(new LocalShellContext({ checkMode }), args);
    const msg = (plan.changed !== "unknown" ? plan.output?.["msg"] : undefined) as string | undefined;
    if (plan.changed !== true || checkMode) return { changed: plan.changed === true, ...(msg === undefined ? {} : { msg }) };
    const ctx = new LocalShellContext();
    ctx.phase = "apply";
    const applied = module.apply ? await module.apply(ctx, args, plan) : { changed: true };
    return { changed: applied.changed, msg: (applied.output?.["msg"] as string | undefined) ?? msg ?? "" };
  } catch (error) {
    return { changed: false, failed: true, msg: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * What is compared of an outcome: changed, failed, and the msg where Ansible gives one, but of a failure only
 * Ansible's own messages about the file ("Path $PATH does not exist !"), not a failed command's.
 */
function compared(outcome: Omit<Outcome, "after">, expected: Outcome, path: string): Omit<Outcome, "after"> {
  const msg = expected.msg !== undefined && (expected.failed !== true || expected.msg.includes("$PATH"));
  return { changed: outcome.changed, ...(outcome.failed === true ? { failed: true } : {}), ...(msg ? { msg: (outcome.msg ?? "").replaceAll(path, "$PATH") } : {}) };
}

const read = (path: string): string | null => (existsSync(path) ? readFileSync(path, "utf8") : null);

/** One test per case of test/fixtures/<NAME>/ansible-2.14.json, run with MODULE. */
export function testAsAnsible(module: AnyModule, name: string): void {
  const cases = JSON.parse(readFileSync(join(repoRoot, `test/fixtures/${name}/ansible-2.14.json`), "utf8")) as EditOracleCase[];
  const dir = mkdtempSync(join(tmpdir(), `rems-${name}-`));
  cases.forEach((c, i) => {
    test(`on a real shell, as Ansible 2.14: ${c.name}`, async () => {
      const caseDir = join(dir, `case-${i}`);
      mkdirSync(caseDir);
      const path = join(caseDir, "file");
      if (c.content !== null) writeFileSync(path, c.content);
      const args = { ...c.args, path };
      const first = await runOnce(module, args, c.check === true);
      assert.deepEqual(compared(first, c, path), compared(c, c, "$PATH"));
      assert.equal(read(path), c.after);
      const again = await runOnce(module, args, c.check === true);
      assert.deepEqual(compared(again, c.again, path), compared(c.again, c.again, "$PATH"), "the second run");
      assert.equal(read(path), c.again.after, "after the second run");
    });
  });
}
