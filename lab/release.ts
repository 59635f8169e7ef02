/**
 * The Debian releases a lab host can run. Bookworm (12) is the guide's and the default; trixie (13) is there so
 * that the roles are proven on the next release's package versions (nginx 1.26, Python 3.13) before a site meets it.
 */
import { LabError } from "./lab-error.js";

export const RELEASES = ["bookworm", "trixie"] as const;
export type Release = (typeof RELEASES)[number];
export const DEFAULT_RELEASE: Release = "bookworm";

export function checkRelease(name: string): Release {
  const release = RELEASES.find((known) => known === name);
  if (release === undefined) throw new LabError(`unknown release ${JSON.stringify(name)}: the lab builds ${RELEASES.join(" and ")}`);
  return release;
}
