/**
 * The packages dpkg knows, with version and status. One probe lists them all (a few hundred lines, one round
 * trip): every apt task of the run then plans from the same cached fact, and check mode's predictions update it.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface DebPackage {
  version: string;
  /** dpkg's three-letter status abbreviation: "ii " installed, "rc " removed with config files left, "hi " held. */
  status: string;
}

/** Package name → its dpkg record. */
export type DebPackages = Record<string, DebPackage>;

/** Whether dpkg has the package installed (second status letter "i"), whatever its selection. */
export function isInstalled(pkg: DebPackage | undefined): boolean {
  return pkg?.status[1] === "i";
}

export function parseDebPackages(output: ProbeOutput): DebPackages {
  if (output.code !== 0) throw new FactError(`dpkg-query failed with exit code ${output.code}`);
  const packages: DebPackages = {};
  for (const line of output.stdout.split("\n")) {
    if (line === "") continue;
    const [name, version, status] = line.split("\t");
    if (name === undefined || version === undefined || status === undefined) {
      throw new FactError(`unexpected dpkg-query line: ${JSON.stringify(line)}`);
    }
    // A multi-arch package is listed once per architecture: the installed one wins.
    if (isInstalled(packages[name])) continue;
    packages[name] = { version, status };
  }
  return packages;
}

const FORMAT = "${Package}\\t${Version}\\t${db:Status-Abbrev}\\n";

export const debPackagesFact = defineFact<DebPackages, Record<string, never>>({
  name: "deb_packages",
  command: () => sh`dpkg-query -W -f=${FORMAT}`,
  parse: parseDebPackages,
});
