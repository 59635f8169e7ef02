/**
 * apt: installs, upgrades and removes Debian packages with one apt-get call per task (a role passes its whole
 * package list). Always non-interactive, keeps changed config files (confdef/confold), and waits for a dpkg lock
 * held by another apt run instead of failing. Check mode lists the requested packages that would change; it does
 * not simulate dependencies (that would cost an apt-get -s per task).
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan, type Prediction } from "../engine/module-api.js";
import { aptAutoremoveFact } from "./facts/apt-autoremove.js";
import { aptCacheTimeFact, UPDATE_STAMP, type AptCacheTime } from "./facts/apt-cache-time.js";
import { aptPolicyFact, type AptPolicy } from "./facts/apt-policy.js";
import { debPackagesFact, isInstalled, type DebPackages } from "./facts/deb-packages.js";

/** The arguments with Ansible's defaults filled in (the engine passes them as written). */
interface Settings {
  name?: string | string[];
  state: "present" | "absent" | "latest";
  update_cache: boolean;
  cache_valid_time?: number;
  install_recommends?: boolean;
  purge: boolean;
  autoremove: boolean;
  lock_timeout: number;
  default_release?: string;
}

export type Args = Omit<Settings, "state" | "update_cache" | "purge" | "autoremove" | "lock_timeout"> & Partial<Pick<Settings, "state" | "update_cache" | "purge" | "autoremove" | "lock_timeout">>;

function settings(args: Args): Settings {
  return { ...args, state: args.state ?? "present", update_cache: args.update_cache ?? false, purge: args.purge ?? false, autoremove: args.autoremove ?? false, lock_timeout: args.lock_timeout ?? 300 };
}

interface Wanted {
  name: string;
  version: string | undefined;
}

function wanted(name: string | string[] | undefined): Wanted[] {
  const names = name === undefined ? [] : typeof name === "string" ? [name] : name;
  return names.map((n) => {
    const at = n.indexOf("=");
    return at < 0 ? { name: n, version: undefined } : { name: n.slice(0, at), version: n.slice(at + 1) };
  });
}

function label(w: Wanted): string {
  return w.version === undefined ? w.name : `${w.name}=${w.version}`;
}

/** The apt-get prefix every changing call shares: no prompts, keep local config files, wait for the lock. */
function aptGet(args: Settings): Command {
  return sh`DEBIAN_FRONTEND=noninteractive apt-get -y -o DPkg::Lock::Timeout=${args.lock_timeout} -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold`;
}

/**
 * `apt-get update` fails at once on the lists lock (DPkg::Lock::Timeout covers only the dpkg lock): retry every
 * 5 s while the failure is that lock, up to lock_timeout. Then touch the stamp cache_valid_time reads.
 */
function updateCommand(args: Settings): Command {
  const tries = Math.max(1, Math.ceil(args.lock_timeout / 5));
  return sh`n=0; until out=$(${aptGet(args)} update 2>&1); do if [ $n -lt ${tries} ] && printf '%s' "$out" | grep -q 'Could not get lock'; then n=$((n+1)); sleep 5; else printf '%s\\n' "$out" >&2; exit 100; fi; done; mkdir -p /var/lib/apt/periodic && touch ${UPDATE_STAMP}`;
}

/** Whether the cache needs `apt-get update`: asked for, and older than cache_valid_time when that is given. */
function cacheUpdate(args: Settings, time: AptCacheTime | undefined): { needed: boolean; reason: string } {
  if (!args.update_cache && args.cache_valid_time === undefined) return { needed: false, reason: "" };
  if (args.cache_valid_time === undefined || time === undefined) return { needed: true, reason: "" };
  if (time.updatedAt === null) return { needed: true, reason: "" };
  const age = time.now - time.updatedAt;
  if (age > args.cache_valid_time) return { needed: true, reason: "" };
  return { needed: false, reason: `the apt cache is ${age}s old (valid for ${args.cache_valid_time}s)` };
}

