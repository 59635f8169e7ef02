/**
 * Command-line parsing (pure, unit-tested): Ansible's options with Ansible's meaning.
 */
import { accessSync, constants } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputErrors, UsageError } from "./errors.js";
import { reportFormat } from "./reporters/report-format.js";
import { parseYaml, readYamlFile, type YamlResult } from "./source/yaml.js";
import type { Vars } from "./types.js";
import { passwordSources, VAULT_PASSWORD_OPTIONS, type VaultSource } from "./vault/secrets.js";
import type { Vault } from "./vault/vault.js";

export interface CliOptions {
  playbooks: string[];
  inventories: string[];
  limit: string | undefined;
  tags: string[];
  skipTags: string[];
  check: boolean;
  diff: boolean;
  /** The -e values as given: read by readExtraVars once the vault passwords are known. */
  extraVarTexts: string[];
  forks: number;
  lockWaitSeconds: number;
  user: string | undefined;
  privateKey: string | undefined;
  askBecomePass: boolean;
  verbosity: number;
  listHosts: boolean;
  listTasks: boolean;
  listTags: boolean;
  syntaxCheck: boolean;
  startAtTask: string | undefined;
  json: boolean;
  version: boolean;
  help: boolean;
  /** As given; undefined when not given (the inventory may then say, else strict). */
  hostKeyChecking: "strict" | "accept-new" | "ignore" | undefined;
  detailedExitCode: boolean;
  /** Audit report file (.json, .md or .html). */
  report: string | undefined;
  /** Where the vault passwords come from, in the order they are tried. */
  vaultSources: VaultSource[];
}

export const DEFAULT_FORKS = 10;
/** How long a run waits for another run on the same host to finish (the host lock) before that host fails. */
export const DEFAULT_LOCK_WAIT_S = 600;

export const HELP = `Usage: rems-play PLAYBOOK... -i INVENTORY [options]

Run playbooks against the hosts of an inventory, over one SSH connection per host.

Options:
  -i, --inventory PATH      inventory file or directory, or hosts web1,web2, (repeatable)
  -l, --limit PATTERN       further limit hosts: all, web, a:b, a:&b, a:!b, web*
  -t, --tags TAGS           only run tasks tagged with these (comma-separated, repeatable)
      --skip-tags TAGS      skip tasks tagged with these
  -C, --check               change nothing; report what would change
  -D, --diff                show differences (file contents, before/after)
  -e, --extra-vars VARS     k=v pairs, inline JSON/YAML, or @file, which may be vaulted
                            (repeatable, later wins)
  -f, --forks N             hosts run in parallel (default ${DEFAULT_FORKS})
  -u, --user USER           SSH user when the inventory sets none
      --private-key FILE    SSH private key when the inventory sets none
  -K, --ask-become-pass     ask for the sudo password (not echoed)
      --vault-id LABEL@SOURCE  a vault password: SOURCE is a file, an executable file
                            (its output), or prompt (repeatable; LABEL@ optional)
      --vault-password-file FILE  the vault password in FILE (or FILE's output when it is
                            executable); ANSIBLE_VAULT_PASSWORD_FILE adds one too
                            (also spelt --vault-pass-file)
  -J, --ask-vault-pass      ask for the vault password, not echoed (also --ask-vault-password)
      --host-key-checking MODE  strict (default), accept-new, or ignore
      --lock-wait SECONDS   wait this long for another run on a host to finish (default ${DEFAULT_LOCK_WAIT_S})
  -v, -vv, -vvv             more output: reasons for no-ops, commands, timings
      --list-hosts          list the hosts each play targets, then exit
      --list-tasks          list the tasks of each play, then exit
      --list-tags           list the tags of each play, then exit
      --syntax-check        load and validate everything, then exit
      --start-at-task NAME  start the run at the task with this name
      --json                print one JSON event per line on stdout
      --report FILE         write an audit report: FILE.json, FILE.md or FILE.html
      --detailed-exitcode   exit with what an audit found: 0 no drift, 10 drift found,
                            11 unknown results only, 12 a host failed or was unreachable
      --version             print the version
  -h, --help                print this help

Exit codes: 0 success, 2 a host failed, 3 a host was unreachable, 4 invalid input
(playbook, inventory, options, a vault password that opens nothing), 99 interrupted,
250 internal error.

Vault files: rems-play vault --help`;

