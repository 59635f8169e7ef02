import { test } from "node:test";
import assert from "node:assert/strict";
import { ModuleError } from "../../../engine/errors.js";
import { ident, literal, probeCommand, psqlStdin } from "../../../modules/shared/postgres.js";

/** Hostile names: quotes, a statement separator, a psql variable, a backslash command, a newline. */
test("identifiers are quoted, embedded quotes doubled, control characters escaped so statements stay on one line", () => {
  assert.equal(ident("rems"), '"rems"');
  assert.equal(ident('app"; DROP ROLE x; --'), '"app""; DROP ROLE x; --"');
  assert.equal(ident(":name"), '":name"');
  assert.equal(ident("a\\b"), 'U&"a\\\\b"');
  assert.equal(ident("x\nDROP"), 'U&"x\\000aDROP"');
});

test("literals are quoted, quotes doubled; backslashes and control characters make an E'' literal", () => {
  assert.equal(literal("it's"), "'it''s'");
  assert.equal(literal("\\q"), "E'\\\\q'");
  assert.equal(literal("a\nb"), "E'a\\x0ab'");
  assert.throws(() => literal("a\0b"), ModuleError);
});

test("the probe's SQL goes to psql's stdin through the shell's printf; a password never enters a command", () => {
  const target = { user: "postgres", conninfo: "port='5432' user='postgres'" };
  const probe = probeCommand(target, "SELECT 1;").text;
  assert.match(probe, /^printf '%s\\n' 'SELECT 1;' \| \{ cd \/ && if \[ "\$\(id -un\)" = postgres \]; then psql /);
  assert.equal(psqlStdin(target, "pw'secret", "SELECT 1;"), "pw'secret\nSELECT 1;\n");
  assert.throws(() => psqlStdin(target, "two\nlines", "SELECT 1;"), ModuleError);
});
