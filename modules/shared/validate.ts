/**
 * Ansible's `validate` (copy, template, lineinfile, blockinfile, replace), run by put-file's write on the temp file
 * before it replaces the destination. As Ansible: `%s` is the temp file's path, put in with Python's `%` (so `%%`
 * is a `%`, and any other `%` directive is an error); the command then runs without a shell (split like
 * shlex.split, each word quoted: no variables, globs or pipes; `sh -c '...'` when a pipe is wanted); a failure
 * fails the task with the validator's exit code and output, and the destination stays as it was. Check mode never
 * runs it, and it runs only when the content changes.
 */
import { quote, raw, sh, type Command } from "../../engine/command.js";
import { lines } from "../../engine/differences.js";
import { CommandFailedError, ModuleError } from "../../engine/errors.js";
import { splitWords } from "../command.js";

/** Stands for the path while the command is split into words: a character no command line holds. */
const PATH_MARK = "\u{F8FF}";

/** The line the write adds to stderr when the validator fails, with its exit code: told apart from other failures. */
const FAILED_MARK = "rems-validate-exit=";

/**
 * How the failure reads: copy and template say "failed to validate" with the validator's exit_status, stdout and
 * stderr as fields; the in-place edits put the exit code and stderr in the message (Ansible's two wordings).
 */
export type ValidateReport = "copy" | "edit";

/** The schema of the `validate` argument, the same for every module that takes it. */
export const validateSchema = {
  type: "string",
  minLength: 1,
  description:
    "Command that checks the new file before it replaces the old one ('visudo -cf %s', '/usr/sbin/sshd -t -f %s'): %s is the new file's path " +
    "(write a literal % as %%); run without a shell (`sh -c '...' sh %s` for pipes); when it fails, the task fails with its exit code and " +
    "output and the file stays as it was. Not run in check mode, nor when the content does not change",
} as const;

/** Python's `validate % path` with the path left as PATH_MARK: exactly one %s, %% for a literal %. */
function formatPath(validate: string): string {
  if (!validate.includes("%s")) throw new ModuleError(`validate must contain %s: ${validate}`);
  let out = "";
  let paths = 0;
  for (let i = 0; i < validate.length; i++) {
    const c = validate.charAt(i);
    if (c !== "%") {
      out += c;
      continue;
    }
    const directive = validate.charAt(++i);
    if (directive === "%") out += "%";
    else if (directive === "s") {
      out += PATH_MARK;
      paths++;
    } else {
      throw new ModuleError(`validate: only %s (the file's path) is replaced, write a literal % as %%: ${validate}`);
    }
  }
  if (paths !== 1) throw new ModuleError(`validate must contain %s exactly once (the file's path), a literal % written %%: ${validate}`);
  return out;
}

/**
 * The write's validate step for the temp file `temp` (shell syntax such as "$t"): the validator's words quoted,
 * and on failure the marker with its exit code on stderr. Throws ModuleError when `validate` is malformed.
 */
export function validateStep(validate: string, temp: string): Command {
  const words = splitWords(formatPath(validate)).map((word) =>
    word.includes(PATH_MARK) ? word.split(PATH_MARK).map((part) => (part === "" ? "" : quote(part))).join(temp) : quote(word),
  );
  // On a line of its own, whether or not the validator's output ended its last line.
  return sh`{ ${raw(words.join(" "))} || { r=$?; printf '\\n${raw(FAILED_MARK)}%s\\n' "$r" >&2; exit 1; }; }`;
}

/**
 * The task's failure when `error` is the write's validator failing (the exit code, stdout and stderr are the
 * validator's own), else undefined.
 */
export function validateFailure(error: unknown, report: ValidateReport): ModuleError | undefined {
  if (!(error instanceof CommandFailedError)) return undefined;
  const marked = new RegExp(`\\n${FAILED_MARK}(\\d+)\\n$`).exec(error.stderr);
  if (marked === null) return undefined;
  const rc = Number(marked[1]);
  // As the validator wrote them (Ansible's fields keep the final newline); the message trims them.
  const stderr = error.stderr.slice(0, marked.index);
  const { stdout } = error;
  const said = (stderr.trim() === "" ? stdout : stderr).trimEnd();
  const message = `failed to validate: rc:${rc} error:${said}`;
  const result: Record<string, unknown> =
    report === "copy"
      ? { msg: "failed to validate", exit_status: rc, stdout, stderr, stdout_lines: lines(stdout), stderr_lines: lines(stderr) }
      : { msg: `failed to validate: rc:${rc} error:${stderr}` };
  return new ModuleError(message, {}, { cause: error, result });
}
