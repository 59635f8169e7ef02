/**
 * package_facts: the host's installed packages as ansible.builtin.package_facts returns them, so that a role can
 * choose by the version the host has (nginx's http2 syntax, the python3 of the release) instead of assuming one
 * from the distribution's name. `ansible_facts.packages` maps each name to the list of its installed versions, each
 * with the fields Ansible promises for every manager (`name`, `version`, `source`: the same packages and values as
 * ansible-playbook's on a Debian host); the apt manager's extra `arch`, `category` and `origin` are not given.
 *
 * The list is dpkg's, read through the deb_packages fact the apt module plans from: in a run it travels in the
 * play's batched probe (and costs nothing when an apt task already read it); in check mode it includes what the
 * apt tasks before it would install, at their candidate versions, so the rest of the audit plans against those.
 * Only apt (dpkg) hosts are read: the manager is `auto` or `apt`. Read-only: always ok, in check mode too.
 */
import { ModuleError } from "../engine/errors.js";
import { defineModule } from "../engine/module-api.js";
import { debPackagesFact, isInstalled, type DebPackages } from "./facts/deb-packages.js";

export interface PackageFactsArgs {
  manager?: string | string[];
  strategy?: "first" | "all";
}

export interface PackageInfo {
  name: string;
  version: string;
  source: "apt";
}

/** dpkg's packages as Ansible's `packages` fact: only installed ones, in name order. */
export function packagesOf(debs: DebPackages): Record<string, PackageInfo[]> {
  const installed = Object.entries(debs).filter(([, pkg]) => isInstalled(pkg));
  installed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(installed.map(([name, pkg]) => [name, [{ name, version: pkg.version, source: "apt" }]]));
}

const SUPPORTED = ["auto", "apt"];

export default defineModule<PackageFactsArgs>({
  name: "package_facts",
  description: "Read the host's installed packages (dpkg) into ansible_facts.packages: name → [{name, version, source}]",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      manager: {
        anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
        description: "The package managers to read, one or a list: `auto` (the host's, the default) or `apt`; rems-play reads dpkg's database, so these are the two it accepts",
      },
      strategy: {
        type: "string",
        enum: ["first", "all"],
        default: "first",
        description: "`first` reads the first manager found, `all` every one listed; with apt as the only manager both read dpkg",
      },
    },
  },
  examples: [
    "- package_facts:\n    manager: auto",
    "- package_facts:\n    manager: [apt]\n    strategy: first",
  ],
  capabilities: { diff: false, idempotent: true },
  async check(ctx, args) {
    const managers = args.manager === undefined ? ["auto"] : typeof args.manager === "string" ? [args.manager] : args.manager;
    const unsupported = managers.filter((manager) => !SUPPORTED.includes(manager));
    if (unsupported.length > 0) {
      throw new ModuleError(`package_facts reads dpkg (manager auto or apt) and cannot read ${unsupported.join(", ")}`);
    }
    const packages = packagesOf(await ctx.fact(debPackagesFact, {}));
    const count = Object.keys(packages).length;
    return { changed: false, reason: `${count} installed package${count === 1 ? "" : "s"} (apt)`, output: { ansible_facts: { packages } } };
  },
});
