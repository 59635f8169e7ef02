/**
 * Edits crontab text the way Ansible's cron module does, so crontabs Ansible managed are adopted as they are:
 * a job is the line after its `#Ansible: <name>` marker, an environment variable is its `NAME=value` line.
 * Only those lines change; every other line of the text stays byte for byte. Pure functions.
 */

const MARKER = "#Ansible: ";

/** A job line as cron reads it. */
export interface CronJob {
  /** "*\/5 * * * *" or "@reboot". */
  schedule: string;
  /** The user column, for /etc/cron.d files only. */
  user?: string | undefined;
  job: string;
  /** A disabled job is kept, commented out with a leading "#". */
  disabled: boolean;
}

/** Renders a job line: `[#]SCHEDULE [USER] JOB`. */
export function renderJob(job: CronJob): string {
  const fields = [job.schedule, ...(job.user === undefined ? [] : [job.user]), job.job];
  return (job.disabled ? "#" : "") + fields.join(" ");
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  // A final newline is not a line of its own.
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function joinLines(lines: readonly string[], original: string): string {
  if (lines.length === 0) return "";
  // Keep a missing final newline missing when the last line is unchanged; crontabs we write end with one.
  const endsBare = original !== "" && !original.endsWith("\n") && lines.at(-1) === splitLines(original).at(-1);
  return lines.join("\n") + (endsBare ? "" : "\n");
}

/** The job line managed under `#Ansible: name`, if there is one. */
export function findJob(text: string, name: string): string | undefined {
  const lines = splitLines(text);
  const at = lines.indexOf(MARKER + name);
  return at < 0 ? undefined : lines[at + 1];
}

/** The names of the jobs managed in the text (each `#Ansible: <name>` marker), in order. */
export function jobNames(text: string): string[] {
  return splitLines(text)
    .filter((line) => line.startsWith(MARKER))
    .map((line) => line.slice(MARKER.length));
}

/** Sets (line given) or removes (undefined) the job named `name`; a new job goes at the end. */
export function setJob(text: string, name: string, line: string | undefined): string {
  const lines = splitLines(text);
  const at = lines.indexOf(MARKER + name);
  if (at < 0) return line === undefined ? text : joinLines([...lines, MARKER + name, line], text);
  // A marker at the very end has no job line yet.
  const hasJobLine = at + 1 < lines.length && !(lines[at + 1] ?? "").startsWith(MARKER);
  const span = hasJobLine ? 2 : 1;
  const replacement = line === undefined ? [] : [MARKER + name, line];
  lines.splice(at, span, ...replacement);
  return joinLines(lines, text);
}

function envLineIndex(lines: readonly string[], name: string): number {
  return lines.findIndex((l) => l.trimStart().startsWith(name + "="));
}

/** The `NAME=value` line of an environment variable, if there is one. */
export function findEnv(text: string, name: string): string | undefined {
  const lines = splitLines(text);
  const at = envLineIndex(lines, name);
  return at < 0 ? undefined : lines[at];
}

/** Sets or removes an environment variable line; a new one goes at the top, as Ansible adds it. */
export function setEnv(text: string, name: string, value: string | undefined): string {
  const lines = splitLines(text);
  const at = envLineIndex(lines, name);
  const line = value === undefined ? undefined : `${name}=${value}`;
  if (at < 0) return line === undefined ? text : joinLines([line, ...lines], text);
  if (line === undefined) lines.splice(at, 1);
  else lines[at] = line;
  return joinLines(lines, text);
}
