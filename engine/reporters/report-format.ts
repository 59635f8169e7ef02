/**
 * The report formats, by file extension. Apart from report.ts so that parsing the command line does not load the
 * report renderers.
 */
import { extname } from "node:path";

export type ReportFormat = "json" | "md" | "html";

/** The format a report path asks for by its extension (any case), or undefined when it names none we write. */
export function reportFormat(path: string): ReportFormat | undefined {
  const ext = extname(path).slice(1).toLowerCase();
  return ext === "json" || ext === "md" || ext === "html" ? ext : undefined;
}
