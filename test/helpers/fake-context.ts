/**
 * A ModuleContext for unit tests (pyinfra's fixture-fed host): facts come from fixtures keyed by fact name and
 * JSON arguments, every ctx.run() is recorded, and during check only registered read-only probes may run, so a
 * check() with a side effect fails its test.
 */
import { spawn } from "node:child_process";
import { Duplex, Readable } from "node:stream";
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { Command } from "../../engine/command.js";
import { LocalConnection } from "../../engine/connection/local.js";
import { CommandFailedError, ModuleError, TunnelError } from "../../engine/errors.js";
import type { FactDefinition, FactRequest } from "../../engine/facts.js";
import type { CommandResult, ModuleContext, RunOptions } from "../../engine/module-api.js";

/** Fact values by fact name, then by the JSON text of the fact's arguments (`{"file_stat": {"{\"path\":\"/x\"}": {...}}}`). */
export type FactFixtures = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Scripted command results by display text. */
export type CommandFixtures = Readonly<Record<string, Partial<CommandResult>>>;

/**
 * What the host's TCP streams to one "address:port" do (ctx.openTcp): answer with the next raw response of
 * `responses` (one per stream opened), or fail as sshd reports it (`error`), or be refused because the host
 * allows no forwarding (`prohibited`).
 */
export interface TunnelFixture {
  responses?: string[];
  error?: string;
  prohibited?: boolean;
}
export type TunnelFixtures = Readonly<Record<string, TunnelFixture>>;

export interface FakeContextOptions {
  facts?: FactFixtures;
  /** Read-only commands check() may run (display text → result), e.g. uri's GET request. */
  probes?: CommandFixtures;
  /** TCP streams the host may open, by "address:port" (uri's requests). */
  tunnels?: TunnelFixtures;
  /** Results of commands run by apply (display text → result); unlisted commands succeed with empty output. */
  results?: CommandFixtures;
  checkMode?: boolean;
  diffMode?: boolean;
  /** ModuleContext.changesPlanned; default false. */
  changesPlanned?: boolean;
  vars?: Record<string, unknown>;
  host?: string;
  /** The host user the task's commands run as (ModuleContext.user); default root. */
  user?: string;
  /** Directory that findFile() searches (`<dir>/<kind>/<path>`, then `<dir>/<path>`), like a role directory. */
  filesDir?: string;
}

export interface RecordedRun {
  phase: "check" | "apply";
  command: string;
  /** What the command got on stdin; a stream sent to a real shell (LocalShellContext) is not kept. */
  stdin: string | Buffer | undefined;
  options: RunOptions | undefined;
}

