/**
 * The ModuleContext a module sees for one task on one host: facts through the host's cache, commands through
 * the host's connection with the task's become, environment and secrets applied.
 */
import type { Duplex } from "node:stream";
import type { JinjaOptions } from "../template/header.js";
import { Command, sh } from "../command.js";
import type { Connection } from "../connection/connection.js";
import { TIMEOUT_EXIT_CODE } from "../connection/exec-result.js";
import { CommandFailedError, ModuleError, RemsError } from "../errors.js";
import type { FactCache } from "../fact-cache.js";
import type { FactDefinition, FactRequest } from "../facts.js";
import { findControllerFile, notFound } from "../load/paths.js";
import type { SecretRegistry } from "../mask.js";
import { toolWarnings } from "../tool-warnings.js";
import type { CommandResult, ModuleContext, RunOptions } from "../module-api.js";
import { decodeText } from "../source/text-file.js";
import type { RoleContext } from "../types.js";
import type { Vault } from "../vault/vault.js";

/** How much earlier than the async deadline a timed-out command may be seen to end. */
const ASYNC_CLOCK_SLACK_MS = 250;

/** Where a context reads facts: the host's cache, or the prefetch pass's recorder. */
export type FactSource = Pick<FactCache, "get">;

/** The words that run the task's commands as its become user (ExecOptions.runAs); undefined: as the login user. */
export type RunAs = () => Promise<string | undefined>;

export interface HostContextOptions {
  host: string;
  /** The host user the task's commands run as (ModuleContext.user). */
  user: string;
  /** The user the host's cached probes run as: a perUser fact is probed apart when `user` is another. */
  probeUser: string;
  connection: Connection;
  facts: FactSource;
  runAs: RunAs;
  vars: Readonly<Record<string, unknown>>;
  checkMode: boolean;
  diffMode: boolean;
  /** ModuleContext.changesPlanned. */
  changesPlanned: boolean;
  environment: Readonly<Record<string, string>>;
  role: RoleContext | undefined;
  /** Directory of the file the task came from, and of the playbook. */
  taskDir: string;
  playbookDir: string;
  secrets: SecretRegistry;
  /** Decrypts vault-encrypted controller files (copy and template sources). */
  vault: Vault;
  signal: AbortSignal;
  task: string;
  /** Renders a template's text; `path` is its file, for messages and includes. */
  render: (text: string, path: string, options?: JinjaOptions) => string;
  /** async: the task's seconds; its commands are stopped once they are spent. */
  asyncSeconds?: number | undefined;
  /** no_log: the tools' warnings quote their output, so they are not shown. */
  noLog: boolean;
}

export class HostContext implements ModuleContext {
  readonly warnings: string[] = [];
  /** Display text of every command run for the task (shown with -vv). */
  readonly commands: string[] = [];
  /** Names of facts that were check-mode predictions rather than host state. */
  readonly predictedFacts = new Set<string>();
  /** Controller files and directories the task read: part of its wanted state (run-record.ts). */
  readonly sources: string[] = [];
  /** Texts the task rendered on the controller (templates): part of its wanted state too. */
  readonly rendered: string[] = [];
  /** Whether the task read a vault-encrypted controller file: its diffs then show no content. */
  readVaulted = false;

  /** async: when the task's time is up (Date.now() milliseconds). */
  private readonly deadline: number | undefined;

  constructor(private readonly o: HostContextOptions) {
    this.deadline = o.asyncSeconds === undefined ? undefined : Date.now() + o.asyncSeconds * 1000;
  }

  get host(): string {
    return this.o.host;
  }
  get user(): string {
    return this.o.user;
  }
  get vars(): Readonly<Record<string, unknown>> {
    return this.o.vars;
  }
  get checkMode(): boolean {
    return this.o.checkMode;
  }
  get diffMode(): boolean {
    return this.o.diffMode;
  }
  get changesPlanned(): boolean {
    return this.o.changesPlanned;
  }
  get signal(): AbortSignal {
    return this.o.signal;
  }

  async fact<T, A>(fact: FactDefinition<T, A>, args: A): Promise<T> {
    const [value] = await this.facts([{ fact, args }] as FactRequest[]);
    return value as T;
  }

  async facts(requests: readonly FactRequest[]): Promise<unknown[]> {
    const own = (request: FactRequest): boolean => request.fact.perUser === true && this.o.user !== this.o.probeUser;
    const cached = await this.o.facts.get(requests.filter((request) => !own(request)), (name) => this.predictedFacts.add(name));
    return Promise.all(requests.map((request) => (own(request) ? this.probeAsUser(request) : cached.shift())));
  }

