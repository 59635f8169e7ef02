/**
 * Orchestration: load (loadAll, which the CLI calls before it listens for signals) and validate everything
 * (nothing is contacted before the input is known to be good), then per play: select hosts, run them in parallel up to --forks (in `serial` batches), gather facts, run the
 * play on each host, and emit the recap. Returns the exit code; only the CLI exits.
 */
import { dirname, resolve } from "node:path";
import type { Connection, ConnectionSpec } from "../connection/connection.js";
import { openConnection } from "../connection/open.js";
import { InputErrors, RemsError, SchemaValidationError, UsageError } from "../errors.js";
import { GATHERING_FACTS_ORDER, type EventSink, type HostStats } from "../events.js";
import { AuditExitCode, ExitCode, type ExitCodeValue } from "../exit-codes.js";
import { didYouMean } from "../did-you-mean.js";
import { loadInventory, type Inventory } from "../load/inventory.js";
import { loadPlaybook } from "../load/playbook.js";
import { validateRoleVars } from "../load/role-vars.js";
import { loadRole, loadTaskFile } from "../load/include.js";
import { roleSearchDirs } from "../load/roles.js";
import { selectByTags } from "../load/tags.js";
import { checkIncluded } from "../load/template-check.js";
import type { AnyModule } from "../module-api.js";
import { sourceVersion } from "../source-version.js";
import { renderValue } from "../template/render.js";
import { boolean } from "../truth.js";
import type { Play, Vars } from "../types.js";
import type { Vault } from "../vault/vault.js";
import { text } from "./actions.js";
import { connectionSettings, knownConnection, localSpec, type ConnectionDefaults } from "./host-connection.js";
import { HostPool, type Reach } from "./host-pool.js";
import { RunOnce } from "./run-once.js";
import { Throttle } from "./throttle.js";
import { HostPlay, type PlayShared } from "./host-play.js";
import type { HostRun } from "./host-run.js";
import { GATHERING_FACTS, startHost } from "./host-start.js";
import { playMagic } from "./magic-vars.js";
import { appName } from "./app-name.js";
import { recordFile, recordKey } from "./run-record.js";
import { tasksOf } from "./task-walk.js";
import { knownVariables, variableTypos } from "./var-typos.js";
import { checkVaultedSources } from "./vault-sources.js";

export interface RunOptions {
  playbooks: readonly string[];
  inventories: readonly string[];
  limit: string | undefined;
  tags: readonly string[];
  skipTags: readonly string[];
  check: boolean;
  diff: boolean;
  extraVars: Vars;
  forks: number;
  user: string | undefined;
  privateKey: string | undefined;
  becomePassword: string | undefined;
  verbosity: number;
  startAtTask: string | undefined;
  /** Given on the command line: it wins over the inventory's ansible_host_key_checking. */
  hostKeyPolicy: ConnectionSpec["hostKeyPolicy"] | undefined;
  /** Exit with AuditExitCode (what an audit found) instead of ExitCode. */
  detailedExitCode: boolean;
  /** How long to wait for another run's lock on a host before failing the host. */
  lockWaitSeconds: number;
  registry: ReadonlyMap<string, AnyModule>;
}

export interface Loaded {
  inventory: Inventory;
  plays: Play[];
  /** When loading began (Date.now()): a run's elapsed time and start count from it. */
  started: number;
  /** Opens vaulted data, at load and in run-time includes; its registry is the run's (every value it decrypts). */
  vault: Vault;
}

/**
 * Loads inventory and playbooks, opening vaulted data with `vault`; throws InputErrors with every problem found.
 * `started` is when the CLI began to read the input (the -e values come first).
 */
export function loadAll(options: Pick<RunOptions, "playbooks" | "inventories" | "registry">, vault: Vault, started = Date.now()): Loaded {
  const errors: RemsError[] = [];
  const collect = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (error instanceof InputErrors) errors.push(...error.errors);
      else if (error instanceof RemsError) errors.push(error);
      else throw error;
      return undefined;
    }
  };
  const inventory = collect(() => loadInventory([...options.inventories], vault));
  const plays = options.playbooks.flatMap((path) => collect(() => loadPlaybook(path, options.registry, vault)) ?? []);
  // group_vars/ and host_vars/ beside the playbooks too (given or imported, loaded or not), so their mistakes, such
  // as a vault file that does not open, are reported with the others.
  const playbookDirs = new Set([...options.playbooks.map((path) => dirname(resolve(path))), ...plays.map((play) => play.dir)]);
  if (inventory) for (const dir of playbookDirs) errors.push(...inventory.checkVarsFiles(dir));
  errors.push(...checkVaultedSources(plays, vault));
  if (errors.length > 0 || !inventory) throw new InputErrors(errors);
  return { inventory, plays, started, vault };
}

