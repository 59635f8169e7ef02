/**
 * HostRun: one host's part of a run, and the one owner of every change to its state: the persistent connection
 * and its become, the fact cache and gathered facts, registered results and set_fact values, facts modules
 * returned, the handlers notified and not yet run (kept in the run record on the host, so an interrupted run
 * leaves them for the next), the run lock, the recap counters, and whether the host is still in the run.
 * The executor asks it to change; nothing else writes these.
 */
import type { Command } from "../command.js";
import type { Differences } from "../diff-types.js";
import type { Connection } from "../connection/connection.js";
import { emptyStats, type HostStats, type TaskStatus } from "../events.js";
import { FactCache } from "../fact-cache.js";
import { markUnsafe, unsafeVars } from "../template/render.js";
import type { Vars } from "../types.js";
import { takeHostLock, type HostLock, type LockOptions } from "./host-lock.js";
import type { RecordedLines } from "../differences.js";
import { lineHasher, newSalt, writeRecordCommand, type RecordArgs, type RunRecord } from "./run-record.js";

/** What a run record says of its run besides the tasks: when, which playbooks, which commit. */
export type RecordMeta = Omit<RunRecord, "tasks" | "pendingHandlers" | "lines" | "salt">;

/** The words that run a script as `user` through sudo (ExecOptions.runAs). */
export type BecomeWords = (user: string) => Promise<string>;

export class HostRun {
  readonly stats: HostStats = emptyStats();
  /**
   * Registered results and set_fact values (precedence layer 7): unsafe data, and a new object on every change,
   * so merged variables can tell they are still current.
   */
  hostFacts: Vars = {};
  /** Gathered facts (ansible_facts): unsafe data. */
  private gatheredFacts: Vars | undefined;
  /**
   * Facts modules returned (getent's getent_passwd), named as returned: part of ansible_facts and variables of
   * their own, as Ansible injects them. A new object on every change, so memos of the host's variables can tell.
   */
  moduleFacts: Vars | undefined;
  /** The host's record of its last converging run, read at connect (run-record.ts). */
  private lastRecord: RunRecord | undefined;
  private recordWasRead = false;
  /** Fingerprints of the wanted state of each task this run applied or found in place (normal runs). */
  private readonly applied: Record<string, string> = {};
  /** The hashed lines each task this run changed left in the files it wrote (normal runs). */
  private readonly appliedLines: Record<string, Record<string, string>> = {};
  private lineSalt: string | undefined;
  /** Registered names whose result is unknown in this check run: tasks reading them are unknown too. */
  readonly unknownResults = new Set<string>();
  /** The last task that failed on this host, for rescue's ansible_failed_task/ansible_failed_result. */
  lastFailure: { task: Vars; result: Vars } | undefined;
  /** Why the host left the run, if it did (changed through count, resume and leave). */
  private failedNow = false;
  private unreachableNow = false;
  readonly facts: FactCache;
  /** The user probes run as: the play's become user (probes read root-only files such as /etc/ufw/user.rules). */
  probeUser: string | undefined;
  /** Round trips to the host and their total time, connect and prefetch time: the host_profile event. */
  readonly profile = { execs: 0, execMs: 0, connectMs: 0, prefetchMs: 0 };
  /** The connection, counted into `profile`. */
  readonly connection: Connection;
  /** Handler names notified in the current play and not yet run, by play name (what the run record keeps). */
  private pending = new Map<string, Set<string>>();
  /** The record this run reads and writes on the host (run-record.ts), and what it says of this run. */
  private record: { key: string; meta: RecordMeta } | undefined;
  private connected: Promise<void> | undefined;
  private lock: HostLock | undefined;
  /** The connection as opened, for the lock's long-running command (not a round trip of the run's work). */
  private readonly raw: Connection;

  constructor(
    readonly name: string,
    connection: Connection,
    /** The SSH user; become to the same user needs no sudo. */
    readonly loginUser: string,
    private readonly become: BecomeWords,
    /** Removes what become left on the host (its askpass helper). */
    private readonly closeBecome: () => Promise<void>,
  ) {
    this.raw = connection;
    this.connection = this.counted(connection);
    this.facts = new FactCache(name, (command) => this.exec(command, this.probeUser));
  }

  get gathered(): Vars | undefined {
    return this.gatheredFacts;
  }

  /** Keeps gathered facts: data, never templates. */
  gather(facts: Vars): void {
    this.gatheredFacts = markUnsafe(facts);
  }

  /** Which record this run keeps on the host (one per playbook and application) and what it says of the run. */
  keepsRecord(key: string, meta: RecordMeta): void {
    this.record = { key, meta };
  }

  /** The record's key and the playbooks it names, for reading it. */
  get recordArgs(): RecordArgs {
    return { key: this.recordKeyName, playbook: this.record?.meta.playbook ?? "" };
  }

