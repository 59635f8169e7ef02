/**
 * The Debian mirror the machine is configured with, read from its APT sources (deb822 or one-line format), so the
 * image is built from the same place the machine installs from.
 */

export const DEFAULT_MIRROR = "http://deb.debian.org/debian";

/** The first mirror serving SUITE in deb822 sources text. */
export function mirrorFromDeb822(text: string, suite: string): string | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split("\n")) {
      const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (match?.[1] !== undefined && match[2] !== undefined) fields.set(match[1].toLowerCase(), match[2].trim());
    }
    const types = (fields.get("types") ?? "").split(/\s+/);
    const suites = (fields.get("suites") ?? "").split(/\s+/);
    const enabled = (fields.get("enabled") ?? "yes").toLowerCase() !== "no";
    const uri = (fields.get("uris") ?? "").split(/\s+/)[0];
    if (enabled && types.includes("deb") && suites.includes(suite) && uri) return uri;
  }
  return undefined;
}

/** The first mirror serving SUITE in one-line sources.list text (`deb [options] URI SUITE COMPONENTS`). */
export function mirrorFromSourcesList(text: string, suite: string): string | undefined {
  for (const line of text.split("\n")) {
    const words = line.replace(/\[[^\]]*\]/, " ").trim().split(/\s+/);
    if (words[0] === "deb" && words[2] === suite && words[1]) return words[1];
  }
  return undefined;
}

/**
 * The mirror for SUITE in the machine's sources: the one serving SUITE itself, else the one serving any of OTHERS
 * (a Debian machine lists only its own release, and its mirror carries the others too), else Debian's redirector.
 */
export function machineMirrorFor(suite: string, others: readonly string[], deb822: string, sourcesList: string): string {
  for (const candidate of [suite, ...others]) {
    const found = mirrorFromDeb822(deb822, candidate) ?? mirrorFromSourcesList(sourcesList, candidate);
    if (found !== undefined) return found;
  }
  return DEFAULT_MIRROR;
}