/** The mistakes in a host's connection variables (connectionSettings' errors). */
function connectionErrors(host: string, hostVars: Vars, defaults: ConnectionDefaults): RemsError[] {
  try {
    connectionSettings(host, hostVars, defaults);
    return [];
  } catch (error) {
    if (error instanceof InputErrors) return [...error.errors];
    throw error;
  }
}

/** The hosts a play targets, intersected with --limit. A pattern that matches nothing is an error at the play. */
export function playHosts(inventory: Inventory, play: Play, limit: string | undefined): string[] {
  const hosts = inventory.selectHosts(play.hosts, undefined, play.loc);
  if (limit === undefined) return hosts;
  const allowed = new Set(inventory.selectHosts(limit));
  return hosts.filter((host) => allowed.has(host));
}

/**
 * Connection and role variables (argument_specs), checked for every host of every play before any host is
 * contacted, and by --syntax-check; their secrets are registered for masking on the way. Throws InputErrors.
 */
export function checkHostInputs(loaded: Pick<Loaded, "inventory" | "plays" | "vault">, options: Pick<RunOptions, "limit" | "extraVars"> & ConnectionDefaults): void {
  const { inventory, plays } = loaded;
  const secrets = loaded.vault.registry;
  const hostErrors = plays.flatMap((play) =>
    playHosts(inventory, play, options.limit).flatMap((host) => {
      const hostVars = inventory.hostVars(host, play.dir);
      const connection = connectionErrors(host, hostVars, options);
      for (const vars of [hostVars, play.vars, play.varsFiles, ...play.roles.flatMap((r) => [r.defaults, r.vars, r.params])]) secrets.addFromVars(vars);
      const outside = [
        ...inventory.hostVarLayers(host, play.dir),
        { label: "play vars", vars: play.vars },
        { label: "play vars_files", vars: play.varsFiles },
        { label: "extra vars", vars: options.extraVars, aboveRole: true },
      ];
      return [...connection, ...play.roles.flatMap((role) => validateRoleVars(role, outside, host))];
    }),
  );
  // A host in several plays of one directory has the same variables in each: its mistakes are said once.
  if (hostErrors.length > 0) throw new InputErrors([...new Map(hostErrors.map((e) => [e.describe(), e])).values()]);
}