/** node:util's parseArgs with positionals; what it refuses is a usage error that points at `help`. */
export function parseOptions<const O extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], options: O, help: string) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)} (see ${help})`);
  }
}

/** `env` is the process environment: ANSIBLE_VAULT_PASSWORD_FILE is read from it. */
export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CliOptions {
  const parsed = parseOptions(
    argv,
    {
      inventory: { type: "string", short: "i", multiple: true },
      limit: { type: "string", short: "l" },
      tags: { type: "string", short: "t", multiple: true },
      "skip-tags": { type: "string", multiple: true },
      check: { type: "boolean", short: "C" },
      diff: { type: "boolean", short: "D" },
      "extra-vars": { type: "string", short: "e", multiple: true },
      forks: { type: "string", short: "f" },
      "lock-wait": { type: "string" },
      user: { type: "string", short: "u" },
      "private-key": { type: "string" },
      "ask-become-pass": { type: "boolean", short: "K" },
      ...VAULT_PASSWORD_OPTIONS,
      "host-key-checking": { type: "string" },
      "detailed-exitcode": { type: "boolean" },
      report: { type: "string" },
      verbose: { type: "boolean", short: "v", multiple: true },
      "list-hosts": { type: "boolean" },
      "list-tasks": { type: "boolean" },
      "list-tags": { type: "boolean" },
      "syntax-check": { type: "boolean" },
      "start-at-task": { type: "string" },
      json: { type: "boolean" },
      version: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "rems-play --help",
  );
  const v = parsed.values;
  const forks = v.forks === undefined ? DEFAULT_FORKS : Number(v.forks);
  if (!Number.isInteger(forks) || forks < 1) throw new UsageError(`--forks must be a whole number of at least 1, got '${v.forks ?? ""}'`);
  const lockWaitSeconds = v["lock-wait"] === undefined ? DEFAULT_LOCK_WAIT_S : Number(v["lock-wait"]);
  if (!Number.isInteger(lockWaitSeconds) || lockWaitSeconds < 0) throw new UsageError(`--lock-wait must be a whole number of seconds, got '${v["lock-wait"] ?? ""}'`);
  const hostKeyChecking = v["host-key-checking"];
  if (hostKeyChecking !== undefined && hostKeyChecking !== "strict" && hostKeyChecking !== "accept-new" && hostKeyChecking !== "ignore") {
    throw new UsageError(`--host-key-checking must be strict, accept-new or ignore, got '${hostKeyChecking}'`);
  }
  const options: CliOptions = {
    playbooks: parsed.positionals,
    inventories: v.inventory ?? [],
    limit: v.limit,
    tags: splitList(v.tags),
    skipTags: splitList(v["skip-tags"]),
    check: v.check ?? false,
    diff: v.diff ?? false,
    extraVarTexts: v["extra-vars"] ?? [],
    forks,
    lockWaitSeconds,
    user: v.user,
    privateKey: v["private-key"],
    askBecomePass: v["ask-become-pass"] ?? false,
    verbosity: v.verbose?.length ?? 0,
    listHosts: v["list-hosts"] ?? false,
    listTasks: v["list-tasks"] ?? false,
    listTags: v["list-tags"] ?? false,
    syntaxCheck: v["syntax-check"] ?? false,
    startAtTask: v["start-at-task"],
    json: v.json ?? false,
    version: v.version ?? false,
    help: v.help ?? false,
    hostKeyChecking,
    detailedExitCode: v["detailed-exitcode"] ?? false,
    report: v.report,
    vaultSources: passwordSources(v, env),
  };
  if (options.report !== undefined) {
    if (reportFormat(options.report) === undefined) throw new UsageError(`--report must name a .json, .md or .html file, got '${options.report}'`);
    // Said before the run, not after it: a report that cannot be written would waste the audit.
    try {
      accessSync(dirname(resolve(options.report)), constants.W_OK);
    } catch {
      throw new UsageError(`--report ${options.report}: the directory does not exist or is not writable`);
    }
  }
  if (!options.help && !options.version) {
    if (options.playbooks.length === 0) throw new UsageError("no playbook given (see rems-play --help)");
    if (options.inventories.length === 0) throw new UsageError("no inventory given: use -i INVENTORY (see rems-play --help)");
  }
  return options;
}

function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(",")).map((tag) => tag.trim()).filter(Boolean);
}

/** The variables of every -e value, later ones winning; vaulted data in them is opened with `vault`. */
export function readExtraVars(texts: readonly string[], vault: Vault): Vars {
  return Object.assign({}, ...texts.map((text, index) => parseExtraVars(text, vault, index + 1))) as Vars;
}

/**
 * The `number`th -e value: @file (YAML/JSON, vault-encrypted or with inline `!vault` values, as Ansible reads it),
 * inline JSON/YAML mapping, or k=v pairs with shell-like quoting. YAML is read by the one YAML loader (its limits,
 * its file:line:col errors); an inline value is named `-e #N` in messages and never quoted in them, since it may
 * hold a secret.
 */
export function parseExtraVars(text: string, vault: Vault, number = 1): Vars {
  if (text.startsWith("@")) return asMapping(yamlData(readYamlFile(text.slice(1), vault)), text);
  const trimmed = text.trim();
  const name = `-e #${number}`;
  if (trimmed.startsWith("{")) return asMapping(yamlData(parseYaml(trimmed, name, vault, { showLines: false })), name);
  const vars: Vars = {};
  for (const pair of splitWords(trimmed, name)) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`${name}: expected key=value, got '${pair}'`);
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return vars;
}

function yamlData(result: YamlResult): unknown {
  if (result.errors.length > 0) throw new InputErrors(result.errors);
  return result.data;
}

function asMapping(value: unknown, name: string): Vars {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new UsageError(`-e ${name}: expected a mapping of variables`);
  return value as Vars;
}

/** Splits on spaces outside single or double quotes, removing the quotes. `name` names the text in messages. */
export function splitWords(text: string, name = "text"): string[] {
  const words: string[] = [];
  let current = "";
  let quote: string | undefined;
  let inWord = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`${name}: unterminated quote`);
  if (inWord) words.push(current);
  return words;
}
