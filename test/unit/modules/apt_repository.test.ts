/**
 * apt_repository: the table of fixtures, then Ansible's SourcesList rules in modules/shared/sources-list.ts: how a
 * line is read and written back, and the file a new line goes to.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import apt_repository from "../../../modules/apt_repository.js";
import { dumpFile, loadSources, parseLine, suggestFilename } from "../../../modules/shared/sources-list.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(apt_repository);

test("a line is read as Ansible reads it: enabled or commented out, whitespace collapsed, a trailing comment kept", () => {
  assert.deepEqual(parseLine("  deb   http://m/debian  bookworm main  # the mirror\n"), { valid: true, enabled: true, source: "deb http://m/debian bookworm main", comment: "the mirror" });
  assert.deepEqual(parseLine("#deb-src http://m/debian bookworm main"), { valid: true, enabled: false, source: "deb-src http://m/debian bookworm main", comment: "" });
  assert.deepEqual(parseLine("# a comment\n"), { valid: false, enabled: false, source: "a comment", comment: "" });
  assert.deepEqual(parseLine("\n"), { valid: false, enabled: true, source: "", comment: "" });
});

test("a file is written back in normal form, and one with no line left is none", () => {
  const list = loadSources([{ path: "/etc/apt/sources.list", content: "#deb  http://m/debian bookworm main\n\n# note\ndeb http://m/debian bookworm main #x" }]);
  assert.equal(dumpFile(list.get("/etc/apt/sources.list") ?? []), "# deb http://m/debian bookworm main\n\n# note\ndeb http://m/debian bookworm main # x\n");
  assert.equal(dumpFile([]), undefined);
});

test("a new line's file is named after its host and path, without scheme, options or credentials", () => {
  const table: [string, string | undefined, string][] = [
    ["deb http://deb.debian.org/debian bookworm main", undefined, "/etc/apt/sources.list.d/deb_debian_org_debian.list"],
    ["deb [arch=amd64 signed-by=/k.asc] https://user:pw@apt.example.org/repo stable main", undefined, "/etc/apt/sources.list.d/apt_example_org_repo.list"],
    ["deb http://deb.debian.org/debian bookworm main", "google-chrome", "/etc/apt/sources.list.d/google-chrome.list"],
    ["deb http://deb.debian.org/debian bookworm main", "/etc/apt/other", "/etc/apt/other.list"],
  ];
  for (const [source, filename, path] of table) assert.equal(suggestFilename(source, filename), path, source);
});