/** Runs what loadAll loaded. */
export async function run(options: RunOptions, loaded: Loaded, emit: EventSink, signal: AbortSignal): Promise<ExitCodeValue> {
  const { inventory, plays, started, vault } = loaded;
  const secrets = vault.registry;
  const sourcesAsked = Promise.all([...options.playbooks, ...options.inventories].map(sourceVersion));
  if (options.startAtTask !== undefined) checkStartAtTask(plays, options.startAtTask);
  secrets.add(options.becomePassword);
  secrets.addFromVars(options.extraVars);
  // Every event is masked here, once, on its way out.
  const masked: EventSink = (event) => emit(secrets.maskDeep(event));

  checkHostInputs(loaded, options);

  const sources = await sourcesAsked;
  const source = sources.find((s) => s.path === options.playbooks[0]);
  const recordMeta = { at: new Date(started).toISOString(), playbook: options.playbooks.join(", "), ...(source?.commit ? { commit: source.commit } : {}) };
  masked({
    type: "run_start",
    playbooks: options.playbooks,
    inventories: options.inventories,
    sources,
    check: options.check,
    diff: options.diff,
    inputs: { limit: options.limit, tags: options.tags, skipTags: options.skipTags, extraVars: Object.keys(options.extraVars) },
    startedAt: new Date(started).toISOString(),
  });
  const known = knownVariables(plays);
  const typos = plays.flatMap((play) =>
    playHosts(inventory, play, options.limit).flatMap((host) => variableTypos([...inventory.hostVarLayers(host, play.dir), { label: "-e", vars: options.extraVars }], known)),
  );
  for (const message of new Set(typos)) masked({ type: "warning", message });
  const pool = new HostPool(inventory, options, secrets, (host, message) => masked({ type: "warning", host, message }));
  const { hosts } = pool;
  let local: Connection | undefined;
  const localConnection = (): Connection => (local ??= openConnection(localSpec()));

  try {
    for (const play of plays) {
      if (signal.aborted) break;
      const names = playHosts(inventory, play, options.limit).filter((name) => hosts.get(name)?.active ?? true);
      masked({ type: "play_start", name: play.name, hosts: names });
      for (const name of names) {
        if (hosts.has(name)) continue;
        const hostVars = inventory.hostVars(name, play.dir);
        const host = pool.open(name, playReach(play, hostVars, options.extraVars, name), play.dir);
        host.keepsRecord(recordKey(options.playbooks, appName(play, name, hostVars, options.extraVars), name), recordMeta);
        hosts.set(name, host);
      }
      // Every task merges the host's inventory variables into its own; the inventory does not change in a play.
      const inventoryVarsCache = new Map<string, Vars>();
      const inventoryVars = (host: string): Vars => {
        let vars = inventoryVarsCache.get(host);
        if (!vars) {
          vars = inventory.hostVars(host, play.dir);
          inventoryVarsCache.set(host, vars);
        }
        return vars;
      };
      const shared: PlayShared = {
        play,
        settings: options,
        extraVars: options.extraVars,
        emit: masked,
        secrets,
        vault,
        signal,
        local: localConnection,
        inventoryVars,
        magic: playMagic(inventory, pool, play, names, inventoryVars, options),
        pool,
        selectByTags: (tags) => selectByTags([...tags], [...options.tags], [...options.skipTags]),
        loadTaskFile: (path, role) => {
          const nodes = loadTaskFile(path, role, options.registry, vault);
          checkIncluded(nodes, play.dir, options.registry);
          return nodes;
        },
        loadRole: (name, params, tasksFrom) => {
          const loaded = loadRole(name, roleSearchDirs(play.file), params, options.registry, vault, {
            ...(tasksFrom === undefined ? {} : { tasksFrom }),
            relativeTo: play.dir,
          });
          checkIncluded([...loaded.blocks, ...loaded.handlers], play.dir, options.registry);
          for (const role of loaded.roles) for (const vars of [role.defaults, role.vars, role.params]) secrets.addFromVars(vars);
          return { tasks: loaded.blocks, handlers: loaded.handlers, role: loaded.context };
        },
        announced: new WeakSet(),
        throttle: new Throttle(),
        aborted: { value: false },
        handlers: [...play.handlers],
      };
      if (play.gather_facts && names.length > 0) masked({ type: "task_start", name: GATHERING_FACTS, handler: false, order: GATHERING_FACTS_ORDER });
      for (const batch of batches(names, play.serial, options.forks)) {
        const once = new RunOnce(batch, (name) => hosts.get(name)?.active ?? false);
        await parallel(batch, options.forks, async (name) => {
          const host = hosts.get(name);
          if (!host) return;
          masked({ type: "host_play_start", host: name });
          try {
            host.probeUser = becomeProbeUser(play);
            if (!(await startHost(host, play, { emit: masked, check: options.check, lockWaitSeconds: options.lockWaitSeconds }))) return;
            await new HostPlay(shared, host, once).run();
          } finally {
            once.left(name);
            masked({ type: "host_play_end", host: name });
          }
        });
        if (play.max_fail_percentage !== undefined) {
          const failed = batch.filter((name) => !(hosts.get(name)?.active ?? false)).length;
          if ((failed / batch.length) * 100 > play.max_fail_percentage) break;
        }
        if (shared.aborted.value) break;
      }
      if (shared.aborted.value) break; // any_errors_fatal ends the run, as in Ansible
    }
    if (!options.check && !signal.aborted) await Promise.all([...hosts.values()].map((host) => saveRecord(host, masked)));
  } finally {
    await Promise.allSettled(pool.all().map((host) => host.close()));
    if (local) await local.close();
  }

  for (const host of hosts.values()) masked({ type: "host_profile", host: host.name, ...host.profile });
  const stats: Record<string, HostStats> = Object.fromEntries([...hosts].map(([name, host]) => [name, host.stats]));
  const elapsedMs = Date.now() - started;
  masked({ type: "recap", hosts: stats, elapsedMs });
  const exitCode = signal.aborted ? ExitCode.interrupted : options.detailedExitCode ? auditExitCode(stats) : runExitCode(stats);
  masked({ type: "run_end", exitCode, elapsedMs });
  return exitCode;
}