  /** A perUser fact probed as the task's user (with its become), as Ansible's module reads it. */
  private async probeAsUser({ fact, args }: FactRequest): Promise<unknown> {
    const runAs = await this.o.runAs();
    const { stdout, code } = await this.o.connection.exec(fact.command(args).text, { runAs, signal: this.o.signal });
    return fact.parse({ stdout, code }, args);
  }

  async run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    const full = this.withEnvironment(command, options);
    const runAs = await this.o.runAs();
    this.commands.push(command.display);
    const left = this.deadline === undefined ? undefined : Math.max(1, this.deadline - Date.now());
    const limited = left !== undefined && (options.timeoutMs === undefined || left < options.timeoutMs);
    const result = await this.o.connection
      .exec(full.text, { stdin: options.stdin, runAs, timeoutMs: limited ? left : options.timeoutMs, signal: this.o.signal })
      .catch((error: unknown) => {
        if (limited && error instanceof CommandFailedError && this.outOfTime(error.exitCode)) throw this.asyncTimeout(error);
        throw error;
      });
    if (limited && this.outOfTime(result.code)) throw this.asyncTimeout();
    const ok = options.okCodes ?? [0];
    if (!ok.includes(result.code)) {
      throw new CommandFailedError(
        this.o.secrets.mask(command.display),
        result.code,
        this.o.secrets.mask(result.stdout),
        this.o.secrets.mask(result.stderr),
        { host: this.o.host, task: this.o.task },
      );
    }
    if (!this.o.noLog) this.warnings.push(...toolWarnings(this.o.secrets.mask(result.stderr)));
    return result;
  }

  /** Whether a command's exit code says timeout(1) stopped it because the async task's time was spent. */
  private outOfTime(code: number): boolean {
    // The host's clock and ours measure the same span from slightly different starts.
    return (code === TIMEOUT_EXIT_CODE || code === 128 + 9) && this.deadline !== undefined && Date.now() >= this.deadline - ASYNC_CLOCK_SLACK_MS;
  }

  /** The failure of an async task that outlived its time, worded as Ansible's. */
  private asyncTimeout(cause?: unknown): ModuleError {
    return new ModuleError(`async task did not complete within the requested time - ${this.o.asyncSeconds ?? 0}s`, { host: this.o.host, task: this.o.task }, { cause });
  }

  openTcp(address: string, port: number): Promise<Duplex> {
    return this.o.connection.openTcp(address, port);
  }

  findFile(path: string, kind: "files" | "templates"): string {
    const { found, lookedIn } = findControllerFile(path, kind, this.o);
    if (found === undefined) throw new ModuleError(notFound(path, lookedIn), { host: this.o.host, task: this.o.task });
    this.sources.push(found);
    return found;
  }

  readSource(absolutePath: string): Buffer {
    try {
      const { content, vaulted } = this.o.vault.readFile(absolutePath);
      if (vaulted) this.readVaulted = true;
      return content;
    } catch (error) {
      if (error instanceof RemsError) throw error;
      throw new ModuleError(`cannot read ${absolutePath}: ${(error as Error).message}`, { host: this.o.host, task: this.o.task }, { cause: error });
    }
  }

  renderFile(absolutePath: string, options?: JinjaOptions): string {
    const text = this.o.render(decodeText(absolutePath, this.readSource(absolutePath)), absolutePath, options);
    this.rendered.push(text);
    return text;
  }

  addSecret(value: string): void {
    this.o.secrets.add(value);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Task environment and per-command env/cwd, exported in the shell so values never appear as argv of `env`. */
  private withEnvironment(command: Command, options: RunOptions): Command {
    const env = { ...this.o.environment, ...options.env };
    let out = command;
    if (options.cwd !== undefined) out = sh`cd ${options.cwd} && ${out}`;
    const names = Object.keys(env);
    if (names.length === 0) return out;
    const exports = names.map((name) => {
      const value = env[name] ?? "";
      const assignment = sh`${value}`;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ModuleError(`invalid environment variable name '${name}'`);
      return new Command(`export ${name}=${assignment.text}`, `export ${name}=${this.o.secrets.mask(assignment.display)}`);
    });
    return new Command(
      [...exports.map((e) => e.text), out.text].join("; "),
      [...exports.map((e) => e.display), out.display].join("; "),
    );
  }
}
