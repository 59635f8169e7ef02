/**
 * The host's time zone and whether its hardware clock keeps local time, as `timedatectl status` reports them
 * (what community.general's timezone reads on a host run by systemd). A host where timedatectl does not answer
 * (no systemd, no timedated) is reported as such: the module says what that means.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export type Timedatectl = { usable: false } | { usable: true; timezone: string; rtcLocal: boolean };

export function parseTimedatectl(output: ProbeOutput): Timedatectl {
  if (output.code !== 0) return { usable: false };
  const timezone = /^\s*Time ?zone\s*:\s*(\S+)/m.exec(output.stdout)?.[1];
  const rtc = /^\s*RTC in local TZ\s*:\s*(\S+)/m.exec(output.stdout)?.[1];
  if (timezone === undefined || (rtc !== "yes" && rtc !== "no")) {
    throw new FactError(`unexpected timedatectl status output: ${JSON.stringify(output.stdout.slice(0, 300))}`);
  }
  return { usable: true, timezone, rtcLocal: rtc === "yes" };
}

export const timedatectlFact = defineFact<Timedatectl, Record<string, never>>({
  name: "timedatectl",
  command: () => sh`LC_ALL=C timedatectl status`,
  parse: parseTimedatectl,
});
