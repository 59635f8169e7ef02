/**
 * The module interface (ESLint rule = metadata + schema + function; pyinfra operation = facts in, commands out).
 * A module is one file modules/<name>.ts whose default export is defineModule({...}).
 *
 * Contract:
 * - `check` reads the host only through ctx.fact / ctx.facts (read-only probes) and returns a Plan. It has no
 *   side effects: `--check` runs only `check`.
 * - `apply` carries out that plan. When a module has no `apply`, the engine runs plan.commands in order.
 *   `apply` never re-reads state to decide again.
 * - After `apply`, `check` on the new host state returns { changed: false } (asserted by the e2e ladder),
 *   unless capabilities.idempotent is false.
 */
import type { Duplex, Readable } from "node:stream";
import type { JinjaOptions } from "./template/header.js";
import type { Command } from "./command.js";
import type { FileDiff } from "./diff-types.js";
import type { FactDefinition, FactRequest } from "./facts.js";

/** A JSON schema for ajv (draft-07 keywords, a `description` on every property). */
export type JsonSchema = Record<string, unknown>;

export interface NoChange {
  changed: false;
  /** Why nothing needs doing, present tense: "package nginx is installed". */
  reason: string;
  /** Fields of the registered result known from the facts (e.g. stat results, backup path). */
  output?: Record<string, unknown>;
  /** Shown with the result: an ok result with one is never a plain green tick. */
  warnings?: readonly string[];
}

/** The outcome of a check in check mode cannot be known without running it (command without a guard). */
export interface UnknownPlan {
  changed: "unknown";
  reason: string;
}

/** What the host would look like after apply; check mode feeds it to later tasks' facts. */
export interface Prediction<T = unknown, A = unknown> {
  fact: FactDefinition<T, A>;
  args: A;
  value: T;
}

export interface ChangePlan {
  changed: true;
  /** One line, imperative: "install nginx", "restart rems.service". */
  summary: string;
  /**
   * The summary when it names no value, only facts about one ("set mode 0644 on /opt/rems/.env", "write
   * /opt/rems/.env"): shown in place of no_log's message, so a no_log task still says what changed.
   */
  metadataSummary?: string;
  /** What the default apply runs, in order; shown with -v. */
  commands: readonly Command[];
  diffs?: readonly FileDiff[];
  warnings?: readonly string[];
  predicts?: readonly Prediction[];
  output?: Record<string, unknown>;
  /** Module-private data handed from check to apply (e.g. rendered content). */
  data?: unknown;
}

export type Plan = NoChange | UnknownPlan | ChangePlan;

export interface ApplyResult {
  changed: boolean;
  /** Fields exposed to `register:` (rc, stdout, path, checksum ...). */
  output?: Record<string, unknown>;
}

export interface RunOptions {
  /** Exit codes that count as success; default [0]. */
  okCodes?: readonly number[];
  /** Bytes for the command's stdin, or a stream piped to it as the host reads (a big file, read from disk as it goes). */
  stdin?: string | Buffer | Readable;
  timeoutMs?: number;
  /** Working directory on the host. */
  cwd?: string;
  /** Environment variables for this command (values may be secrets: they are not displayed). */
  env?: Readonly<Record<string, string>>;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ModuleContext {
  /** Inventory name of the host. */
  readonly host: string;
  /** The host user the task's commands run as: its become user, else the login user (psql's peer authentication). */
  readonly user: string;
  /** The task's variables (host, play, role, task, registered), for modules that render templates. */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly checkMode: boolean;
  readonly diffMode: boolean;
  /**
   * In a --check run: an earlier task on this host planned a change it did not make, so what the host lacks now
   * (a unit, a file) may be what that task would bring. False in a real run, and before any change was planned.
   */
  readonly changesPlanned: boolean;
  /** Reads a fact, cached per host for the run. */
  fact<T, A>(fact: FactDefinition<T, A>, args: A): Promise<T>;
  /** Reads several facts in one round trip; results in request order. */
  facts(requests: readonly FactRequest[]): Promise<unknown[]>;
  /** Runs a command on the host (with the task's become and environment). Throws CommandFailedError on an exit code not in okCodes. */
  run(command: Command, options?: RunOptions): Promise<CommandResult>;
  /**
   * Opens a TCP stream to `address:port` from the host (connection.openTcp: no process on the host). Throws
   * TunnelError, with `prohibited` when the host allows no forwarding, so the module can do the work on the host.
   */
  openTcp(address: string, port: number): Promise<Duplex>;
  /**
   * Finds a controller-side file the way Ansible does: the role's files/ or templates/ directory, then the
   * playbook's, then the path as given relative to the playbook. Returns an absolute path; throws ModuleError.
   */
  findFile(path: string, kind: "files" | "templates"): string;
  /**
   * A controller-side file's content (copy's src), decrypted when it is vault-encrypted, as Ansible's copy does;
   * the task's diffs then show no content. Throws ModuleError, or VaultError when it cannot be decrypted.
   */
  readSource(absolutePath: string): Buffer;
  /** Renders a controller-side template file (decrypted like readSource) with the task's variables and these Jinja options. */
  renderFile(absolutePath: string, options?: JinjaOptions): string;
  /** Registers a value that must be masked in every output. */
  addSecret(value: string): void;
  warn(message: string): void;
  readonly signal: AbortSignal;
}

export interface ModuleCapabilities {
  /** Produces diffs in --diff mode. */
  diff: boolean;
  /** After apply, check reports no change. False for e.g. `restarted`. */
  idempotent: boolean;
}

export interface ModuleDefinition<Args = Record<string, unknown>> {
  /** snake_case; equals the file name and the YAML key. */
  name: string;
  /** One line, imperative: "Manage apt packages". */
  description: string;
  /** ajv schema of the arguments: additionalProperties false, a description on every property. */
  schema: JsonSchema;
  /** YAML task snippets; each must pass the schema (checked by test/unit/meta). */
  examples: readonly string[];
  capabilities: ModuleCapabilities;
  /** Argument that receives Ansible's free-form text (`command: ls -l` → { cmd: "ls -l" }). */
  freeForm?: string;
  /**
   * Ansible's other names of arguments, alias → argument (`dest: path`). The loader renames them before
   * validation (engine/load/arg-aliases.ts), so check and apply only ever see the argument's own name.
   */
  aliases?: Readonly<Record<string, string>>;
  /**
   * The argument that names a controller-side file, if the arguments (as written, maybe templated) name one: the
   * load finds the file, and compiles it when it is a template, before any host is contacted (a path with {{ }}
   * waits for the run).
   */
  controllerFile?(args: Readonly<Record<string, unknown>>): { arg: string; kind: "files" | "templates" } | undefined;
  check(ctx: ModuleContext, args: Args): Promise<Plan>;
  apply?(ctx: ModuleContext, args: Args, plan: ChangePlan): Promise<ApplyResult>;
}

/** Keeps the Args type while storing modules in one registry. */
export function defineModule<Args>(module: ModuleDefinition<Args>): ModuleDefinition<Args> {
  return module;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds modules of every Args type
export type AnyModule = ModuleDefinition<any>;
