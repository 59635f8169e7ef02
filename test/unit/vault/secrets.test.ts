import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { UsageError, VaultError } from "../../../engine/errors.js";
import { loadVaultSecrets, vaultSources, type AskSecret } from "../../../engine/vault/secrets.js";
import { TEST_PASSWORD, vaultFixture } from "../../helpers/vault.js";

const dir = mkdtempSync(join(tmpdir(), "rems-vault-secrets-"));

function file(name: string, content: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

const noTerminal: AskSecret = () => Promise.reject(new Error("no question expected"));

/** Answers questions in order and records them. */
function answers(...replies: string[]): { ask: AskSecret; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    ask: (question) => {
      asked.push(question);
      return Promise.resolve(replies.shift() ?? "");
    },
  };
}

const text = (secrets: readonly { id: string; password: Buffer }[]): string[][] => secrets.map((s) => [s.id, s.password.toString("utf8")]);

describe("vault password sources (Ansible's options and order)", () => {
  test("--vault-id in order, then --vault-password-file, then ANSIBLE_VAULT_PASSWORD_FILE, then -J", () => {
    const sources = vaultSources({ ids: ["prod@prod.txt", "dev@prompt", "plain.txt"], files: ["a.txt"], envFile: "env.txt", ask: true });
    assert.deepEqual(sources, [
      { id: "prod", file: "prod.txt" },
      { id: "dev", ask: "labelled" },
      { id: "default", file: "plain.txt" },
      { id: "default", file: "a.txt" },
      { id: "default", file: "env.txt" },
      { id: "default", ask: "plain" },
    ]);
  });

  test("a ';' in a vault id, or an empty label or source, is a usage error", () => {
    for (const slug of ["a;b@x.txt", "@x.txt", "prod@"]) {
      assert.throws(() => vaultSources({ ids: [slug], files: [], envFile: undefined, ask: false }), UsageError, slug);
    }
  });

  test("a password file is read without its surrounding whitespace", async () => {
    const secrets = await loadVaultSecrets([{ id: "default", file: vaultFixture("test-password.txt") }], noTerminal);
    assert.deepEqual(text(secrets), [["default", TEST_PASSWORD]]);
    const spaced = await loadVaultSecrets([{ id: "x", file: file("spaced", "  pass word \r\n\n") }], noTerminal);
    assert.deepEqual(text(spaced), [["x", "pass word"]]);
  });

  test("an executable file is run: its output without CR/LF at the ends is the password; *-client scripts get --vault-id", async () => {
    const script = file("pw.sh", "#!/bin/sh\nprintf '\\n script pass \\r\\n'\n", 0o700);
    assert.deepEqual(text(await loadVaultSecrets([{ id: "default", file: script }], noTerminal)), [["default", " script pass "]]);
    const client = file("vault-client.sh", "#!/bin/sh\necho \"pw-for-$1-$2\"\n", 0o700);
    assert.deepEqual(text(await loadVaultSecrets([{ id: "prod", file: client }], noTerminal)), [["prod", "pw-for---vault-id-prod"]]);
  });

  test("a missing file, a failing script, an empty password: REMS_VAULT_PASSWORD naming the source", async () => {
    const cases: [string, RegExp][] = [
      [join(dir, "missing.txt"), /vault password file .*missing\.txt was not found/],
      [file("fails.sh", "#!/bin/sh\nexit 3\n", 0o700), /script .*fails\.sh failed \(exit code 3\)/],
      [file("empty.txt", " \n"), /password from .*empty\.txt is empty/],
    ];
    for (const [path, message] of cases) {
      await assert.rejects(loadVaultSecrets([{ id: "default", file: path }], noTerminal), (e: unknown) => e instanceof VaultError && e.code === "REMS_VAULT_PASSWORD" && message.test(e.message));
    }
  });

  test("prompts: Ansible's questions for -J and label@prompt; a new password is asked twice", async () => {
    const once = answers("one", "two");
    const secrets = await loadVaultSecrets([{ id: "default", ask: "plain" }, { id: "prod", ask: "labelled" }], once.ask);
    assert.deepEqual(once.asked, ["Vault password: ", "Vault password (prod): "]);
    assert.deepEqual(text(secrets), [["default", "one"], ["prod", "two"]]);
    const twice = answers("new", "new");
    await loadVaultSecrets([{ id: "prod", ask: "labelled" }], twice.ask, true);
    assert.deepEqual(twice.asked, ["New vault password (prod): ", "Confirm new vault password (prod): "]);
  });

  test("a new password confirmed differently, or an empty answer, is refused", async () => {
    await assert.rejects(loadVaultSecrets([{ id: "default", ask: "plain" }], answers("a", "b").ask, true), /the two vault passwords for vault id 'default' differ/);
    await assert.rejects(loadVaultSecrets([{ id: "default", ask: "plain" }], answers("").ask), /is empty/);
  });
});