/** Canonical JSON (sorted object keys), so fixture keys need not repeat the module's property order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function indexFacts(facts: FactFixtures): Map<string, unknown> {
  const index = new Map<string, unknown>();
  for (const [name, byArgs] of Object.entries(facts)) {
    for (const [argsJson, value] of Object.entries(byArgs)) {
      index.set(`${name} ${canonicalJson(JSON.parse(argsJson))}`, value);
    }
  }
  return index;
}

export class FakeContext implements ModuleContext {
  readonly host: string;
  readonly user: string;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly checkMode: boolean;
  readonly diffMode: boolean;
  readonly changesPlanned: boolean;
  readonly signal = new AbortController().signal;
  /** Every ctx.run(), in order. */
  readonly runs: RecordedRun[] = [];
  /** The first line of every request sent over a stream the host opened ("GET /health HTTP/1.1"), in order. */
  readonly requests: string[] = [];
  /** Every fact read, as "<name> <json args>". */
  readonly factReads: string[] = [];
  readonly warnings: string[] = [];
  readonly secrets: string[] = [];
  /** "check" while the module plans; tests switch it to "apply" before calling apply(). */
  phase: "check" | "apply" = "check";
  private factData: Map<string, unknown>;
  private readonly options: FakeContextOptions;

  constructor(options: FakeContextOptions = {}) {
    this.options = options;
    this.host = options.host ?? "web1";
    this.user = options.user ?? "root";
    this.vars = options.vars ?? {};
    this.checkMode = options.checkMode ?? false;
    this.diffMode = options.diffMode ?? false;
    this.changesPlanned = options.changesPlanned ?? false;
    this.factData = indexFacts(options.facts ?? {});
  }

  /** Replaces the fact data (the host after apply) and goes back to the check phase. */
  resetFacts(facts: FactFixtures): void {
    this.factData = indexFacts(facts);
    this.phase = "check";
  }

  fact<T, A>(fact: FactDefinition<T, A>, args: A): Promise<T> {
    // Building the probe proves the fact accepts these arguments.
    fact.command(args);
    const key = `${fact.name} ${canonicalJson(args)}`;
    this.factReads.push(key);
    if (!this.factData.has(key)) return Promise.reject(new Error(`Missing test fact data: ${key}`));
    return Promise.resolve(this.factData.get(key) as T);
  }

  async facts(requests: readonly FactRequest[]): Promise<unknown[]> {
    const values: unknown[] = [];
    for (const r of requests) values.push(await this.fact(r.fact, r.args));
    return values;
  }

  async run(command: Command, options?: RunOptions): Promise<CommandResult> {
    // A stream (a file sent from disk) is recorded as the bytes the host would have read.
    const stdin = options?.stdin instanceof Readable ? Buffer.concat(await options.stdin.toArray()) : options?.stdin;
    this.runs.push({ phase: this.phase, command: command.display, stdin, options });
    const scripted = this.phase === "check" ? this.options.probes?.[command.display] : this.options.results?.[command.display];
    if (this.phase === "check" && scripted === undefined) {
      throw new Error(`check() ran a command that is not a registered read-only probe: ${command.display}`);
    }
    const result: CommandResult = { code: scripted?.code ?? 0, stdout: scripted?.stdout ?? "", stderr: scripted?.stderr ?? "" };
    const ok = options?.okCodes ?? [0];
    if (!ok.includes(result.code)) throw new CommandFailedError(command.display, result.code, result.stdout, result.stderr, { host: this.host });
    return result;
  }

  openTcp(address: string, port: number): Promise<Duplex> {
    const target = `${address}:${port}`;
    const tunnel = this.options.tunnels?.[target];
    if (tunnel === undefined) return Promise.reject(new Error(`the module opened a TCP stream that is not in the test's tunnels: ${target}`));
    if (tunnel.prohibited === true) return Promise.reject(new TunnelError({ address, port }, "administratively prohibited: open failed", true));
    if (tunnel.error !== undefined) return Promise.reject(new TunnelError({ address, port }, tunnel.error, false));
    const response = tunnel.responses?.shift();
    if (response === undefined) return Promise.reject(new Error(`the test's tunnel ${target} has no response left`));
    let answered = false;
    const stream: Duplex = new Duplex({
      read: () => undefined,
      write: (chunk: Buffer, _encoding, done) => {
        // The request line and headers come in one write: answer once, then end like a server closing.
        if (!answered) {
          answered = true;
          this.requests.push(chunk.toString("utf8").split("\r\n")[0] ?? "");
          stream.push(response);
          stream.push(null);
        }
        done();
      },
    });
    return Promise.resolve(stream);
  }

  findFile(path: string, kind: "files" | "templates"): string {
    const dir = this.options.filesDir;
    const candidates = isAbsolute(path) ? [path] : dir === undefined ? [] : [join(dir, kind, path), join(dir, path)];
    const found = candidates.find((c) => existsSync(c));
    if (found === undefined) throw new ModuleError(`could not find '${path}' in ${kind}/ or relative to the playbook`);
    return found;
  }

  /** Fixture sources are never vault-encrypted: decryption is the engine's job and is tested there. */
  readSource(absolutePath: string): Buffer {
    return readFileSync(absolutePath);
  }

  /** Fixture templates are stored already rendered: rendering is the engine's job and is tested there. */
  renderFile(absolutePath: string): string {
    return readFileSync(absolutePath, "utf8");
  }

  addSecret(value: string): void {
    this.secrets.push(value);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Display text of the commands run in a phase. */
  commands(phase: "check" | "apply"): string[] {
    return this.runs.filter((r) => r.phase === phase).map((r) => r.command);
  }
}

/**
 * A ModuleContext on this machine: facts are probed, commands run with /bin/sh and TCP streams opened, as the
 * engine's local connection will. Lets unit tests run a module's real commands against a temp directory.
 */
export class LocalShellContext extends FakeContext {
  override openTcp(address: string, port: number): Promise<Duplex> {
    return new LocalConnection({ hostName: this.host }).openTcp(address, port);
  }

  override async fact<T, A>(fact: FactDefinition<T, A>, args: A): Promise<T> {
    const { code, stdout } = await shell(fact.command(args).text, {});
    return fact.parse({ code, stdout }, args);
  }

  override async run(command: Command, options?: RunOptions): Promise<CommandResult> {
    this.runs.push({ phase: this.phase, command: command.display, stdin: options?.stdin instanceof Readable ? undefined : options?.stdin, options });
    const result = await shell(command.text, options ?? {});
    if (!(options?.okCodes ?? [0]).includes(result.code)) {
      throw new CommandFailedError(command.display, result.code, result.stdout, result.stderr, { host: this.host });
    }
    return result;
  }
}

function shell(text: string, options: RunOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", text], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    // The command may exit without reading its stdin.
    child.stdin.on("error", () => undefined);
    if (options.stdin instanceof Readable) options.stdin.pipe(child.stdin);
    else child.stdin.end(options.stdin ?? "");
    child.on("close", (code) => {
      resolve({ code: code ?? 255, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}
