import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ModuleError } from "../../../engine/errors.js";
import { formatMode, parseMode } from "../../../modules/shared/file-mode.js";

const FILE = false;
const DIR = true;

function resolve(mode: string | number, current: number, isDirectory = FILE): string {
  return formatMode(parseMode(mode).resolve(current, isDirectory));
}

describe("octal modes", () => {
  test("a four-digit octal string is the mode whatever the current one", () => {
    assert.equal(resolve("0644", 0o600), "0644");
  });
  test("a three-digit octal string and the 0o prefix mean the same", () => {
    assert.equal(resolve("644", 0o777), "0644");
    assert.equal(resolve("0o750", 0o644), "0750");
  });
  test("special bits are kept from a four-digit mode", () => {
    assert.equal(resolve("1777", 0o755, DIR), "1777");
    assert.equal(resolve("2750", 0o755, DIR), "2750");
  });
  // Issue 14: `mode: "02775"` was refused; Ansible reads any number of leading zeros.
  test("a five-digit octal string with a leading zero is a mode with a special bit", () => {
    assert.equal(resolve("02775", 0o755, DIR), "2775");
    assert.equal(resolve("00644", 0o600), "0644");
    assert.throws(() => parseMode("12775"), ModuleError);
  });
  test("a number is already the permission bits (YAML 1.1 octal 0644 is 420)", () => {
    assert.equal(resolve(420, 0o600), "0644");
    assert.equal(resolve(0o755, 0), "0755");
  });
  test("a number outside the permission range is refused", () => {
    assert.throws(() => parseMode(0o10000), ModuleError);
    assert.throws(() => parseMode(-1), ModuleError);
  });
  test("the text keeps what was written", () => {
    assert.equal(parseMode("u=rw").text, "u=rw");
    assert.equal(parseMode(420).text, "0644");
  });
});

describe("symbolic modes", () => {
  test("u=rw,g=r,o=r sets each class", () => {
    assert.equal(resolve("u=rw,g=r,o=r", 0o777), "0644");
    assert.equal(resolve("u=rw,g=r,o=r", 0o000), "0644");
  });
  test("+ adds and - removes bits of the named classes only", () => {
    assert.equal(resolve("u+x,g-w", 0o664), "0744");
    assert.equal(resolve("o-rwx", 0o755), "0750");
  });
  test("a means all classes", () => {
    assert.equal(resolve("a+r", 0o600), "0644");
    assert.equal(resolve("a-w", 0o666), "0444");
  });
  test("X sets execute on a directory", () => {
    assert.equal(resolve("a+rX", 0o700, DIR), "0755");
  });
  test("X sets execute on a file that is already executable by someone", () => {
    assert.equal(resolve("a+rX", 0o700, FILE), "0755");
    assert.equal(resolve("u=rwX,g=rX,o=rX", 0o744, FILE), "0755");
  });
  test("X leaves a non-executable file without execute", () => {
    assert.equal(resolve("a+rX", 0o600, FILE), "0644");
    assert.equal(resolve("u=rwX,g=rX,o=rX", 0o640, FILE), "0644");
  });
  test("= clears the class's bits before setting", () => {
    assert.equal(resolve("g=", 0o775), "0705");
    assert.equal(resolve("u=r", 0o4755), "0455");
  });
  test("s and t set setuid, setgid and sticky", () => {
    assert.equal(resolve("u+s", 0o755), "4755");
    assert.equal(resolve("g+s", 0o755, DIR), "2755");
    assert.equal(resolve("o+t", 0o777, DIR), "1777");
  });
  test("a class can copy another class's bits", () => {
    assert.equal(resolve("g=u", 0o750), "0770");
    assert.equal(resolve("o=g", 0o754), "0755");
  });
  test("several operations in one clause apply in order", () => {
    assert.equal(resolve("u=rwx-w", 0o000), "0500");
  });
  test("without a class, the umask 022 limits what is added", () => {
    assert.equal(resolve("+w", 0o444), "0644");
    assert.equal(resolve("=rw", 0o777), "0644");
  });
  test("clauses apply left to right", () => {
    assert.equal(resolve("a=r,u+w", 0o777), "0644");
  });
});

describe("bad modes", () => {
  for (const bad of ["", "abc", "u=rwq", "0999", "u=rw,", "z+x", "12345"]) {
    test(`'${bad}' is refused with a message naming the forms`, () => {
      assert.throws(() => parseMode(bad), (err: unknown) => {
        assert.ok(err instanceof ModuleError);
        assert.match(err.message, /is not an octal mode \('0644'\) or symbolic mode/);
        return true;
      });
    });
  }
});