async function check(ctx: ModuleContext, args: Settings): Promise<Plan> {
  const packages = wanted(args.name);
  if (args.state === "latest" && packages.some((p) => p.version !== undefined)) {
    throw new ModuleError("a version (name=version) cannot be combined with state: latest");
  }
  const names = [...new Set(packages.map((p) => p.name))].sort();
  const wantsTime = args.cache_valid_time !== undefined;
  const values = await ctx.facts([{ fact: debPackagesFact, args: {} }, ...(wantsTime ? [{ fact: aptCacheTimeFact, args: {} }] : [])]);
  const installed = values[0] as DebPackages;
  const update = cacheUpdate(args, wantsTime ? (values[1] as AptCacheTime) : undefined);
  // Candidates matter only for packages to install, and for all with state latest. On a converged host apt-cache
  // (about 30 ms of the host's CPU per call) is then not started at all.
  const unknown = args.state === "absent" ? [] : args.state === "latest" ? names : names.filter((name) => !isInstalled(installed[name]));
  // An empty default_release is none, as in Ansible (roles pass "{{ x_default_release }}" defaulting to "").
  const release = args.default_release === undefined || args.default_release === "" ? undefined : args.default_release;
  const policy = unknown.length > 0 ? await ctx.fact(aptPolicyFact, release === undefined ? { names: unknown } : { names: unknown, release }) : undefined;

  const warnings: string[] = [];
  const install: Wanted[] = [];
  const upgrade: Wanted[] = [];
  const remove: string[] = [];
  for (const p of packages) {
    const current = installed[p.name];
    if (args.state === "absent") {
      // purge also clears a package removed earlier whose config files are left ("rc").
      if (isInstalled(current) || (args.purge && current?.status[1] === "c")) remove.push(p.name);
      continue;
    }
    const candidate = policy?.[p.name]?.candidate ?? null;
    if (candidate === null && !isInstalled(current)) {
      if (!update.needed) throw new ModuleError(`no package matching '${p.name}' is available`);
      warnings.push(`package ${p.name} is not in the apt cache yet; the cache update may make it available`);
    }
    if (current === undefined || !isInstalled(current)) install.push(p);
    else if (p.version !== undefined && current.version !== p.version) install.push(p);
    else if (args.state === "latest" && (update.needed || (candidate !== null && candidate !== current.version))) upgrade.push(p);
  }
  const autoremove = args.autoremove ? await ctx.fact(aptAutoremoveFact, {}) : [];

  const commands: Command[] = [];
  const parts: string[] = [];
  if (update.needed) {
    commands.push(updateCommand(args));
    parts.push("update the apt cache");
  }
  const toInstall = [...install, ...upgrade];
  if (toInstall.length > 0) {
    const recommends = args.install_recommends === undefined ? [] : [args.install_recommends ? "--install-recommends" : "--no-install-recommends"];
    const target = release === undefined ? [] : ["-t", release];
    commands.push(sh`${aptGet(args)} install ${[...target, ...recommends, ...toInstall.map(label)]}`);
  }
  if (install.length > 0) parts.push(`install ${install.map(label).join(", ")}`);
  // After a cache update the candidates are not known yet: apt-get install upgrades whatever is newer.
  if (upgrade.length > 0) parts.push(`upgrade ${upgrade.map(label).join(", ")}${update.needed ? " to the candidates of the updated cache" : ""}`);
  if (remove.length > 0) {
    commands.push(args.purge ? sh`${aptGet(args)} purge ${remove}` : sh`${aptGet(args)} remove ${remove}`);
    parts.push(`${args.purge ? "purge" : "remove"} ${remove.join(", ")}`);
  }
  if (autoremove.length > 0) {
    commands.push(args.purge ? sh`${aptGet(args)} autoremove --purge` : sh`${aptGet(args)} autoremove`);
    parts.push(`autoremove ${autoremove.join(", ")}`);
  }

  if (commands.length === 0) return { changed: false, reason: noopReason(args, packages, installed, update.reason) };
  return {
    changed: true,
    summary: parts.join("; "),
    commands,
    ...(warnings.length > 0 ? { warnings } : {}),
    predicts: predictions(installed, policy, toInstall, [...remove, ...autoremove]),
    output: {
      cache_updated: update.needed,
      installed: install.map(label),
      upgraded: upgrade.map(label),
      removed: [...remove, ...autoremove],
    },
  };
}

