/** The report as JSON for machines (a quality system importing audits): the report model, versioned, indented. */
import type { ReportModel } from "./report-model.js";
import { toJson } from "./text.js";

export function renderJson(model: ReportModel): string {
  return `${toJson(model, 2)}\n`;
}
