/**
 * What Ansible 2.14's pip module reads before it runs pip: whether the virtualenv exists (its bin/activate), the
 * pip it would use (the venv's pip3 or pip; else `executable`, else the host python3's pip module, else pip3), and that pip's
 * `pip list --format=freeze`.
 */
import { sh, type Command } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface PipPackagesArgs {
  virtualenv?: string;
  executable?: string;
}

export type PipPackages = { state: "novenv" } | { state: "nopip" } | { state: "ok"; freeze: string[] };

/**
 * Sets `pip` to the pip Ansible would choose (empty when there is none) and defines `run_pip`, which runs it with
 * its arguments: a shell function rather than a command line in a variable, so a virtualenv path with spaces stays
 * one word and `python3 -m pip` stays three.
 */
export function choosePip(args: PipPackagesArgs): Command {
  const runPath = sh`run_pip() { "$pip" "$@"; }`;
  if (args.virtualenv !== undefined) return sh`pip=; for p in ${`${args.virtualenv}/bin/pip3`} ${`${args.virtualenv}/bin/pip`}; do if [ -x "$p" ]; then pip=$p; break; fi; done; ${runPath}`;
  if (args.executable !== undefined) return sh`pip=${args.executable}; command -v "$pip" >/dev/null || pip=; ${runPath}`;
  return sh`if python3 -c 'import pip' 2>/dev/null; then pip=python3; run_pip() { python3 -m pip "$@"; }; else pip=$(command -v pip3); ${runPath}; fi`;
}

/** What pip has installed, in freeze format, after choosePip: read before a change and, for requirements, after it. */
export const PIP_LIST = sh`LC_ALL=C.UTF-8 run_pip list --format=freeze --disable-pip-version-check`;

export function parsePipPackages(output: ProbeOutput): PipPackages {
  const [head, ...lines] = output.stdout.split("\n");
  if (head === "novenv" || head === "nopip") return { state: head };
  if (head !== "ok" || output.code !== 0) throw new FactError(`pip list failed (exit ${output.code}): ${JSON.stringify(output.stdout.slice(0, 200))}`);
  return { state: "ok", freeze: lines.filter((line) => line !== "") };
}

export const pipPackagesFact = defineFact<PipPackages, PipPackagesArgs>({
  name: "pip_packages",
  command: (args) =>
    sh`${args.virtualenv === undefined ? sh`:` : sh`[ -e ${`${args.virtualenv}/bin/activate`} ] || { echo novenv; exit 0; }`}; ${choosePip(args)}; [ -n "$pip" ] || { echo nopip; exit 0; }; echo ok; ${PIP_LIST}`,
  parse: parsePipPackages,
});
