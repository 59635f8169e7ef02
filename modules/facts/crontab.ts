/**
 * The text of a user's crontab (`crontab -l -u USER`) or of a file under /etc/cron.d. A user without a crontab
 * and a missing file are both the empty text, with `exists: false`; so is a host without the crontab command
 * (cron not installed yet: an audit of a fresh host), which also says `noCrontabCommand`.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

/** A user's crontab (no user: the remote user's own), or a file. */
export type CrontabArgs = { user?: string } | { file: string };

export interface Crontab {
  exists: boolean;
  text: string;
  /** Only on a host without the crontab command. */
  noCrontabCommand?: true;
}

/** Mark the probe's own verdicts, so "no crontab for root" from cron is never mistaken for crontab text. */
const NONE = "__rems_no_crontab__";
const NO_COMMAND = "__rems_no_crontab_command__";

export function parseCrontab(output: ProbeOutput, args: CrontabArgs): Crontab {
  if (output.stdout === NONE + "\n") return { exists: false, text: "" };
  if (output.stdout === NO_COMMAND + "\n") return { exists: false, text: "", noCrontabCommand: true };
  if (output.code !== 0) {
    const what = "file" in args ? args.file : `the crontab of ${args.user ?? "the remote user"}`;
    throw new FactError(`could not read ${what} (exit code ${output.code})`);
  }
  return { exists: true, text: output.stdout };
}

export const crontabFact = defineFact<Crontab, CrontabArgs>({
  name: "crontab",
  command(args) {
    // `crontab -l` exits 1 both for "no crontab" and for real failures: tell them apart by its message.
    if ("file" in args) return sh`if [ -e ${args.file} ]; then cat ${args.file}; else echo ${NONE}; fi`;
    const list = args.user === undefined ? sh`crontab -l` : sh`crontab -l -u ${args.user}`;
    return sh`if ! command -v crontab >/dev/null; then echo ${NO_COMMAND}; else ${list} 2>/dev/null || { ${list} 2>&1 | grep -q '^no crontab for' && echo ${NONE}; }; fi`;
  },
  parse: parseCrontab,
});
