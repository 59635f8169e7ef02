/**
 * Orchestration: load and validate everything (nothing is contacted before the input is known to be good),
 * then per play: select hosts, run them in parallel up to --forks (in `serial` batches), gather facts, run the
 * play on each host, and emit the recap. Returns the exit code; only the CLI exits.
 */
import { userInfo } from "node:os";
import type { Connection, ConnectionSpec } from "./connection/connection.js";
import { Become } from "./connection/become.js";
import { openConnection } from "./connection/open.js";
import { text } from "./actions.js";
import { secret } from "./command.js";
import { ConnectionError, InputErrors, RemsError, UsageError } from "./errors.js";
import { didYouMean } from "./did-you-mean.js";
import { tasksOf } from "./task-walk.js";
import type { EventSink, HostStats, LastApplied, SourceVersion } from "./events.js";
import { AuditExitCode, ExitCode, type ExitCodeValue } from "./exit-codes.js";
import { factVars, hostFacts } from "./gather-facts.js";
import { HostState } from "./host.js";
import { SecretRegistry } from "./mask.js";
import { sourceVersion } from "./source-version.js";
import { RECORD_FILE, runRecordFact, writeRecordCommand, type RunRecord } from "./run-record.js";
import type { AnyModule } from "./module-api.js";
import { HostPlay, type PlayShared } from "./play-runner.js";
import { markUnsafe, renderValue } from "./template/render.js";
import type { Play, Vars } from "./types.js";
import { OMIT } from "./vars.js";
import { loadInventory, type Inventory } from "./load/inventory.js";
import { loadPlaybook } from "./load/playbook.js";
import { loadRole, loadTaskFile } from "./load/include.js";
import { roleSearchDirs } from "./load/roles.js";
import { selectByTags } from "./load/tags.js";
import { validateRoleVars } from "./load/role-vars.js";

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
  hostKeyPolicy: ConnectionSpec["hostKeyPolicy"];
  /** Exit with AuditExitCode (what an audit found) instead of ExitCode. */
  detailedExitCode: boolean;
  registry: ReadonlyMap<string, AnyModule>;
}

export interface Loaded {
  inventory: Inventory;
  plays: Play[];
}

/** Loads inventory and playbooks; throws InputErrors with every problem found. */
export function loadAll(options: Pick<RunOptions, "playbooks" | "inventories" | "registry">): Loaded {
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
  const inventory = collect(() => loadInventory([...options.inventories]));
  const plays = options.playbooks.flatMap((path) => collect(() => loadPlaybook(path, options.registry)) ?? []);
  if (errors.length > 0 || !inventory) throw new InputErrors(errors);
  return { inventory, plays };
}

/** The hosts a play targets, intersected with --limit. */
export function playHosts(inventory: Inventory, play: Play, limit: string | undefined): string[] {
  const hosts = inventory.selectHosts(play.hosts);
  if (limit === undefined) return hosts;
  const allowed = new Set(inventory.selectHosts(limit));
  return hosts.filter((host) => allowed.has(host));
}