  private get recordKeyName(): string {
    if (!this.record) throw new Error(`${this.name}: the run record was used before the run named it`);
    return this.record.key;
  }

  get previousRecord(): RunRecord | undefined {
    return this.lastRecord;
  }

  get recordRead(): boolean {
    return this.recordWasRead;
  }

  /** Keeps the run record read from the host at its start (undefined: the host has none). */
  readRecord(record: RunRecord | undefined): void {
    this.lastRecord = record;
    this.recordWasRead = true;
  }

  /**
   * Notes the fingerprint of a task's wanted state, applied or found in place, and the hashed lines a change left
   * (run-record.ts). A task found in place keeps the lines recorded before, while its wanted state is the same.
   */
  noteApplied(key: string, fingerprint: string, lines?: Record<string, string>): void {
    this.applied[key] = fingerprint;
    if (lines !== undefined) this.appliedLines[key] = lines;
  }

  /** Hashes a line as the run record keeps it: with the salt of the host's record, or a new one. */
  get lineHash(): (line: string) => string {
    this.lineSalt ??= this.lastRecord?.salt ?? newSalt();
    return lineHasher(this.lineSalt);
  }

  /** The lines the last apply of task KEY left at each diff path, as an audit compares them (differences.ts). */
  recordedLines(key: string): RecordedLines {
    const kept = this.lastRecord?.lines?.[key];
    const hash = this.lineHash;
    return (path) => {
      const lines = kept?.[path];
      return lines === undefined ? undefined : { lines: lines === "" ? [] : lines.split(" "), hash };
    };
  }

  get active(): boolean {
    return !this.failedNow && !this.unreachableNow;
  }

  get failed(): boolean {
    return this.failedNow;
  }

  get unreachable(): boolean {
    return this.unreachableNow;
  }

  /**
   * Counts a result in the recap; a failure (not ignored) or an unreachable host takes the host out of the run.
   * `warned`: the task reported a warning finding (findings.ts) or came with warnings; `differences`: an audited
   * change's drift and pending differences (differences.ts).
   */
  count(status: TaskStatus, ignored = false, warned = false, differences?: Differences): void {
    const stats = this.stats;
    if (warned) stats.warnings++;
    stats.drift += differences?.drift ?? 0;
    stats.pending += differences?.pending ?? 0;
    if (status === "changed" || status === "ok") stats.ok++;
    if (status === "changed") stats.changed++;
    if (status === "skipped") stats.skipped++;
    if (status === "unknown") stats.unknown++;
    if (status === "unreachable") {
      stats.unreachable++;
      this.unreachableNow = true;
    }
    if (status === "failed" && ignored) stats.ignored++;
    if (status === "failed" && !ignored) {
      stats.failed++;
      this.failedNow = true;
    }
  }

  /**
   * A block's rescue or always section starts: the host is back in the run for it. Returns whether it had failed.
   */
  resume(): boolean {
    const failed = this.failedNow;
    this.failedNow = false;
    return failed;
  }

  /** A block's rescue starts: the failures since `failedBefore` count as rescued. */
  rescued(failedBefore: number): void {
    const rescued = this.stats.failed - failedBefore;
    this.stats.failed -= rescued;
    this.stats.rescued += rescued;
  }

  /** After an always section: a failure from before it stands. */
  fail(): void {
    this.failedNow = true;
  }

  /** The connection, counting round trips and their time into `profile`. */
  private counted(connection: Connection): Connection {
    const profile = this.profile;
    return {
      hostName: connection.hostName,
      connect: async () => {
        const started = Date.now();
        await connection.connect();
        profile.connectMs = Date.now() - started;
      },
      exec: async (command, options) => {
        const started = Date.now();
        try {
          return await connection.exec(command, options);
        } finally {
          profile.execs++;
          profile.execMs += Date.now() - started;
        }
      },
      openTcp: (address, port) => connection.openTcp(address, port),
      close: () => connection.close(),
    };
  }

  /** Connects once; later calls share the same attempt. */
  connect(): Promise<void> {
    this.connected ??= this.connection.connect();
    return this.connected;
  }

  /**
   * Takes the host's run lock (shared for an audit, exclusive for a run that changes it), waiting up to
   * `waitSeconds` while another run holds it. Kept until close.
   */
  async takeLock(options: LockOptions): Promise<void> {
    await this.connect();
    this.profile.execs++;
    this.lock = await takeHostLock(this.raw, await this.runAs(this.probeUser), options);
  }

  /** Stores a task's registered result: data, never a template (command output may hold "{{"). */
  register(name: string, result: Vars): void {
    this.hostFacts = { ...this.hostFacts, [name]: markUnsafe(result) };
  }

  /** Stores set_fact values: rendered once already, so never rendered again. */
  setFacts(facts: Vars): void {
    this.hostFacts = { ...this.hostFacts, ...unsafeVars(facts) };
  }

