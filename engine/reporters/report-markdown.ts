/**
 * The report as Markdown, for a ticket or a repository: the run's facts, a table of hosts, then per host its
 * findings with their diffs and a table of every task. Text from events is escaped so that a task name cannot
 * become a link, HTML or a broken table in the renderer.
 */
import {
  describeLastConverged,
  differenceLines,
  findings,
  hostColumns,
  hostRow,
  reportTitle,
  runFacts,
  statusLabel,
  taskTitle,
  verdict,
  describeWarningFinding,
  type HostReport,
  type ReportModel,
  type TaskReport,
} from "./report-model.js";

export function renderMarkdown(model: ReportModel): string {
  const out: string[] = [`# ${reportTitle(model)}`, "", `**${md(verdict(model))}**`, ""];
  if (model.warningFindings.length > 0) out.push("## Warning findings", "", ...model.warningFindings.map((f) => `- ${md(describeWarningFinding(f))}`), "");
  const differences = differenceLines(model);
  if (differences.length > 0) out.push("## Drift and pending changes", "", ...differences.map((line) => `- ${md(line)}`), "");
  out.push(...runFacts(model).map(([label, value]) => `- **${label}:** ${md(value)}`), "");
  out.push("## Hosts", "", ...table(hostColumns(model), model.hosts.map((h) => hostRow(model, h))), "");
  if (model.warnings.length > 0) out.push("## Warnings", "", ...model.warnings.map((w) => `- ${md(w)}`), "");
  for (const host of model.hosts) out.push(...hostSection(host));
  return `${out.join("\n").trimEnd()}\n`;
}

function hostSection(host: HostReport): string[] {
  const out = [`## Host ${md(host.name)}`, ""];
  if (host.error !== undefined) out.push(`**Unreachable:** ${md(`${host.error.code}: ${host.error.message}`)}`, "");
  out.push(`Last converged: ${md(describeLastConverged(host))}`, "");
  out.push(...host.warnings.map((w) => `- warning: ${md(w)}`), ...(host.warnings.length > 0 ? [""] : []));
  const found = findings(host);
  if (found.length === 0) out.push("No drift, pending change, unknown result or failure.", "");
  for (const task of found) out.push(...findingBlock(task));
  if (host.tasks.length > 0) {
    out.push(`### All tasks on ${md(host.name)} (${host.tasks.length})`, "");
    out.push(...table(["Task", "Status", "Summary"], host.tasks.map((t) => [taskTitle(t), statusLabel(t), t.summary ?? ""])), "");
  }
  return out;
}

function findingBlock(task: TaskReport): string[] {
  const out = [`### ${md(statusLabel(task))}: ${md(taskTitle(task))}`, ""];
  if (task.summary !== undefined) out.push(`- ${md(task.summary)}`);
  if (task.where !== undefined) out.push(`- task at ${md(task.where)}`);
  out.push(...task.warnings.map((w) => `- warning: ${md(w)}`), "");
  const rest = task.error?.message.split("\n").slice(1).join("\n").trim() ?? "";
  if (rest !== "") out.push(...fenced("text", rest), "");
  for (const d of task.diffs) out.push(...fenced("diff", d.text.trimEnd()), "");
  return out;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map(md).join(" | ")} |`;
  return [line(header), `|${header.map(() => " --- |").join("")}`, ...rows.map(line)];
}

/** A code block whose fence is longer than any run of backticks inside, so the content cannot close it. */
function fenced(language: string, text: string): string[] {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, ...text.split("\n"), fence];
}

/**
 * Text that Markdown shows as written: punctuation with a meaning (emphasis, links, HTML, tables, entities,
 * heading marks) is backslash-escaped (parentheses mean nothing once brackets are), and a line break becomes a
 * space so the text stays in its paragraph or cell.
 */
function md(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}
