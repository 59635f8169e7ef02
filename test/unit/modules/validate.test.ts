/**
 * Issue 16 item 10: config files with a validator are validated before they replace the live file, as Ansible's
 * `validate:` does (modules/shared/validate.ts, run by put-file's write for copy, template, lineinfile, blockinfile
 * and replace). Run for real with /bin/sh against a temp directory.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModuleError } from "../../../engine/errors.js";
import { applyPutFile, planPutFile, type PutFileRequest } from "../../../modules/shared/put-file.js";
import { LocalShellContext } from "../../helpers/fake-context.js";

/** A directory holding app.conf ("good\n"), and its path. */
function liveFile(): { dir: string; dest: string } {
  const dir = mkdtempSync(join(tmpdir(), "rems-validate-"));
  const dest = join(dir, "app.conf");
  writeFileSync(dest, "good\n");
  return { dir, dest };
}

async function write(req: PutFileRequest, checkMode = false): Promise<Record<string, unknown>> {
  const ctx = new LocalShellContext({ checkMode });
  const plan = await planPutFile(ctx, req);
  if (plan.changed !== true) throw new assert.AssertionError({ message: "expected a change" });
  ctx.phase = "apply";
  return (await applyPutFile(ctx, plan)).output ?? {};
}

/** The ModuleError a write fails with. */
async function failure(req: PutFileRequest): Promise<ModuleError> {
  const error = await write(req).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof ModuleError, `a ModuleError, got ${String(error)}`);
  return error;
}

describe("issue 16 item 10: validate runs on the new file before it replaces the live one", () => {
  test("a failing validator fails with its exit code and its own output, and the live file and directory are as they were", async () => {
    const { dir, dest } = liveFile();
    const error = await failure({ dest, content: "bad\n", validate: "sh -c 'echo checked \"$1\"; echo \"emerg: bad line 1\" >&2; exit 3' sh %s" });
    assert.match(error.message, /^failed to validate: rc:3 error:emerg: bad line 1$/);
    const { stdout, stdout_lines: stdoutLines, ...rest } = error.result;
    assert.match(String(stdout), new RegExp(`^checked ${dir}/\\.rems-\\w+\n$`));
    assert.deepEqual(stdoutLines, [String(stdout).trimEnd()]);
    assert.deepEqual(rest, { msg: "failed to validate", exit_status: 3, stderr: "emerg: bad line 1\n", stderr_lines: ["emerg: bad line 1"] });
    assert.equal(readFileSync(dest, "utf8"), "good\n");
    assert.deepEqual(readdirSync(dir), ["app.conf"]);
  });

  test("the in-place edits' failure is worded as Ansible's lineinfile, blockinfile and replace word it", async () => {
    const { dest } = liveFile();
    const error = await failure({ dest, content: "bad\n", validate: "sh -c 'echo nope >&2; exit 1' sh %s", validateReport: "edit" });
    assert.deepEqual(error.result, { msg: "failed to validate: rc:1 error:nope\n" });
  });

  test("the validator sees the new content with its final mode, and a passing one lets it replace the file", async () => {
    const { dest } = liveFile();
    await write({ dest, content: "new\n", mode: "0600", validate: "sh -c 'grep -qx new \"$1\" && [ \"$(stat -c %%a \"$1\")\" = 600 ]' sh %s" });
    assert.equal(readFileSync(dest, "utf8"), "new\n");
  });

  test("the command runs without a shell: variables, globs and pipes reach the program as words", async () => {
    const { dir, dest } = liveFile();
    const error = await failure({ dest, content: "new\n", validate: `sh -c 'printf "%%s," "$@" >&2; exit 1' sh $HOME * | "two words" %s` });
    assert.match(String(error.result.stderr), new RegExp(`^\\$HOME,\\*,\\|,two words,${dir}/\\.rems-\\w+,$`));
  });

  test("validate without %s, with two, or with another % directive is refused before anything is written", async () => {
    const { dest } = liveFile();
    for (const [validate, message] of [
      ["nginx -t", "validate must contain %s: nginx -t"],
      ["diff %s %s", "validate must contain %s exactly once (the file's path), a literal % written %%: diff %s %s"],
      ["date +%Y %s", "validate: only %s (the file's path) is replaced, write a literal % as %%: date +%Y %s"],
    ] as const) {
      await assert.rejects(planPutFile(new LocalShellContext(), { dest, content: "new\n", validate }), { name: "ModuleError", message });
    }
    assert.equal(readFileSync(dest, "utf8"), "good\n");
  });

  test("check mode neither runs validate nor checks it, as Ansible; nor does a write that changes no content", async () => {
    const { dest } = liveFile();
    const check = await planPutFile(new LocalShellContext({ checkMode: true }), { dest, content: "new\n", validate: "nginx -t" });
    if (check.changed !== true) throw new assert.AssertionError({ message: "check mode plans the write" });
    assert.ok(!check.commands.some((c) => c.display.includes("nginx")));
    const same = await planPutFile(new LocalShellContext(), { dest, content: "good\n", validate: "nginx -t" });
    assert.equal(same.changed, false);
  });
});
