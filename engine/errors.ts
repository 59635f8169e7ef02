/**
 * The typed error tree. Every error rems-play raises on purpose is a RemsError with a stable `code`, and says
 * where it happened: a source location for bad input, a host and task for runtime failures.
 */

export interface SourceLocation {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  col: number;
}

export interface ErrorPlace {
  loc?: SourceLocation | undefined;
  host?: string | undefined;
  task?: string | undefined;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

export abstract class RemsError extends Error {
  abstract readonly code: string;
  readonly loc: SourceLocation | undefined;
  readonly host: string | undefined;
  readonly task: string | undefined;

  constructor(message: string, place: ErrorPlace = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.loc = place.loc;
    this.host = place.host;
    this.task = place.task;
  }

  /** "file:line:col: message" when the error has a location, else the message. */
  describe(): string {
    return this.loc ? `${formatLocation(this.loc)}: ${this.message}` : this.message;
  }
}

/** YAML that does not parse. */
export class PlaybookSyntaxError extends RemsError {
  readonly code = "REMS_YAML_SYNTAX";
}

/** An input file that cannot be read as text: not there, a directory, too large, not UTF-8. */
export class InputFileError extends RemsError {
  readonly code = "REMS_INPUT_FILE";
}

/** Input that parses but does not match a schema (play, task, module arguments, inventory, role variables). */
export class SchemaValidationError extends RemsError {
  readonly code = "REMS_SCHEMA";
}

/** Several input errors found in one pass, reported together. */
export class InputErrors extends RemsError {
  readonly code = "REMS_INPUT";
  constructor(readonly errors: readonly RemsError[]) {
    super(errors.map((e) => e.describe()).join("\n"));
  }
}

/** Inventory problems: unknown group or host pattern, a file that is not an inventory. */
export class InventoryError extends RemsError {
  readonly code = "REMS_INVENTORY";
}

/** A template or expression that fails to render, including an undefined variable. */
export class TemplateError extends RemsError {
  readonly code = "REMS_TEMPLATE";
}

/** Command-line usage errors. */
export class UsageError extends RemsError {
  readonly code = "REMS_USAGE";
}

/** The host could not be reached or refused us (connect, auth, host key). */
export class ConnectionError extends RemsError {
  readonly code = "REMS_CONNECTION";
}

/** A command on a host exited with a code the caller did not accept. */
export class CommandFailedError extends RemsError {
  readonly code = "REMS_COMMAND_FAILED";
  constructor(
    readonly command: string,
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
    place: ErrorPlace = {},
  ) {
    super(`command failed with exit code ${exitCode}${exitMeaning(exitCode)}: ${command}${tail(stderr || stdout)}`, place);
  }
}

/**
 * A TCP stream the host was asked to open (connection.openTcp) could not be opened, for the host's reason `why`.
 * `prohibited`: the host's sshd does not allow forwarding at all (AllowTcpForwarding no), rather than this address
 * failing.
 */
export class TunnelError extends RemsError {
  readonly code = "REMS_TUNNEL";
  constructor(
    target: { address: string; port: number },
    why: string,
    readonly prohibited: boolean,
    place: ErrorPlace = {},
    options?: { cause?: unknown },
  ) {
    super(`cannot connect to ${target.address}:${target.port}: ${why}`, place, options);
  }
}

/** A fact probe whose output could not be parsed. */
export class FactError extends RemsError {
  readonly code = "REMS_FACT";
}

/**
 * A module refused or failed to do its work, with an actionable message. `result` holds the fields the failed task
 * registers besides changed, failed and msg, where Ansible's module returns more (uri: status -1, url, elapsed).
 */
export class ModuleError extends RemsError {
  readonly code = "REMS_MODULE";
  readonly result: Readonly<Record<string, unknown>>;

  constructor(message: string, place: ErrorPlace = {}, options: { cause?: unknown; result?: Record<string, unknown> } = {}) {
    const { result = {}, ...errorOptions } = options;
    super(message, place, errorOptions);
    this.result = result;
  }
}

/** `fail`, `assert` and `failed_when` in a playbook. */
export class TaskFailedError extends RemsError {
  readonly code = "REMS_TASK_FAILED";
}

/** Another run held the host's run lock for longer than this run would wait, or the lock could not be taken. */
export class HostLockError extends RemsError {
  readonly code = "REMS_HOST_LOCK";
}

/**
 * What went wrong with vault-encrypted data or a vault password, one stable code each:
 * - REMS_VAULT_FORMAT: not vault data that ansible-vault could have written (truncated, not hex, unknown cipher);
 * - REMS_VAULT_NO_PASSWORD: vaulted data, and no vault password was given;
 * - REMS_VAULT_DECRYPT: no given password opens it (a wrong password, or the data was changed);
 * - REMS_VAULT_PASSWORD: a password source failed (missing file, failing script, empty password, no terminal).
 */
export type VaultErrorCode = "REMS_VAULT_FORMAT" | "REMS_VAULT_NO_PASSWORD" | "REMS_VAULT_DECRYPT" | "REMS_VAULT_PASSWORD";

/** Vault-encrypted data that cannot be read, or a vault password that cannot be had. `variable` names the value when it is one. */
export class VaultError extends RemsError {
  readonly variable: string | undefined;

  constructor(
    readonly code: VaultErrorCode,
    message: string,
    place: ErrorPlace & { variable?: string | undefined } = {},
    options?: { cause?: unknown },
  ) {
    super(message, place, options);
    this.variable = place.variable;
  }
}

/** The run was interrupted (SIGINT/SIGTERM). */
export class InterruptedError extends RemsError {
  readonly code = "REMS_INTERRUPTED";
}

const EXIT_MEANINGS: Record<number, string> = {
  1: "general error",
  2: "misuse of shell builtin",
  126: "command not executable",
  127: "command not found",
  130: "interrupted",
  137: "killed",
};

function exitMeaning(code: number): string {
  const meaning = EXIT_MEANINGS[code];
  return meaning ? ` (${meaning})` : "";
}

/** The last lines of a command's output, enough to see why it failed. */
function tail(text: string, lines = 8): string {
  const trimmed = text.trimEnd();
  if (!trimmed) return "";
  return "\n" + trimmed.split("\n").slice(-lines).join("\n");
}
