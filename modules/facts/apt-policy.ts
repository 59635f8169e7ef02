/**
 * Installed and candidate versions of some packages, from `apt-cache policy` (read-only, no lock). A name apt
 * does not know is absent from the result.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface AptPolicyEntry {
  installed: string | null;
  candidate: string | null;
}

export type AptPolicy = Record<string, AptPolicyEntry>;

export interface AptPolicyArgs {
  /** Package names without versions, sorted (one cache entry per set). */
  names: string[];
  /** apt's default release (`-t`), which can change the candidates; absent for the configured default. */
  release?: string;
}

function version(text: string): string | null {
  return text === "(none)" ? null : text;
}

export function parseAptPolicy(output: ProbeOutput): AptPolicy {
  if (output.code !== 0) throw new FactError(`apt-cache policy failed with exit code ${output.code}`);
  const policy: AptPolicy = {};
  let current: AptPolicyEntry | undefined;
  for (const line of output.stdout.split("\n")) {
    const header = /^(\S+):$/.exec(line);
    if (header?.[1] !== undefined) {
      current = { installed: null, candidate: null };
      policy[header[1]] = current;
      continue;
    }
    const field = /^ {2}(Installed|Candidate): (.+)$/.exec(line);
    if (field?.[2] === undefined || current === undefined) continue;
    if (field[1] === "Installed") current.installed = version(field[2]);
    else current.candidate = version(field[2]);
  }
  return policy;
}

export const aptPolicyFact = defineFact<AptPolicy, AptPolicyArgs>({
  name: "apt_policy",
  command: (args) => (args.release === undefined ? sh`LC_ALL=C apt-cache policy ${args.names}` : sh`LC_ALL=C apt-cache -t ${args.release} policy ${args.names}`),
  parse: parseAptPolicy,
});
