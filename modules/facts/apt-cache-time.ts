/**
 * When the apt cache was last updated, for `cache_valid_time`: the mtime of the update-success stamp (Debian's
 * apt touches it after a successful update; our apt module does too), else of /var/lib/apt/lists.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export const UPDATE_STAMP = "/var/lib/apt/periodic/update-success-stamp";
const LISTS = "/var/lib/apt/lists";

export interface AptCacheTime {
  /** The host's clock, epoch seconds. */
  now: number;
  /** Epoch seconds of the last update, null when the cache was never updated. */
  updatedAt: number | null;
}

export function parseAptCacheTime(output: ProbeOutput): AptCacheTime {
  const [first, ...rest] = output.stdout.trim().split("\n");
  const now = Number(first);
  if (output.code !== 0 || first === undefined || first === "" || !Number.isInteger(now)) {
    throw new FactError(`unexpected apt cache time probe output: ${JSON.stringify(output.stdout)}`);
  }
  const mtimes = new Map(rest.map((line) => [line.slice(line.indexOf(" ") + 1), Number(line.split(" ")[0])]));
  return { now, updatedAt: mtimes.get(UPDATE_STAMP) ?? mtimes.get(LISTS) ?? null };
}

export const aptCacheTimeFact = defineFact<AptCacheTime, Record<string, never>>({
  name: "apt_cache_time",
  // bash keeps the time in EPOCHSECONDS (no `date` process); one stat for both paths.
  command: () =>
    sh`echo "\${EPOCHSECONDS:-$(date +%s)}"; set --; for f in ${UPDATE_STAMP} ${LISTS}; do if [ -e "$f" ]; then set -- "$@" "$f"; fi; done; [ $# -eq 0 ] || stat -c '%Y %n' -- "$@"`,
  parse: parseAptCacheTime,
});
