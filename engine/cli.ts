#!/usr/bin/env -S node --max-semi-space-size=4
/**
 * Run as the bin (`rems-play`: dist/bin/rems-play.js, this file bundled by scripts/bundle.ts), node gets
 * --max-semi-space-size=4 from the first line: a run makes much short-lived garbage, and V8's default young
 * generation grew the controller's RSS by ~50 MB at 8 hosts (149 MB, 100 MB capped) for no gain in time. A flag set
 * later (v8.setFlagsFromString) does not resize the heap.
 *
 * The command line, with `rems-play vault`: the only place that prints or exits. Parses options, picks a
 * reporter, runs, and maps errors to exit codes (engine/exit-codes.ts). The engine, the modules and the reporters
 * are imported only on the paths that use them: loading them costs more than `--version` or `--help` itself.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HELP, parseCli, readExtraVars, type CliOptions } from "./cli-args.js";
import { InputErrors, InterruptedError, RemsError, UsageError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import { packageRoot } from "./package-root.js";

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "vault") return vault(argv.slice(1));
  let options: CliOptions;
  try {
    options = parseCli(argv, process.env);
  } catch (error) {
    return reportError(error);
  }
  if (options.help) {
    process.stdout.write(HELP + "\n");
    return ExitCode.ok;
  }
  if (options.version) {
    const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };
    process.stdout.write(`rems-play ${pkg.version}\n`);
    return ExitCode.ok;
  }
  try {
    const [{ registry }, { checkHostInputs, loadAll, run }] = await Promise.all([import("../modules/index.js"), import("./execute/run.js")]);
    const listing = options.syntaxCheck || options.listHosts || options.listTasks || options.listTags;
    const vaultSecrets = await (await import("./vault/secrets.js")).loadVaultSecrets(options.vaultSources, askSecret);
    // Asked before the load, so the run's elapsed time (counted from the load) leaves out the typing.
    const becomePassword = !listing && options.askBecomePass ? await askSecret("BECOME password: ") : undefined;
    // The input is loaded before any signal handler is installed: loading is synchronous, so a handler would wait
    // for it to finish, while a signal's default action ends the process at once. Nothing was contacted yet.
    const started = Date.now();
    const [{ SecretRegistry }, { Vault }] = await Promise.all([import("./mask.js"), import("./vault/vault.js")]);
    // The run's one secret registry: the vault adds every value it decrypts, the run the rest.
    const vault = new Vault(vaultSecrets, new SecretRegistry());
    const extraVars = readExtraVars(options.extraVarTexts, vault);
    const loaded = loadAll({ ...options, registry }, vault, started);
    if (listing) {
      if (options.syntaxCheck) {
        // The roles' argument_specs and the hosts' connection variables too: what a run would refuse before any host.
        checkHostInputs(loaded, { ...options, extraVars, becomePassword: undefined, hostKeyPolicy: options.hostKeyChecking });
        process.stdout.write(`playbook: ${options.playbooks.join(", ")}: syntax OK\n`);
      }
      else process.stdout.write((await import("./list.js")).listPlays(loaded, options));
      return ExitCode.ok;
    }
    const { combineReporters, createReporter } = await import("./reporters/create-reporter.js");
    const screen = await createReporter(options.json ? "json" : process.stdout.isTTY ? "tty" : "plain", {
      verbosity: options.verbosity,
      diff: options.diff,
      out: process.stdout,
      err: process.stderr,
    });
    const reporter = options.report === undefined ? screen : combineReporters([screen, (await import("./reporters/report.js")).createReportReporter(options.report)]);
    const controller = new AbortController();
    let interrupts = 0;
    const onSignal = (): void => {
      interrupts++;
      controller.abort();
      if (interrupts > 1) process.exit(ExitCode.interrupted);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      return await run(
        {
          ...options,
          extraVars,
          becomePassword,
          hostKeyPolicy: options.hostKeyChecking,
          registry,
        },
        loaded,
        (event) => reporter.onEvent(event),
        controller.signal,
      );
    } finally {
      await reporter.close();
    }
  } catch (error) {
    return reportError(error);
  }
}

/** `rems-play vault ACTION ...` (engine/vault/commands.ts). */
async function vault(argv: readonly string[]): Promise<number> {
  try {
    const { parseVaultCli, VAULT_HELP } = await import("./vault/command-args.js");
    const command = parseVaultCli(argv, process.env);
    if (!command) {
      process.stdout.write(VAULT_HELP + "\n");
      return ExitCode.ok;
    }
    const { runVaultCommand } = await import("./vault/commands.js");
    const output = await runVaultCommand(command, { ask: askSecret, readStdin, editor: process.env.EDITOR || "vi" });
    for (const chunk of output.stdout) process.stdout.write(chunk);
    for (const line of output.stderr) process.stderr.write(line + "\n");
    return ExitCode.ok;
  } catch (error) {
    return reportError(error);
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function askSecret(question: string): Promise<string> {
  return (await import("./prompt.js")).promptSecret(question);
}

function reportError(error: unknown): number {
  if (error instanceof InterruptedError) {
    process.stderr.write(`${error.message}\n`);
    return ExitCode.interrupted;
  }
  if (error instanceof InputErrors || error instanceof UsageError || (error instanceof RemsError && error.loc)) {
    const errors = error instanceof InputErrors ? error.errors : [error];
    for (const e of errors) process.stderr.write(`ERROR: ${e.describe()}\n`);
    return ExitCode.invalidInput;
  }
  if (error instanceof InterruptedError) {
    process.stderr.write(`ERROR [${error.code}]: ${error.describe()}\n`);
    return ExitCode.interrupted;
  }
  if (error instanceof RemsError) {
    process.stderr.write(`ERROR [${error.code}]: ${error.describe()}\n`);
    return ExitCode.invalidInput;
  }
  process.stderr.write(`internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.internal;
}

process.exitCode = await main(process.argv.slice(2));
