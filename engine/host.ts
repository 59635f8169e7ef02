/**
 * What the run keeps per host across plays: the one persistent connection, the fact cache, registered
 * variables and set_fact values, the recap counters, and whether the host is still in the run.
 */
import type { Command } from "./command.js";
import type { Connection } from "./connection/connection.js";
import { emptyStats, type HostStats } from "./events.js";
import { FactCache } from "./fact-cache.js";
import type { RunRecord } from "./run-record.js";
import type { Vars } from "./types.js";

export type BecomeWrapper = (command: Command, user: string) => Promise<Command>;

export class HostState {
  readonly stats: HostStats = emptyStats();
  /**
   * Registered results and set_fact values (precedence layer 7), changed through setFacts only: a new object on
   * every change, so merged variables can tell they are still current.
   */
  hostFacts: Vars = {};
  /** Gathered facts (ansible_facts). */
  gathered: Vars | undefined;
  /**
   * Facts modules returned (getent's getent_passwd), named as returned: part of ansible_facts and variables of
   * their own, as Ansible injects them. A new object on every change, so memos of the host's variables can tell.
   */
  moduleFacts: Vars | undefined;
  /** The host's record of its last converging run, read at connect (run-record.ts). */
  previousRecord: RunRecord | undefined;
  recordRead = false;
  /** Fingerprints of the wanted state of each task this run applied or found in place (normal runs). */
  readonly applied: Record<string, string> = {};
  /** Why the host left the run, if it did. */
  failed = false;
  unreachable = false;
  readonly facts: FactCache;
  /** The user probes run as: the play's become user (probes read root-only files such as /etc/ufw/user.rules). */
  probeUser: string | undefined;
  private connected: Promise<void> | undefined;
  /** Round trips to the host and their total time, connect and prefetch time: the host_profile event. */
  readonly profile = { execs: 0, execMs: 0, connectMs: 0, prefetchMs: 0 };
  /** The connection, counted into `profile`. */
  readonly connection: Connection;

  constructor(
    readonly name: string,
    connection: Connection,
    /** The SSH user; become to the same user needs no sudo. */
    readonly loginUser: string,
    private readonly become: BecomeWrapper,
    /** Removes what become left on the host (its askpass helper). */
    private readonly closeBecome: () => Promise<void>,
  ) {
    this.connection = this.counted(connection);
    this.facts = new FactCache(name, (command) => this.exec(command, this.probeUser));
  }

  get active(): boolean {
    return !this.failed && !this.unreachable;
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

  /** Registers results or set_fact values. */
  setFacts(facts: Vars): void {
    this.hostFacts = { ...this.hostFacts, ...facts };
  }

  /** Keeps the facts a module returned in its result's ansible_facts. */
  addModuleFacts(facts: Vars): void {
    this.moduleFacts = { ...this.moduleFacts, ...facts };
  }

  /** Wraps a command for become (sudo to `user`), or leaves it as it is. */
  async wrap(command: Command, becomeUser: string | undefined): Promise<Command> {
    if (becomeUser === undefined || becomeUser === this.loginUser) return command;
    return this.become(command, becomeUser);
  }

  /** Runs a command as the login user, or as `becomeUser`. */
  async exec(command: Command, becomeUser: string | undefined, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    await this.connect();
    const full = await this.wrap(command, becomeUser);
    return this.connection.exec(full.text, { stdin });
  }

  /** Removes become's helper and closes the connection; never throws (the run is ending). */
  async close(): Promise<void> {
    if (!this.connected) return;
    await this.closeBecome().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}
