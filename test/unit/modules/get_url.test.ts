/**
 * get_url: the table of fixtures, then its pure parts: the file names a download is saved under and the digest
 * read from a checksum file, as Ansible reads them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import get_url, { digestFor, dispositionFilename, urlFilename } from "../../../modules/get_url.js";
import { runModuleCases } from "../../helpers/module-tester.js";

runModuleCases(get_url);

test("a URL's file name is its path's last part", () => {
  assert.equal(urlFilename("http://h/a/b/rems-1.tar.gz?x=1"), "rems-1.tar.gz");
  assert.equal(urlFilename("http://h/"), "index.html");
});

test("Content-Disposition names the file, quoted or not, never with a directory", () => {
  assert.equal(dispositionFilename('attachment; filename="rems 1.txt"'), "rems 1.txt");
  assert.equal(dispositionFilename("attachment; filename=rems.txt; size=3"), "rems.txt");
  assert.equal(dispositionFilename('attachment; filename="../../etc/passwd"'), "passwd");
  assert.equal(dispositionFilename("inline"), undefined);
  assert.equal(dispositionFilename(undefined), undefined);
});

test("a checksum file gives the digest of the file by its name, in sha256sum's text and binary forms, or alone", () => {
  const sums = "aaa  other.txt\nbbb *rems.txt\nccc  ./dir/x.txt\n";
  assert.equal(digestFor(sums, "rems.txt"), "bbb");
  assert.equal(digestFor(sums, "dir/x.txt"), "ccc");
  assert.equal(digestFor(sums, "missing.txt"), undefined);
  assert.equal(digestFor("ddd\n", "anything"), "ddd");
});
