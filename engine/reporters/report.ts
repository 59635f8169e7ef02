/**
 * --report FILE: a reporter that keeps the run's events and, when the run ends, writes the audit report in the
 * format the file's extension names. It runs beside the console reporter (the CLI hands every event to both).
 */
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UsageError } from "../errors.js";
import type { RunEvent } from "../events.js";
import { buildReportModel, type ReportModel } from "./report-model.js";
import { renderHtml } from "./report-html.js";
import { renderJson } from "./report-json.js";
import { renderMarkdown } from "./report-markdown.js";
import type { Reporter } from "./reporter.js";
import { reportFormat, type ReportFormat } from "./report-format.js";

const RENDERERS: Readonly<Record<ReportFormat, (model: ReportModel) => string>> = {
  json: renderJson,
  md: renderMarkdown,
  html: renderHtml,
};

/** The report of a run's events in FORMAT, as text. */
export function renderReport(events: readonly RunEvent[], format: ReportFormat): string {
  return RENDERERS[format](buildReportModel(events));
}

/**
 * Collects events; close() writes the report to PATH, replacing it whole (a temporary file renamed into place,
 * so a reader never sees half a report). Throws a UsageError when PATH has no report extension, and close()
 * rejects with one when the file cannot be written.
 */
export function createReportReporter(path: string): Reporter {
  const format = reportFormat(path);
  if (format === undefined) throw new UsageError(`--report ${path}: the file name must end in .json, .md or .html`);
  const events: RunEvent[] = [];
  return {
    onEvent(e) {
      events.push(e);
    },
    async close() {
      const text = renderReport(events, format);
      const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
      try {
        await writeFile(temporary, text);
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw new UsageError(`cannot write the report ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