export async function run(options: RunOptions, emit: EventSink, signal: AbortSignal): Promise<ExitCodeValue> {
  const started = Date.now();
  const { inventory, plays } = loadAll(options);
  const sourcesAsked = Promise.all([...options.playbooks, ...options.inventories].map(sourceVersion));
  if (options.startAtTask !== undefined) checkStartAtTask(plays, options.startAtTask);
  const secrets = new SecretRegistry();
  secrets.add(options.becomePassword);
  secrets.addFromVars(options.extraVars);
  const masked: EventSink = (event) => emit(secrets.maskDeep(event));

  // Role variables are checked for every host of every play before any host is contacted.
  const roleErrors = plays.flatMap((play) =>
    playHosts(inventory, play, options.limit).flatMap((host) => {
      const hostVars = inventory.hostVars(host, play.dir);
      for (const vars of [hostVars, play.vars, play.varsFiles, ...play.roles.flatMap((r) => [r.defaults, r.vars, r.params])]) secrets.addFromVars(vars);
      const outside = [
        ...inventory.hostVarLayers(host, play.dir),
        { label: "play vars", vars: play.vars },
        { label: "play vars_files", vars: play.varsFiles },
        { label: "extra vars", vars: options.extraVars, aboveRole: true },
      ];
      return play.roles.flatMap((role) => validateRoleVars(role, outside, host));
    }),
  );
  if (roleErrors.length > 0) throw new InputErrors(roleErrors);

  const sources = await sourcesAsked;
  masked({
    type: "run_start",
    playbooks: options.playbooks,
    inventories: options.inventories,
    sources,
    check: options.check,
    diff: options.diff,
    startedAt: new Date(started).toISOString(),
  });
  const hosts = new Map<string, HostState>();
  let local: Connection | undefined;
  const localConnection = (): Connection => (local ??= openConnection(localSpec()));

  try {
    for (const play of plays) {
      if (signal.aborted) break;
      const names = playHosts(inventory, play, options.limit).filter((name) => hosts.get(name)?.active ?? true);
      masked({ type: "play_start", name: play.name, hosts: names });
      for (const name of names) if (!hosts.has(name)) hosts.set(name, createHost(name, inventory.hostVars(name, play.dir), options, secrets));
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
      const magic = playMagic(inventory, hosts, inventoryVars);
      const hostMagic = new Map<HostState, { facts: Vars; active: number; vars: Vars }>();
      const shared: PlayShared = {
        play,
        settings: { ...options, extraVars: options.extraVars },
        emit: masked,
        secrets,
        signal,
        local: localConnection,
        inventoryVars,
        magic: (host) => {
          // Every task asks: made again only when the host's facts or the play's active hosts changed (hosts only
          // drop out of a play, so a count tells).
          const active = names.filter((name) => hosts.get(name)?.active ?? true);
          const facts = hostFactVars(host);
          const cached = hostMagic.get(host);
          if (cached && cached.facts === facts && cached.active === active.length) return cached.vars;
          const vars = magicVars(host, facts, names, active, magic, play, options);
          hostMagic.set(host, { facts, active: active.length, vars });
          return vars;
        },
        selectByTags: (tags) => selectByTags([...tags], [...options.tags], [...options.skipTags]),
        loadTaskFile: (path, role) => loadTaskFile(path, role, options.registry),
        loadRole: (name, params, tasksFrom) => {
          const loaded = loadRole(name, roleSearchDirs(play.file), params, options.registry, {
            ...(tasksFrom === undefined ? {} : { tasksFrom }),
            relativeTo: play.dir,
          });
          for (const role of loaded.roles) for (const vars of [role.defaults, role.vars, role.params]) secrets.addFromVars(vars);
          return { tasks: loaded.blocks, handlers: loaded.handlers, role: loaded.context };
        },
        announced: new WeakSet(),
        once: new WeakMap(),
        aborted: { value: false },
        handlers: [...play.handlers],
      };
      if (play.gather_facts && names.length > 0) masked({ type: "task_start", name: GATHERING_FACTS, handler: false });
      for (const batch of batches(names, play.serial, options.forks)) {
        await parallel(batch, options.forks, async (name) => {
          const host = hosts.get(name);
          if (!host) return;
          host.probeUser = play.become === undefined ? undefined : becomeProbeUser(play);
          if (!(await connectAndGather(host, play, shared))) return;
          await new HostPlay(shared, host).run();
        });
        if (play.max_fail_percentage !== undefined) {
          const failed = batch.filter((name) => !(hosts.get(name)?.active ?? false)).length;
          if ((failed / batch.length) * 100 > play.max_fail_percentage) break;
        }
        if (shared.aborted.value) break;
      }
      if (shared.aborted.value) break; // any_errors_fatal ends the run, as in Ansible
    }
    if (!options.check && !signal.aborted) await Promise.all([...hosts.values()].map((host) => saveRecord(host, options, sources.find((s) => s.path === options.playbooks[0]), masked)));
  } finally {
    await Promise.allSettled([...hosts.values()].map((host) => host.close()));
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
  if (all.some((s) => s.unknown > 0)) return AuditExitCode.unknown;
  return AuditExitCode.noDrift;
}

const GATHERING_FACTS = "Gathering Facts";

function lastApplied(record: RunRecord | undefined): LastApplied | undefined {
  return record ? { at: record.at, playbook: record.playbook, ...(record.commit ? { commit: record.commit } : {}) } : undefined;
}

/** Leaves the run record on a host that went through the run without failing (a warning if it cannot). */
async function saveRecord(host: HostState, options: RunOptions, source: SourceVersion | undefined, emit: EventSink): Promise<void> {
  if (!host.active || !host.recordRead) return;
  const record: RunRecord = {
    at: new Date().toISOString(),
    playbook: options.playbooks.join(", "),
    ...(source?.commit ? { commit: source.commit } : {}),
    tasks: { ...host.previousRecord?.tasks, ...host.applied },
  };
  const result = await host.exec(writeRecordCommand(), host.probeUser, JSON.stringify(record, null, 1)).catch((error: unknown) => ({
    code: -1,
    stdout: "",
    stderr: String(error),
  }));
  if (result.code !== 0) emit({ type: "warning", host: host.name, message: `could not save the run record ${RECORD_FILE}: ${result.stderr.trim()}` });
}

async function connectAndGather(host: HostState, play: Play, shared: PlayShared): Promise<boolean> {
  const started = Date.now();
  const task = GATHERING_FACTS;
  try {
    await host.connect();
    shared.emit({ type: "host_connected", host: host.name, durationMs: Date.now() - started });
    if (!host.recordRead) {
      // The run record travels in the same round trip as the facts.
      const wanted = play.gather_facts && !host.gathered ? [{ fact: runRecordFact, args: {} }, { fact: hostFacts, args: {} }] : [{ fact: runRecordFact, args: {} }];
      const [record, facts] = await host.facts.get(wanted);
      host.previousRecord = record as RunRecord | undefined;
      host.recordRead = true;
      if (facts) host.gathered = markUnsafe(facts as Vars);
      shared.emit({ type: "host_state", host: host.name, lastApplied: lastApplied(host.previousRecord) });
    }
    if (play.gather_facts && !host.gathered) host.gathered = markUnsafe((await host.facts.get([{ fact: hostFacts, args: {} }]))[0] as Vars);
    if (play.gather_facts) {
      shared.emit({ type: "task_result", host: host.name, task, status: "ok", durationMs: Date.now() - started });
      host.stats.ok++;
    }
    return true;
  } catch (error) {
    const rems = error instanceof RemsError ? error : new ConnectionError(String(error), { host: host.name }, { cause: error });
    const unreachable = rems instanceof ConnectionError;
    shared.emit({
      type: "task_result",
      host: host.name,
      task,
      status: unreachable ? "unreachable" : "failed",
      error: { code: rems.code, message: rems.describe() },
      durationMs: Date.now() - started,
    });
    if (unreachable) {
      host.unreachable = true;
      host.stats.unreachable++;
    } else {
      host.failed = true;
      host.stats.failed++;
    }
    return false;
  }
}

function createHost(name: string, rawVars: Vars, options: RunOptions, secrets: SecretRegistry): HostState {
  const vars = renderValue(rawVars, { ...rawVars, inventory_hostname: name }, { host: name, task: "connection variables" }) as Vars;
  const str = (key: string): string | undefined => (vars[key] === undefined || vars[key] === null ? undefined : text(vars[key]));
  const local = str("ansible_connection") === "local" || (name === "localhost" && str("ansible_connection") === undefined);
  const user = str("ansible_user") ?? options.user ?? userInfo().username;
  const password = str("ansible_password") ?? str("ansible_ssh_pass");
  const checking = vars.ansible_host_key_checking;
  const spec: ConnectionSpec = {
    hostName: name,
    type: local ? "local" : "ssh",
    address: str("ansible_host") ?? name,
    port: Number(str("ansible_port") ?? 22),
    user: local ? userInfo().username : user,
    privateKeyFile: str("ansible_ssh_private_key_file") ?? options.privateKey,
    password,
    knownHostsFile: str("rems_known_hosts_file"),
    hostKeyPolicy: checking === false || checking === "false" || checking === "no" ? "ignore" : options.hostKeyPolicy,
    connectTimeoutMs: Number(str("ansible_timeout") ?? 10) * 1000,
  };
  secrets.add(password);
  const becomePassword = str("ansible_become_password") ?? str("ansible_become_pass") ?? options.becomePassword;
  secrets.add(becomePassword);
  const connection = openConnection(spec);
  const become = new Become(connection, becomePassword === undefined ? undefined : secret(becomePassword));
  return new HostState(name, connection, spec.user, (command, becomeUser) => become.wrap(command, becomeUser), () => become.close());
}

function localSpec(): ConnectionSpec {
  const user = userInfo().username;
  return { hostName: "localhost", type: "local", address: "localhost", port: 0, user, hostKeyPolicy: "ignore", connectTimeoutMs: 10000 };
}

function becomeProbeUser(play: Play): string | undefined {
  return play.become === true || play.become === "yes" || play.become === "true" ? text(play.become_user ?? "root") : undefined;
}

/** The magic variables that depend only on the inventory and the play: computed once per play, not per task. */
interface PlayMagic {
  groups: Record<string, string[]>;
  /** group_names of each inventory host, sorted. */
  groupNames: ReadonlyMap<string, readonly string[]>;
  /** Each host's inventory variables and facts, read when used (facts are gathered after this is made). */
  hostvars: Record<string, Vars>;
}

function playMagic(inventory: Inventory, hosts: ReadonlyMap<string, HostState>, inventoryVars: (host: string) => Vars): PlayMagic {
  const described = inventory.hosts();
  const groups: Record<string, string[]> = { all: described.map((h) => h.name) };
  for (const group of inventory.groupNames()) groups[group] = inventory.selectHosts(group);
  const hostvars: Record<string, Vars> = {};
  for (const h of described) {
    Object.defineProperty(hostvars, h.name, {
      enumerable: true,
      get: () => ({ ...inventoryVars(h.name), ...hostFactVars(hosts.get(h.name)), ...hosts.get(h.name)?.hostFacts }),
    });
  }
  return { groups, groupNames: new Map(described.map((h) => [h.name, [...h.groups].sort()])), hostvars };
}

// Every task's variables include the host's facts, which change only when gathered or returned by a module.
const factVarsMemo = new WeakMap<HostState, { gathered: Vars | undefined; returned: Vars | undefined; vars: Vars }>();

function hostFactVars(host: HostState | undefined): Vars {
  if (!host) return factVars({});
  const memo = factVarsMemo.get(host);
  if (memo && memo.gathered === host.gathered && memo.returned === host.moduleFacts) return memo.vars;
  const vars = factVars(host.gathered ?? {}, host.moduleFacts);
  factVarsMemo.set(host, { gathered: host.gathered, returned: host.moduleFacts, vars });
  return vars;
}

function magicVars(host: HostState, facts: Vars, playHostNames: readonly string[], activeHostNames: readonly string[], magic: PlayMagic, play: Play, options: RunOptions): Vars {
  return {
    ...facts,
    inventory_hostname: host.name,
    inventory_hostname_short: host.name.split(".")[0],
    group_names: magic.groupNames.get(host.name) ?? [],
    groups: magic.groups,
    hostvars: magic.hostvars,
    playbook_dir: play.dir,
    ansible_play_hosts: activeHostNames,
    ansible_play_hosts_all: playHostNames,
    ansible_check_mode: options.check,
    ansible_diff_mode: options.diff,
    ansible_verbosity: options.verbosity,
    omit: OMIT,
  };
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

