import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { RunEvent } from "../../../../engine/events.js";
import { renderReport } from "../../../../engine/reporters/report.js";
import { assertGolden } from "../../../helpers/golden.js";
import { AUDIT_HOSTS, recordedAudit } from "./audit-events.js";

/** A task whose name and diff try to break out of each format. */
const hostile: RunEvent[] = [
  { type: "run_start", playbooks: ["p.yml"], inventories: ["i.yml"], sources: [], check: true, diff: true, inputs: { tags: [], skipTags: [], extraVars: [] }, startedAt: "2026-11-27T10:00:00.000Z" },
  { type: "play_start", name: "p", hosts: ["evil<host>"] },
  {
    type: "task_result",
    host: "evil<host>",
    task: "x | [link](http://example.org) <img src=x onerror=alert(1)> ```",
    status: "changed",
    drift: "drift",
    summary: "write </pre><script>alert(1)</script>",
    diffs: [{ path: "/etc/a&b", before: "a\n```\n<b>old</b>\n", after: "a\n```\n<b>new</b>\n" }],
    durationMs: 1,
  },
];

describe("report formats", () => {
  test("JSON: the versioned report model", () => {
    const text = renderReport(recordedAudit(), "json");
    assertGolden("test/golden/reports/audit.json", text);
    const parsed = JSON.parse(text) as { reportVersion: number; hosts: { name: string }[] };
    assert.equal(parsed.reportVersion, 2);
    assert.deepEqual(parsed.hosts.map((h) => h.name), [...AUDIT_HOSTS]);
  });

  test("Markdown: hosts table, then per host its findings with diffs and all tasks", () => {
    const text = renderReport(recordedAudit(), "md");
    assertGolden("test/golden/reports/audit.md", text);
    assert.match(text, /^\| lab3 \| no \(REMS\\_CONNECTION\) \| not known \(host not reached\) \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \|$/m);
    assert.match(text, /^### 1 drift, 1 pending: nginx : Step 7 · site configuration \\<rems\\>$/m);
    assert.match(text, /^### 1 drift: app : Step 4 · environment file$/m);
    assert.match(text, /^@@ -1,10 \+1,9 @@ drift and pending$/m);
    assert.match(text, /^- {4}client_max_body_size 100m;$/m);
  });

  test("HTML: one self-contained page with a hosts table on top and colored diffs", () => {
    const text = renderReport(recordedAudit(), "html");
    assertGolden("test/golden/reports/audit.html", text);
    assert.doesNotMatch(text, /<script|<link|<img|src=|url\(|@import/i);
    assert.ok(text.indexOf('<table class="hosts">') < text.indexOf('<section id="host-1">'));
    for (const name of AUDIT_HOSTS) assert.match(text, new RegExp(`<h2>Host ${name}</h2>`));
    assert.match(text, /<span class="del">- {4}client_max_body_size 100m;<\/span>/);
    assert.match(text, /<span class="add">\+ {4}client_max_body_size 16m;<\/span>/);
    assert.match(text, /<span class="hunk">@@ -1,10 \+1,9 @@ drift and pending<\/span>/);
    assert.match(text, /site configuration &#60;rems&#62;/);
  });

  test("no format lets text from events become markup", () => {
    const html = renderReport(hostile, "html");
    assert.doesNotMatch(html, /<script|<img|<\/pre><script|<b>|<host>/);
    assert.match(html, /&#60;img src=x onerror=alert\(1\)&#62;/);
    assert.match(html, /<span class="del">-&#60;b&#62;old&#60;\/b&#62;<\/span>/);

    const md = renderReport(hostile, "md");
    assert.match(md, /x \\\| \\\[link\\\]\(http:\/\/example\.org\) \\<img src=x onerror=alert\(1\)\\> \\`\\`\\`/);
    // The diff holds a ``` line, so its fence is longer and the content cannot close it.
    assert.match(md, /^````diff\n[^]*^ ```\n[^]*^````$/m);
    // Outside code blocks, every "<" is escaped.
    assert.doesNotMatch(md.replace(/^`{4}diff\n[^]*?^`{4}$/gm, ""), /(?<!\\)</);

    const json = JSON.parse(renderReport(hostile, "json")) as { hosts: { name: string }[] };
    assert.equal(json.hosts[0]?.name, "evil<host>");
  });

  test("a masked secret stays masked in every format", () => {
    for (const format of ["json", "md", "html"] as const) {
      const text = renderReport(recordedAudit(), format);
      assert.match(text, /SECRET_KEY=\*{8}/, format);
      assert.doesNotMatch(text, /hunter2/, format);
    }
  });
});
