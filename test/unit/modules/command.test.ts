import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CommandFailedError } from "../../../engine/errors.js";
import command, { splitWords } from "../../../modules/command.js";
import shell from "../../../modules/shell.js";
import { LocalShellContext } from "../../helpers/fake-context.js";
import { runModuleCases } from "../../helpers/module-tester.js";
import type { AnyModule } from "../../../engine/module-api.js";

runModuleCases(command);

describe("splitWords", () => {
  test("splits like shlex.split", () => {
    assert.deepEqual(splitWords(`a  'b c' "d \\"e\\"" f\\ g '' h"i"j`), ["a", "b c", 'd "e"', "f g", "", "hij"]);
  });
  test("backslashes in single quotes are literal", () => {
    assert.deepEqual(splitWords(String.raw`printf '%s\n' x`), ["printf", String.raw`%s\n`, "x"]);
  });
});

async function runReal(module: AnyModule, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const ctx = new LocalShellContext();
  const plan = await module.check(ctx, args);
  if (plan.changed !== true || !module.apply) throw new assert.AssertionError({ message: "expected a planned run" });
  ctx.phase = "apply";
  return (await module.apply(ctx, args, plan)).output ?? {};
}

describe("command and shell on a real shell", () => {
  test("command passes stdin and returns rc, stdout and lines", async () => {
    const output = await runReal(command, { argv: ["sh", "-c", "cat; echo done"], stdin: "line one" });
    assert.equal(output.rc, 0);
    assert.equal(output.stdout, "line one\ndone");
    assert.deepEqual(output.stdout_lines, ["line one", "done"]);
  });

  test("a non-zero exit fails with the exit code and stderr's tail", async () => {
    await assert.rejects(runReal(command, { argv: ["sh", "-c", "echo out; echo 'it broke' >&2; exit 3"] }), (err: unknown) => {
      assert.ok(err instanceof CommandFailedError);
      assert.equal(err.exitCode, 3);
      assert.match(err.message, /exit code 3.*\nit broke$/s);
      return true;
    });
  });

  test("command does not expand variables, shell does", async () => {
    assert.equal((await runReal(command, { cmd: "echo $HOME" })).stdout, "$HOME");
    assert.equal((await runReal(shell, { cmd: "echo $((1 + 2)) | tr 3 x" })).stdout, "x");
  });

  test("chdir sets the working directory", async () => {
    assert.equal((await runReal(shell, { cmd: "pwd", chdir: "/tmp" })).stdout, "/tmp");
  });
});
