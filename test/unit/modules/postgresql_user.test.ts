import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import module from "../../../modules/postgresql_user.js";
import { passwordDiffers } from "../../../modules/shared/postgres-password.js";
import { FakeContext } from "../../helpers/fake-context.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(module);

/** The role the creation predicts, read back by a second check: check mode's later tasks see it as wanted. */
test("the predicted role after a creation has the password as the server keeps it (a SCRAM verifier)", async () => {
  const args = { name: "rems", password: "supersecure", login_unix_socket: "/var/run/postgresql" };
  const target = { user: "postgres", conninfo: "host='/var/run/postgresql' port='5432' user='postgres'" };
  const key = JSON.stringify({ target, query: { name: "rems" } });
  const first = new FakeContext({ user: "postgres", checkMode: true, facts: { pg_role: { [key]: { ok: true, value: { role: null } } } } });
  const plan = await module.check(first, args);
  assert.equal(plan.changed, true);
  const predicted = plan.predicts?.[0]?.value;
  assert.match(JSON.stringify(predicted), /SCRAM-SHA-256\$4096:/);
  const again = await module.check(new FakeContext({ user: "postgres", checkMode: true, facts: { pg_role: { [key]: predicted } } }), args);
  assert.equal(again.changed, false);
});

test("an md5 hash given is compared as text with the stored one", () => {
  assert.equal(passwordDiffers("md5aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "rems", "md5aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true), false);
  // md5("secret" + "rems"), as PostgreSQL stores a password hashed with md5
  assert.equal(passwordDiffers("md5" + createHash("md5").update("secretrems").digest("hex"), "rems", "secret", true), false);
  assert.equal(passwordDiffers(null, "rems", "secret", true), true);
  assert.equal(passwordDiffers(null, "rems", "", true), false);
});
