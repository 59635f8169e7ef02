/** file's attributes (issue 14): which chattr runs for which wanted and current flags. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { flagsCommand } from "../../../modules/shared/file-flags.js";

const known = (flags: string) => ({ known: true as const, flags });
const shown = (wanted: string, current: ReturnType<typeof known> | { known: false; error: string }): string | undefined => flagsCommand("/f", wanted, current)?.display;

test("+ adds only what is missing, - removes only what is there, a bare set must match exactly", () => {
  assert.equal(shown("+A", known("e")), "chattr +A -- /f");
  assert.equal(shown("+A", known("eA")), undefined);
  assert.equal(shown("-A", known("e")), undefined);
  assert.equal(shown("-A", known("eA")), "chattr -A -- /f");
  assert.equal(shown("A", known("A")), undefined);
  assert.equal(shown("ia", known("ai")), undefined);
  assert.equal(shown("A", known("eA")), "chattr =A -- /f");
  assert.equal(shown("", known("")), undefined);
  assert.equal(shown("", known("A")), "chattr = -- /f");
});

test("unknown flags (lsattr failed) plan chattr, which fails with the file system's error", () => {
  assert.equal(shown("-A", { known: false, error: "Operation not supported" }), "chattr -A -- /f");
});
