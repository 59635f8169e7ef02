import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PlaybookSyntaxError, SchemaValidationError } from "../../../engine/errors.js";
import { locationOf, valueLocationOf } from "../../../engine/source/locations.js";
import { parseYaml, readYamlFile } from "../../../engine/source/yaml.js";
import { fixture } from "../../fixtures/load/registry.js";
import { NO_VAULT } from "../../../engine/vault/vault.js";

type Map = Record<string, unknown>;

describe("YAML values (YAML 1.1 as PyYAML reads it)", () => {
  const file = fixture("yaml", "values.yml");
  const { data, errors } = readYamlFile(file, NO_VAULT);
  const doc = data as Map;

  test("yes/no/on/off/True are booleans, quoted 'yes' and n stay strings", () => {
    assert.deepEqual(errors, []);
    assert.deepEqual(doc.flags, { a: true, b: false, c: true, d: false, e: true, f: "yes", y: "n" });
  });

  test("mode: 0644 and 0o755 become octal strings; quoted and symbolic modes are kept", () => {
    assert.deepEqual(doc.modes, [{ mode: "0644" }, { mode: "0755" }, { mode: "0640" }, { mode: "u=rw,g=r" }]);
  });

  test("an octal number outside `mode` is its value (0644 = 420), dates stay text", () => {
    assert.equal(doc.octal, 420);
    assert.equal(doc.when, "2001-01-01");
  });

  test("locations of keys, values and items are 1-based file:line:col", () => {
    const modes = doc.modes as Map[];
    assert.deepEqual(locationOf(doc, "modes"), { file, line: 10, col: 1 });
    assert.deepEqual(locationOf(modes, 1), { file, line: 12, col: 5 });
    assert.deepEqual(valueLocationOf(modes[1] as Map, "mode"), { file, line: 12, col: 11 });
    assert.deepEqual(locationOf(doc.flags as Map, "f"), { file, line: 7, col: 3 });
    assert.deepEqual(locationOf(doc), { file, line: 1, col: 1 });
  });
});

describe("YAML errors", () => {
  test("mode: 644 (decimal) is refused at its location with the fix", () => {
    const file = fixture("yaml", "decimal-mode.yml");
    const { errors } = readYamlFile(file, NO_VAULT);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof SchemaValidationError);
    assert.equal(errors[0].describe(), `${file}:5:15: mode 644 is a decimal number; file modes are octal: write mode: '0644'`);
  });

  test("a decimal mode never becomes the number 644", () => {
    const { data } = parseYaml("mode: 644\n", "x.yml", NO_VAULT);
    assert.notEqual((data as Map).mode, 644);
  });

  test("a syntax error names file:line:col and shows the offending line and the one before", () => {
    const file = fixture("yaml", "bad-syntax.yml");
    const { data, errors } = readYamlFile(file, NO_VAULT);
    assert.equal(data, undefined);
    assert.equal(errors.length, 1);
    const first = errors[0];
    assert.ok(first instanceof PlaybookSyntaxError);
    assert.deepEqual(first.loc, { file, line: 5, col: 6 });
    assert.equal(
      first.describe().split("\n").slice(-4).join("\n"),
      ["", "      debug: msg=hi", "     - name: broken", "     ^ here"].join("\n"),
    );
    assert.match(first.describe(), new RegExp(`^${file.replace(/[.]/g, "\\.")}:5:6: Syntax Error while loading YAML: `));
  });

  test("one indentation mistake is one error, placed where Ansible places it", () => {
    // The yaml parser reported three errors for this one (a duplicate "name" among them); PyYAML stops at one.
    const dedented = "- hosts: all\n  tasks:\n    - name: one\n      apt:\n      name: git\n        state: present\n";
    const { errors } = parseYaml(dedented, "dedent.yml", NO_VAULT);
    assert.equal(errors.length, 1, errors.map((e) => e.describe()).join("\n"));
    assert.match(errors[0]?.describe() ?? "", /^dedent\.yml:5:13: Syntax Error while loading YAML: /);
    // An error the parser places in the indentation points at the line's first character (7:8, as Ansible says).
    const misaligned = "- hosts: all\n  tasks:\n    - name: one\n      apt:\n        name: git\n       state: present\n";
    const found = parseYaml(misaligned, "align.yml", NO_VAULT).errors;
    assert.equal(found.length, 1);
    const text = found[0]?.describe() ?? "";
    assert.deepEqual(text.split("\n").slice(-3), ["        name: git", "       state: present", "       ^ here"]);
    assert.match(text, /^align\.yml:6:8: /);
  });

  test("duplicate keys are a syntax error", () => {
    const { errors } = parseYaml("a: 1\na: 2\n", "dup.yml", NO_VAULT);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.describe() ?? "", /^dup\.yml:2:1: Syntax Error while loading YAML: Map keys must be unique/);
  });
});
