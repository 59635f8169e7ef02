/**
 * The packages `apt-get autoremove` would remove, from its simulation (`-s` takes no lock and changes nothing).
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export function parseAptAutoremove(output: ProbeOutput): string[] {
  if (output.code !== 0) throw new FactError(`apt-get -s autoremove failed with exit code ${output.code}`);
  const names: string[] = [];
  for (const line of output.stdout.split("\n")) {
    const removal = /^(?:Remv|Purg) (\S+)/.exec(line);
    if (removal?.[1] !== undefined) names.push(removal[1]);
  }
  return names;
}

export const aptAutoremoveFact = defineFact<string[], Record<string, never>>({
  name: "apt_autoremove",
  command: () => sh`LC_ALL=C apt-get -s autoremove`,
  parse: parseAptAutoremove,
});
