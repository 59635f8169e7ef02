/**
 * openssh_keypair: the table of fixtures (facts captured from a lab host), the fact's captures, then the module on a
 * real shell with this machine's ssh-keygen: a key made, left alone, given a comment, regenerated, protected by a
 * passphrase that never reaches a command line, and removed.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Command } from "../../../engine/command.js";
import type { CommandResult, RunOptions } from "../../../engine/module-api.js";
import { opensshKey } from "../../../modules/facts/openssh-key.js";
import openssh_keypair, { type Args } from "../../../modules/openssh_keypair.js";
import { LocalShellContext } from "../../helpers/fake-context.js";
import { runFactCases, runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(openssh_keypair);
runFactCases(opensshKey);

/** A real shell that keeps the text of every command it ran, as the host would get it. */
class RecordingShell extends LocalShellContext {
  readonly texts: string[] = [];
  override run(command: Command, options?: RunOptions): Promise<CommandResult> {
    this.texts.push(command.text);
    return super.run(command, options);
  }
}

interface Outcome {
  changed: boolean | "unknown";
  output?: Record<string, unknown>;
  texts: string[];
}

async function run(args: Args, checkMode = false): Promise<Outcome> {
  const ctx = new RecordingShell({ checkMode });
  const plan = await openssh_keypair.check(ctx, args);
  if (plan.changed !== true || checkMode) return { changed: plan.changed, ...(plan.changed === "unknown" ? {} : { output: plan.output ?? {} }), texts: ctx.texts };
  ctx.phase = "apply";
  const applied = await openssh_keypair.apply?.(ctx, args, plan);
  return { changed: applied?.changed ?? false, output: applied?.output ?? {}, texts: ctx.texts };
}

const keygen = (...args: string[]): string => execFileSync("ssh-keygen", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe("openssh_keypair on a real shell", () => {
  const dir = mkdtempSync(join(tmpdir(), "rems-keypair-"));

  test("makes an ed25519 key, then leaves it alone; a comment is set without a new key", async () => {
    const path = join(dir, "id_ed25519");
    assert.equal((await run({ path, type: "ed25519" }, true)).changed, true);
    assert.equal(existsSync(path), false, "check mode writes nothing");
    const made = await run({ path, type: "ed25519" });
    assert.equal(made.changed, true);
    assert.equal(mode(path), "600");
    assert.equal(mode(`${path}.pub`), "644");
    const pub = readFileSync(`${path}.pub`, "utf8");
    assert.equal(made.output?.["public_key"], pub.split(" ").slice(0, 2).join(" "));
    assert.match(String(made.output["fingerprint"]), /^SHA256:/);
    assert.equal((await run({ path, type: "ed25519" })).changed, false);
    const fingerprint = made.output["fingerprint"];
    const commented = await run({ path, type: "ed25519", comment: "backup@rems01" });
    assert.equal(commented.changed, true);
    assert.equal(commented.output?.["fingerprint"], fingerprint, "the same key");
    assert.equal(commented.output?.["comment"], "backup@rems01");
    assert.match(readFileSync(`${path}.pub`, "utf8"), / backup@rems01\n$/);
    assert.equal((await run({ path, type: "ed25519", comment: "backup@rems01" })).changed, false);
    assert.equal((await run({ path, type: "ed25519" })).changed, false, "no comment given: the key's own is kept");
  });

  test("a key of another type or size is regenerated; force regenerates every time", async () => {
    const path = join(dir, "id_rsa");
    await run({ path, size: 1024 });
    assert.match(keygen("-l", "-f", path), /^1024 /);
    const bigger = await run({ path, size: 2048 });
    assert.equal(bigger.changed, true);
    assert.match(keygen("-l", "-f", path), /^2048 /);
    assert.equal((await run({ path, size: 2048 })).changed, false);
    const forced = await run({ path, size: 2048, force: true });
    assert.equal(forced.changed, true);
    assert.notEqual(forced.output?.["fingerprint"], bigger.output?.["fingerprint"]);
  });

  test("a passphrase protects the key and is on no command line; the key opens only with it", async () => {
    const path = join(dir, "id_protected");
    const passphrase = "correct horse 'battery' $staple";
    const made = await run({ path, type: "ecdsa", size: 384, passphrase });
    assert.equal(made.changed, true);
    for (const text of made.texts) assert.ok(!text.includes("horse"), `the passphrase is in ${text}`);
    assert.throws(() => keygen("-y", "-P", "", "-f", path), /incorrect passphrase/);
    assert.match(keygen("-y", "-P", passphrase, "-f", path), /^ecdsa-sha2-nistp384 /);
    const again = await run({ path, type: "ecdsa", size: 384, passphrase });
    assert.equal(again.changed, false);
    for (const text of again.texts) assert.ok(!text.includes("horse"), `the passphrase is in ${text}`);
    await assert.rejects(run({ path, type: "ecdsa", size: 384 }), /Unable to read the key/);
    await assert.rejects(run({ path, type: "ecdsa", size: 384, passphrase: "wrong" }), /Unable to read the key/);
  });

  test("state absent removes both files, then is ok", async () => {
    const path = join(dir, "id_gone");
    await run({ path, type: "ed25519" });
    assert.equal((await run({ path, state: "absent" })).changed, true);
    assert.equal(existsSync(path) || existsSync(`${path}.pub`), false);
    assert.equal((await run({ path, state: "absent" })).changed, false);
  });
});