function noopReason(args: Settings, packages: readonly Wanted[], installed: DebPackages, cacheReason: string): string {
  const list = packages.map((p) => (args.state === "absent" ? p.name : `${p.name} ${installed[p.name]?.version ?? ""}`.trim()));
  const what =
    packages.length === 0
      ? "nothing to do"
      : args.state === "absent"
        ? `${packages.length === 1 ? "package" : "packages"} ${list.join(", ")} ${packages.length === 1 ? "is" : "are"} not installed`
        : `${packages.length === 1 ? "package" : "packages"} ${list.join(", ")} ${packages.length === 1 ? "is" : "are"} ${args.state === "latest" ? "up to date" : "installed"}`;
  return cacheReason === "" ? what : `${what}; ${cacheReason}`;
}

/** The dpkg database after the plan, so later tasks in check mode plan against it. */
function predictions(installed: DebPackages, policy: AptPolicy | undefined, toInstall: readonly Wanted[], removed: readonly string[]): Prediction[] {
  const after: DebPackages = { ...installed };
  for (const p of toInstall) after[p.name] = { version: p.version ?? policy?.[p.name]?.candidate ?? "", status: "ii " };
  for (const name of removed) Reflect.deleteProperty(after, name);
  return [{ fact: debPackagesFact, args: {}, value: after }];
}

export default defineModule<Args>({
  name: "apt",
  description: "Manage apt packages",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      name: {
        description: "A package name or a list of them; `name=version` pins an exact version. A role passes its whole list: one apt-get call installs it.",
        anyOf: [{ type: "string", minLength: 1 }, { type: "array", items: { type: "string", minLength: 1 } }],
      },
      state: {
        type: "string",
        enum: ["present", "absent", "latest"],
        default: "present",
        description: "`present` installs missing packages, `latest` also upgrades installed ones to the candidate version, `absent` removes them.",
      },
      update_cache: { type: "boolean", default: false, description: "Run `apt-get update` first. Without `cache_valid_time` this happens (and reports a change) on every run." },
      cache_valid_time: {
        type: "integer",
        minimum: 0,
        description: "Update the apt cache only when it is older than this many seconds (implies `update_cache`).",
      },
      install_recommends: {
        type: "boolean",
        description: "true passes --install-recommends, false --no-install-recommends; unset keeps apt's configured default (Debian installs recommends).",
      },
      default_release: {
        type: "string",
        description: "Install from this release (`apt-get -t`, e.g. `bookworm-backports`); the candidates checked are that release's. Empty means none.",
      },
      purge: { type: "boolean", default: false, description: "With `state: absent` (and `autoremove`), also remove configuration files." },
      autoremove: { type: "boolean", default: false, description: "Remove packages that were installed as dependencies and are no longer needed." },
      lock_timeout: {
        type: "integer",
        minimum: 0,
        default: 300,
        description: "Seconds to wait for the dpkg lock held by another apt run (unattended-upgrades, cloud-init) before failing.",
      },
    },
  },
  examples: [
    "- apt: { name: [nginx, python3-venv, sqlite3], state: present, update_cache: true, cache_valid_time: 3600 }",
    "- apt: { name: nginx=1.22.1-9+deb12u1 }",
    "- apt: { name: openssl, state: latest }",
    "- apt: { name: apache2, state: absent, purge: true, autoremove: true }",
  ],
  capabilities: { diff: false, idempotent: true },
  aliases: { package: "name", pkg: "name", "update-cache": "update_cache", "install-recommends": "install_recommends", "default-release": "default_release" },
  check: (ctx, args) => check(ctx, settings(args)),
});