/** --start-at-task must name a task of the plays; otherwise the run would silently do nothing. */
function checkStartAtTask(plays: readonly Play[], name: string): void {
  const names = plays.flatMap((play) =>
    tasksOf([...play.preTasks, ...play.roleTasks, ...play.tasks, ...play.postTasks]).flatMap((t) => [t.name, t.label]),
  );
  if (!names.includes(name)) throw new UsageError(`--start-at-task: no task is named '${name}'${didYouMean(name, names)}`);
}

function runExitCode(stats: Readonly<Record<string, HostStats>>): ExitCodeValue {
  const all = Object.values(stats);
  if (all.some((s) => s.failed > 0)) return ExitCode.hostFailed;
  if (all.some((s) => s.unreachable > 0)) return ExitCode.hostUnreachable;
  return ExitCode.ok;
}

function auditExitCode(stats: Readonly<Record<string, HostStats>>): ExitCodeValue {
  const all = Object.values(stats);
  if (all.some((s) => s.failed > 0 || s.unreachable > 0)) return AuditExitCode.hostFailed;
  if (all.some((s) => s.changed > 0)) return AuditExitCode.drift;
  // A finding is known, an unknown result is not: the finding is what the operator must act on first.
  if (all.some((s) => s.warnings > 0)) return AuditExitCode.warning;
  if (all.some((s) => s.unknown > 0)) return AuditExitCode.unknown;
  return AuditExitCode.noDrift;
}

/** Leaves the run record on a host that went through the run without failing (a warning if it cannot). */
async function saveRecord(host: HostRun, emit: EventSink): Promise<void> {
  if (!host.active || !host.recordRead) return;
  await host.saveRecord(host.finalRecord()).catch((error: unknown) => {
    emit({ type: "warning", host: host.name, message: `could not save the run record ${recordFile(host.recordArgs.key)}: ${error instanceof Error ? error.message : String(error)}` });
  });
}

/**
 * The play's remote_user and connection for a host, rendered with its inventory and extra variables (the play's own
 * variables are not known before the host connects): how the host's connection reaches it, unless its variables say.
 */
function playReach(play: Play, hostVars: Vars, extraVars: Vars, name: string): Reach {
  const word = (keyword: "remote_user" | "connection"): string | undefined => {
    const value = play.kw[keyword];
    if (value === undefined || value === null) return undefined;
    return text(renderValue(value, { ...hostVars, ...extraVars, inventory_hostname: name }, { host: name, task: keyword, file: play.loc.file, line: play.loc.line, col: play.loc.col }));
  };
  const connection = word("connection");
  if (connection !== undefined && knownConnection(connection) === undefined) {
    throw new SchemaValidationError(`play "${play.name}": connection must be local or ssh (smart, paramiko: the connections rems-play has), got '${connection}'`, { loc: play.loc, host: name });
  }
  return { remoteUser: word("remote_user"), connection };
}

/** The user probes run as: the play's become user, when the play becomes (probes read root-only files). */
function becomeProbeUser(play: Play): string | undefined {
  return boolean(play.kw.become) ? text(play.kw.become_user ?? "root") : undefined;
}

/** Splits hosts into `serial` batches (a number, "30%", or a list of either); no serial: one batch. */
function batches(names: readonly string[], serial: unknown, forks: number): string[][] {
  if (serial === undefined || serial === null) return [names.slice()];
  const sizes = (Array.isArray(serial) ? serial : [serial]).map((s: unknown) => {
    const text = String(s);
    const n = text.endsWith("%") ? Math.ceil((names.length * Number(text.slice(0, -1))) / 100) : Number(text);
    return Number.isFinite(n) && n > 0 ? n : forks;
  });
  const out: string[][] = [];
  let i = 0;
  let k = 0;
  while (i < names.length) {
    const size = sizes[Math.min(k++, sizes.length - 1)] ?? names.length;
    out.push(names.slice(i, i + size));
    i += size;
  }
  return out;
}

/** Runs `work` over items with at most `limit` at a time. */
async function parallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  });
  await Promise.all(workers);
}