  /** Stores include_vars values beside set_fact's, but as templates: rendered when used, as in Ansible. */
  includeVars(vars: Vars): void {
    this.hostFacts = { ...this.hostFacts, ...vars };
  }

  /** Takes what a run_once task set on the host that ran it (its hostFacts and moduleFacts entries, as they are). */
  adopt(set: Vars, returned: Vars): void {
    if (Object.keys(set).length > 0) this.hostFacts = { ...this.hostFacts, ...set };
    if (Object.keys(returned).length > 0) this.moduleFacts = { ...this.moduleFacts, ...returned };
  }

  /** Keeps the facts a module returned in its result's ansible_facts. */
  addModuleFacts(facts: Vars): void {
    this.moduleFacts = { ...this.moduleFacts, ...markUnsafe(facts) };
  }

  /** The handlers an interrupted run of `play` left notified on this host (from the run record). */
  leftPending(play: string): string[] {
    return this.previousRecord?.pendingHandlers?.[play] ?? [];
  }

  /**
   * Notes handlers a changed task notified in `play`. In a run that changes the host the note is saved in the run
   * record on the host before the task reports, so a run that stops before the handlers leaves them for the next.
   */
  async notify(play: string, names: readonly string[], persist: boolean): Promise<void> {
    const pending = this.pending.get(play) ?? new Set<string>();
    const added = names.filter((name) => !pending.has(name));
    if (added.length === 0) return;
    for (const name of added) pending.add(name);
    this.pending.set(play, pending);
    if (persist) await this.saveRecord(this.recordWith(this.previousRecord?.tasks ?? {}, this.previousRecord?.lines ?? {}, this.previousRecord ?? this.record?.meta));
  }

  /** The notified handler names of `play`, cleared: the handlers are about to run. */
  takeNotified(play: string): Set<string> {
    const names = this.pending.get(play) ?? new Set<string>();
    this.pending.set(play, new Set());
    return names;
  }

  /** Handlers of `play` that did not get to run (the host failed first): they stay pending in the record. */
  keepPending(play: string, names: Iterable<string>): void {
    const pending = this.pending.get(play) ?? new Set<string>();
    for (const name of names) pending.add(name);
    this.pending.set(play, pending);
  }

  /** The run record this run leaves at its end: what it applied over what was there, and the handlers still pending. */
  finalRecord(): RunRecord {
    const meta = this.record?.meta;
    const previous = this.previousRecord;
    const tasks = { ...previous?.tasks, ...this.applied };
    // Lines recorded before stay true of a task whose wanted state is the same; a changed one's are its new lines.
    const lines: Record<string, Record<string, string>> = {};
    for (const [key, kept] of Object.entries(previous?.lines ?? {})) if (tasks[key] === previous?.tasks[key]) lines[key] = kept;
    Object.assign(lines, this.appliedLines);
    return this.recordWith(tasks, lines, meta && { ...meta, at: new Date().toISOString() });
  }

  private recordWith(tasks: Record<string, string>, lines: Record<string, Record<string, string>>, meta: RecordMeta | undefined): RunRecord {
    // A host's first run has no record yet: it is stamped as now until the run ends.
    const { at, playbook, commit } = meta ?? { at: new Date().toISOString(), playbook: "", commit: undefined };
    const pendingHandlers: Record<string, string[]> = {};
    for (const [play, names] of this.pending) if (names.size > 0) pendingHandlers[play] = [...names];
    const salt = this.lineSalt ?? this.previousRecord?.salt;
    return {
      at,
      playbook,
      ...(commit ? { commit } : {}),
      tasks,
      ...(Object.keys(pendingHandlers).length > 0 ? { pendingHandlers } : {}),
      ...(salt !== undefined && Object.keys(lines).length > 0 ? { salt, lines } : {}),
    };
  }

  /** Writes the run record (atomically, root only); throws with the host's stderr when it cannot. */
  async saveRecord(record: RunRecord): Promise<void> {
    const result = await this.exec(writeRecordCommand(this.recordKeyName), this.probeUser, JSON.stringify(record, null, 1));
    if (result.code !== 0) throw new Error(result.stderr.trim() || `exit code ${result.code}`);
  }

  /** The words that run a script as `becomeUser` (sudo), or undefined to run it as the login user. */
  async runAs(becomeUser: string | undefined): Promise<string | undefined> {
    if (becomeUser === undefined || becomeUser === this.loginUser) return undefined;
    return this.become(becomeUser);
  }

  /** Runs a command as the login user, or as `becomeUser`. */
  async exec(command: Command, becomeUser: string | undefined, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    await this.connect();
    return this.connection.exec(command.text, { stdin, runAs: await this.runAs(becomeUser) });
  }

  /** Releases the lock, removes become's helper and closes the connection; never throws (the run is ending). */
  async close(): Promise<void> {
    if (!this.connected) return;
    await this.lock?.release().catch(() => undefined);
    await this.closeBecome().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}
