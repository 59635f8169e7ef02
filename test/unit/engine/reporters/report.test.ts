import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../../../engine/errors.js";
import { createReportReporter, renderReport } from "../../../../engine/reporters/report.js";
import { reportFormat } from "../../../../engine/reporters/report-format.js";
import { recordedAudit } from "./audit-events.js";

describe("report reporter", () => {
  test("picks the format from the file's extension, and no other", () => {
    assert.equal(reportFormat("audit.json"), "json");
    assert.equal(reportFormat("out/audit.MD"), "md");
    assert.equal(reportFormat("/tmp/audit.html"), "html");
    for (const path of ["audit.htm", "audit.txt", "audit", "html", "audit.html.bak"]) assert.equal(reportFormat(path), undefined, path);
    assert.throws(() => createReportReporter("audit.txt"), UsageError);
  });

  test("writes the report of the events it was given when closed, and leaves no temporary file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rems-report-"));
    for (const format of ["json", "md", "html"] as const) {
      const path = join(dir, `audit.${format}`);
      const reporter = createReportReporter(path);
      for (const e of recordedAudit()) reporter.onEvent(e);
      await reporter.close();
      assert.equal(readFileSync(path, "utf8"), renderReport(recordedAudit(), format));
    }
    assert.deepEqual(readdirSync(dir).sort(), ["audit.html", "audit.json", "audit.md"]);
  });

  test("a file it cannot write is a usage error naming the file", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "rems-report-")), "missing-dir", "audit.md");
    const reporter = createReportReporter(path);
    reporter.onEvent({ type: "play_start", name: "p", hosts: ["a"] });
    await assert.rejects(reporter.close(), (error: unknown) => error instanceof UsageError && error.message.includes(path));
  });
});
