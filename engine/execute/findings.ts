/**
 * Warning findings: a check a role declares whose result an auditor must see without being a failure — a
 * certificate that expires soon, a backup that is too old. A task says it is one with the tag `finding` (a tag, so
 * the same content runs unchanged under Ansible, where the task simply shows its message): when it runs (its `when`
 * held) and does not fail, its message (a debug `msg`, else the task's name) is a finding. It counts in the recap
 * as `warnings`, heads the audit report and has its own --detailed-exitcode (engine/exit-codes.ts).
 */
export const FINDING_TAG = "finding";

/** The finding a result stands for, or undefined: `message` is the debug msg, `label` the task's name. */
export function findingOf(tags: readonly string[] | undefined, status: string, message: unknown, label: string, noLog: boolean): string | undefined {
  if (!(tags ?? []).includes(FINDING_TAG) || (status !== "ok" && status !== "changed")) return undefined;
  if (noLog || message === undefined || message === null) return label;
  return (typeof message === "string" ? message : JSON.stringify(message)).trim();
}
