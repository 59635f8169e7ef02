import assert from "node:assert/strict";
import { test } from "node:test";
import { isSecretName, MASK, SecretRegistry } from "../../../engine/mask.js";

test("a secret is masked wherever it appears; one containing another is masked whole", () => {
  const secrets = new SecretRegistry();
  secrets.add("hunter2");
  secrets.add("hunter2-and-more");
  assert.equal(secrets.mask("a hunter2-and-more b hunter2 c"), `a ${MASK} b ${MASK} c`);
});

test("values added later are masked too, numbers as their digits; very short values are not", () => {
  const secrets = new SecretRegistry();
  secrets.add("abc");
  assert.equal(secrets.mask("abc"), "abc");
  secrets.add(123456);
  secrets.add("token-value");
  assert.equal(secrets.mask("pin 123456, token-value"), `pin ${MASK}, ${MASK}`);
});

test("maskDeep masks every string of a nested value and leaves the rest", () => {
  const secrets = new SecretRegistry();
  secrets.addFromVars({ db: { password: "s3cret-pw", port: 5432 }, name: "s3cret-pw is here" });
  assert.deepEqual(secrets.maskDeep({ msg: ["x s3cret-pw y", 7, null], nested: { ok: true, text: "s3cret-pw" } }), {
    msg: [`x ${MASK} y`, 7, null],
    nested: { ok: true, text: MASK },
  });
});

test("secret names", () => {
  assert.deepEqual(["SECRET_KEY", "db_password", "api_token", "ssh_private_key", "app_port"].map(isSecretName), [true, true, true, true, false]);
});

test("a name that says where a secret is kept holds a path, which is shown", () => {
  assert.deepEqual(["ansible_ssh_private_key_file", "app_secret_key_file", "password_path", "token_dir"].map(isSecretName), [false, false, false, false]);
  const secrets = new SecretRegistry();
  secrets.addFromVars({ ansible_ssh_private_key_file: "/root/.ssh/lab_key", ansible_ssh_pass: "pass-w0rd" });
  assert.equal(secrets.mask("cannot use the private key /root/.ssh/lab_key; pass-w0rd"), `cannot use the private key /root/.ssh/lab_key; ${MASK}`);
});
