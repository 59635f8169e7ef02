import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_MIRROR, machineMirrorFor, mirrorFromDeb822, mirrorFromSourcesList } from "../../../lab/mirror.js";

const deb822 = `Types: deb-src
URIs: http://src.example/debian
Suites: bookworm

Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
Components: main

Types: deb
# a comment line
URIs: http://mirror.example/debian http://other.example/debian
Suites: bookworm bookworm-updates
Components: main
`;

void test("deb822: the first enabled deb stanza serving the suite", () => {
  assert.equal(mirrorFromDeb822(deb822, "bookworm"), "http://mirror.example/debian");
  assert.equal(mirrorFromDeb822(deb822, "trixie"), undefined);
});

void test("deb822: a disabled stanza is skipped", () => {
  const text = "Types: deb\nURIs: http://off.example/debian\nSuites: bookworm\nEnabled: no\n\n" + deb822;
  assert.equal(mirrorFromDeb822(text, "bookworm"), "http://mirror.example/debian");
});

void test("sources.list: options in brackets and other suites are skipped", () => {
  const text = [
    "# deb http://commented.example/debian bookworm main",
    "deb-src http://src.example/debian bookworm main",
    "deb http://security.example/debian-security bookworm-security main",
    "deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian bookworm main",
  ].join("\n");
  assert.equal(mirrorFromSourcesList(text, "bookworm"), "http://mirror.example/debian");
  assert.equal(mirrorFromSourcesList("", "bookworm"), undefined);
});

void test("a release the machine does not list is built from the machine's mirror of another release", () => {
  assert.equal(machineMirrorFor("trixie", ["bookworm"], deb822, ""), "http://mirror.example/debian");
  assert.equal(machineMirrorFor("trixie", ["bookworm"], "", "deb http://line.example/debian trixie main"), "http://line.example/debian");
  assert.equal(machineMirrorFor("trixie", ["bookworm"], "", ""), DEFAULT_MIRROR);
});
