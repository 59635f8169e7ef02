import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DIFF_NOT_SHOWN, MAX_DIFF_BYTES, renderDiff } from "../../../engine/diff.js";
import type { FileDiff } from "../../../engine/diff-types.js";
import { assertGolden } from "../../helpers/golden.js";

const nginxBefore = [
  "server {",
  "    listen 80;",
  "    server_name rems.lab;",
  "    root /var/www/rems;",
  "    location / {",
  "        proxy_pass http://127.0.0.1:8000;",
  "    }",
  "    location /static/ {",
  "        alias /opt/rems/static/;",
  "    }",
  "    client_max_body_size 1m;",
  "}",
  "",
].join("\n");
const nginxAfter = nginxBefore
  .replace("server_name rems.lab;", "server_name rems.lab rems;")
  .replace("client_max_body_size 1m;", "client_max_body_size 10m;\n    access_log /var/log/nginx/rems.access.log;");

const cases: Record<string, FileDiff> = {
  "content-change": { path: "/etc/nginx/sites-available/rems", before: nginxBefore, after: nginxAfter },
  "new-file": { path: "/etc/cron.d/rems-backup", before: "", after: "# rems: backup\n15 3 * * * root /usr/local/bin/rems-backup\n" },
  "removed-file": { path: "/etc/nginx/sites-enabled/default", before: "server {\n    listen 80 default_server;\n}\n", after: "" },
  "no-trailing-newline": { path: "/etc/rems/env", before: "PORT=8000\nWORKERS=2", after: "PORT=8000\nWORKERS=4\n" },
  "custom-headers": {
    path: "/opt/rems/app.py",
    before: "DEBUG = True\nSECRET_KEY = '********'\n",
    after: "DEBUG = False\nSECRET_KEY = '********'\n",
    beforeHeader: "/opt/rems/app.py (lab1)",
    afterHeader: "roles/app/files/app.py",
  },
  "one-line": { path: "service rems.service", before: "stopped", after: "started\n" },
  binary: { path: "/opt/rems/static/logo.png", before: "\u0089PNG\r\n\u001a\n\u0000\u0000", after: "\u0089PNG\r\n\u001a\n\u0000\u0001" },
};

describe("renderDiff", () => {
  for (const [name, diff] of Object.entries(cases)) {
    test(`renders the ${name} case like the golden file`, () => {
      assertGolden(`test/golden/diff/${name}.txt`, renderDiff(diff));
    });
  }

  test("colors removals, additions and hunk headers only when asked", () => {
    const colored = renderDiff(cases["content-change"] ?? assert.fail("missing case"), { color: true });
    assertGolden("test/golden/diff/content-change-color.txt", colored);
    assert.ok(colored.includes("\u001b[31m-    server_name rems.lab;\u001b[0m\n"));
    assert.ok(!renderDiff(cases["content-change"] ?? assert.fail("missing case")).includes("\u001b"));
  });

  test("shows nothing for equal content", () => {
    assert.equal(renderDiff({ path: "/etc/hostname", before: "lab1\n", after: "lab1\n" }), "");
  });

  test("does not diff content above 256 KiB", () => {
    const big = "x".repeat(MAX_DIFF_BYTES) + "\n";
    const text = renderDiff({ path: "/var/lib/rems/dump.sql", before: "small\nfile\n", after: big });
    assert.equal(text, `--- /var/lib/rems/dump.sql (before)\n+++ /var/lib/rems/dump.sql (after)\n${DIFF_NOT_SHOWN}\n`);
  });

  test("counts the size in bytes, not characters", () => {
    const justUnder = "é".repeat(MAX_DIFF_BYTES / 2 - 1);
    assert.doesNotMatch(renderDiff({ path: "/f", before: "a\nb\n", after: justUnder + "\n" }), /diff not shown/);
    const over = "é".repeat(MAX_DIFF_BYTES / 2 + 1);
    assert.match(renderDiff({ path: "/f", before: "a\nb\n", after: over + "\n" }), /diff not shown/);
  });

  test("keeps the context to three lines around a change", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const after = before.replace("line 10\n", "line ten\n");
    const lines = renderDiff({ path: "/f", before, after }).split("\n");
    assert.equal(lines[2], "@@ -7,7 +7,7 @@");
    assert.deepEqual(lines.slice(3, 12), ["line 7", "line 8", "line 9", "-line 10", "+line ten", "line 11", "line 12", "line 13", ""].map((l) => (l.startsWith("-") || l.startsWith("+") || l === "" ? l : ` ${l}`)));
  });
});
