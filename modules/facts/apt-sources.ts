/**
 * The one-line APT sources files Ansible 2.14's apt_repository reads: /etc/apt/sources.list and the `*.list` files
 * of /etc/apt/sources.list.d (deb822 `.sources` files are not its business), each with its bytes. Regular files
 * only, as Ansible's os.path.isfile and glob see them (a dangling link is left out, a link to a file is read).
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export const SOURCES_LIST = "/etc/apt/sources.list";
export const SOURCES_PARTS = "/etc/apt/sources.list.d";

export interface AptSourcesFile {
  path: string;
  content: string;
}

/** The files in Ansible's reading order: sources.list, then the parts in glob order. */
export type AptSources = AptSourcesFile[];

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function parseAptSources(output: ProbeOutput): AptSources {
  const lines = output.stdout.split("\n");
  if (output.code !== 0 || lines.pop() !== "" || lines.length % 2 !== 0) {
    throw new FactError(`unexpected apt sources probe output: ${JSON.stringify(output.stdout.slice(0, 200))}`);
  }
  const files: AptSources = [];
  for (let i = 0; i < lines.length; i += 2) {
    const path = lines[i] ?? "";
    const encoded = lines[i + 1] ?? "";
    if (!path.startsWith("/") || !BASE64.test(encoded)) throw new FactError(`unexpected apt sources probe output for ${JSON.stringify(path)}`);
    files.push({ path, content: Buffer.from(encoded, "base64").toString("utf8") });
  }
  return files;
}

export const aptSourcesFact = defineFact<AptSources, Record<string, never>>({
  name: "apt_sources",
  // The shell's glob skips dot files as Python's does (its order, sorted, decides nothing); an unmatched one stays literal.
  command: () => sh`for f in ${SOURCES_LIST} ${SOURCES_PARTS}/*.list; do if [ -f "$f" ]; then printf '%s\\n' "$f" && base64 -w0 -- "$f" && echo; fi; done`,
  parse: parseAptSources,
});
