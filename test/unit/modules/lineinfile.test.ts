/**
 * lineinfile: the table of fixtures, then each of Ansible 2.14's own results (test/fixtures/line-edit, see
 * line-edit.test.ts) redone by the module on a real shell, through its facts and put-file's write, twice: the file
 * it leaves and what each run reports are Ansible's (a second run changes nothing, but where Ansible's doesn't hold).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import lineinfile, { type Args } from "../../../modules/lineinfile.js";
import { LocalShellContext } from "../../helpers/fake-context.js";
import { runModuleCases } from "../../helpers/module-tester.js";
import { repoRoot } from "../../helpers/rems-play.js";

runModuleCases(lineinfile);

interface OracleCase {
  name: string;
  content: string;
  args: Omit<Args, "path">;
  after: string;
  changed: boolean;
  msg: string;
  again: { changed: boolean; after: string };
}

const cases = JSON.parse(readFileSync(join(repoRoot, "test/fixtures/line-edit/ansible-2.14.json"), "utf8")) as OracleCase[];
const dir = mkdtempSync(join(tmpdir(), "rems-lineinfile-"));

async function runOnce(args: Args): Promise<{ changed: boolean; msg: unknown }> {
  const plan = await lineinfile.check(new LocalShellContext(), args);
  if (plan.changed !== true) return { changed: false, msg: "output" in plan ? plan.output.msg : undefined };
  const ctx = new LocalShellContext();
  ctx.phase = "apply";
  const applied = await lineinfile.apply?.(ctx, args, plan);
  return { changed: true, msg: applied?.output?.msg };
}

cases.forEach((c, i) => {
  test(`on a real shell, as Ansible 2.14: ${c.name}`, async () => {
    const path = join(dir, `case-${i}`);
    writeFileSync(path, c.content);
    const args = { ...c.args, path };
    assert.deepEqual(await runOnce(args), { changed: c.changed, msg: c.msg });
    assert.equal(readFileSync(path, "utf8"), c.after);
    assert.equal((await runOnce(args)).changed, c.again.changed, "the second run");
    assert.equal(readFileSync(path, "utf8"), c.again.after, "after the second run");
  });
});
