/**
 * Issue 16 item 8: input that is not UTF-8 is refused with the file, line:col and byte offset; it was read with
 * each bad byte replaced by U+FFFD.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli } from "../../helpers/rems-play.js";

describe("issue 16 item 8: input that is not UTF-8", () => {
  const tmp = mkdtempSync(join(tmpdir(), "rems-latin1-"));
  const head = "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: caf";
  writeFileSync(join(tmp, "latin1.yml"), Buffer.concat([Buffer.from(head), Buffer.from([0xe9]), Buffer.from("\n")]));
  writeFileSync(join(tmp, "latin1.ini"), Buffer.concat([Buffer.from("[web]\nweb1 ansible_connection=local owner=Ren"), Buffer.from([0xe9, 0x0a])]));
  writeFileSync(join(tmp, "ok.yml"), "- hosts: all\n  gather_facts: false\n  tasks: []\n");
  writeFileSync(join(tmp, "ok.ini"), "[web]\nweb1 ansible_connection=local\n");

  test("item 8: a playbook with a Latin-1 byte is refused with the file, line:col and byte offset", () => {
    const out = runCli(["latin1.yml", "-i", "ok.ini", "--syntax-check"], { cwd: tmp });
    assert.equal(out.status, 4, out.stdout + out.stderr);
    assert.equal(out.stderr, `ERROR: latin1.yml:5:17: the file is not UTF-8 text: byte 0xe9 at byte offset ${head.length} is not UTF-8; save it as UTF-8\n`);
  });

  test("item 8: so is an inventory", () => {
    const out = runCli(["ok.yml", "-i", "latin1.ini", "--syntax-check"], { cwd: tmp });
    assert.equal(out.status, 4, out.stdout + out.stderr);
    assert.match(out.stderr, /^ERROR: latin1\.ini:2:40: the file is not UTF-8 text: byte 0xe9 at byte offset 45/);
  });
});
