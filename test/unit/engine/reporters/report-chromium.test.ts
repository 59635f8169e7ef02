/**
 * The HTML report as an auditor sees it: rendered by headless Chromium, the screenshot is not blank and the
 * rendered page names every host. A blank page run through the same check proves the check can fail.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createReportReporter } from "../../../../engine/reporters/report.js";
import { chromiumPath, dumpDom, screenshot } from "../../../helpers/chromium.js";
import { decodePng, inkStats } from "../../../helpers/png.js";
import { AUDIT_HOSTS, recordedAudit } from "./audit-events.js";

const SIZE = { width: 1280, height: 2000 };

async function writeReport(dir: string): Promise<string> {
  const path = join(dir, "audit.html");
  const reporter = createReportReporter(path);
  for (const e of recordedAudit()) reporter.onEvent(e);
  await reporter.close();
  return path;
}

describe("HTML report in headless Chromium", () => {
  test("renders a page that is not blank and names every host", async (t) => {
    const chromium = chromiumPath();
    const dir = mkdtempSync(join(tmpdir(), "rems-report-chromium-"));
    const htmlPath = await writeReport(dir);
    const pngPath = join(dir, "audit.png");
    await screenshot(chromium, htmlPath, pngPath, SIZE);
    t.diagnostic(`screenshot: ${pngPath}`);

    const image = decodePng(readFileSync(pngPath));
    assert.deepEqual([image.width, image.height], [SIZE.width, SIZE.height]);
    const { colors, inkRatio } = inkStats(image);
    assert.ok(colors >= 16, `the screenshot has only ${colors} colors`);
    assert.ok(inkRatio > 0.02 && inkRatio < 0.9, `${(inkRatio * 100).toFixed(1)}% of the screenshot is drawn`);
    // The hosts table is on top: the first screenful has drawn pixels.
    const top = inkStats({ width: image.width, height: 400, pixels: image.pixels.subarray(0, image.width * 400 * 4) });
    assert.ok(top.inkRatio > 0.02, "the top of the page is blank");

    const html = readFileSync(htmlPath, "utf8");
    const dom = await dumpDom(chromium, htmlPath);
    for (const host of AUDIT_HOSTS) {
      assert.ok(html.includes(`>${host}<`), `the HTML does not name ${host}`);
      assert.match(dom, new RegExp(`<h2>Host ${host}</h2>`), `the rendered page has no section for ${host}`);
      assert.match(dom, new RegExp(`<a href="#host-\\d">${host}</a>`), `the hosts table does not name ${host}`);
    }
    assert.match(dom, /<span class="del">- {4}client_max_body_size 100m;<\/span>/);
  });

  test("the same check finds a blank page blank", async () => {
    const chromium = chromiumPath();
    const dir = mkdtempSync(join(tmpdir(), "rems-report-chromium-"));
    const htmlPath = join(dir, "blank.html");
    writeFileSync(htmlPath, "<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>\n");
    await screenshot(chromium, htmlPath, join(dir, "blank.png"), SIZE);
    const { colors, inkRatio } = inkStats(decodePng(readFileSync(join(dir, "blank.png"))));
    assert.ok(colors < 16 && inkRatio <= 0.02, `a blank page counted as drawn: ${colors} colors, ink ${inkRatio}`);
  });
});
