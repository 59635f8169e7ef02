/**
 * Where vault passwords come from, with Ansible's options and order: each `--vault-id label@source`, then each
 * `--vault-password-file`, then ANSIBLE_VAULT_PASSWORD_FILE, then `-J` (--ask-vault-pass). A source is `prompt`
 * (asked on the terminal) or a file: an executable file is run and its output is the password (a script named
 * `*-client` is given `--vault-id <label>`), any other file holds the password.
 */
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, extname } from "node:path";
import { UsageError, VaultError } from "../errors.js";
import { DEFAULT_VAULT_ID } from "./format.js";

/** A vault password and its vault id ("default" when given without a label). */
export interface VaultSecret {
  id: string;
  password: Buffer;
}

/** One place a password comes from: the terminal (`--vault-id label@prompt` or `-J`), or a file. */
export type VaultSource = { id: string; ask: "labelled" | "plain" } | { id: string; file: string };

export interface VaultOptions {
  /** `--vault-id` values: `label@source` or `source`. */
  ids: readonly string[];
  /** `--vault-password-file` values. */
  files: readonly string[];
  /** ANSIBLE_VAULT_PASSWORD_FILE. */
  envFile: string | undefined;
  /** `-J` / `--ask-vault-pass`. */
  ask: boolean;
}

/** The vault password options, the same for playbooks and `rems-play vault` (node:util parseArgs form). */
export const VAULT_PASSWORD_OPTIONS = {
  "vault-id": { type: "string", multiple: true },
  "vault-password-file": { type: "string", multiple: true },
  // Ansible's other spellings of the same two options.
  "vault-pass-file": { type: "string", multiple: true },
  "ask-vault-pass": { type: "boolean", short: "J" },
  "ask-vault-password": { type: "boolean" },
} as const;

type PasswordValues = { [K in keyof typeof VAULT_PASSWORD_OPTIONS]?: (typeof VAULT_PASSWORD_OPTIONS)[K]["type"] extends "boolean" ? boolean | undefined : string[] | undefined };

/** The sources that parsed VAULT_PASSWORD_OPTIONS name, with ANSIBLE_VAULT_PASSWORD_FILE from `env`. */
export function passwordSources(
  values: PasswordValues,
  env: Readonly<Record<string, string | undefined>>,
): VaultSource[] {
  const ask = (values["ask-vault-pass"] ?? false) || (values["ask-vault-password"] ?? false);
  const files = [...(values["vault-password-file"] ?? []), ...(values["vault-pass-file"] ?? [])];
  // As in Ansible: asking and naming a file are two answers to the same question.
  if (ask && files.length > 0) throw new UsageError("-J/--ask-vault-pass and --vault-password-file cannot be used together");
  return vaultSources({ ids: values["vault-id"] ?? [], files, envFile: env.ANSIBLE_VAULT_PASSWORD_FILE || undefined, ask });
}

/** The password sources of the options, in the order their passwords are tried. */
export function vaultSources(options: VaultOptions): VaultSource[] {
  const sources: VaultSource[] = options.ids.map((slug) => {
    if (slug.includes(";")) throw new UsageError(`--vault-id '${slug}': the character ';' is not allowed in vault ids`);
    const at = slug.indexOf("@");
    const id = at < 0 ? DEFAULT_VAULT_ID : slug.slice(0, at);
    const source = slug.slice(at + 1);
    if (id === "" || source === "") throw new UsageError(`--vault-id '${slug}': expected label@source or source (a file, or prompt)`);
    if (source === "prompt") return { id, ask: "labelled" };
    return { id, file: source };
  });
  for (const file of [...options.files, ...(options.envFile ? [options.envFile] : [])]) sources.push({ id: DEFAULT_VAULT_ID, file });
  if (options.ask) sources.push({ id: DEFAULT_VAULT_ID, ask: "plain" });
  return sources;
}

/** Asks a question on the terminal without echoing the answer (engine/prompt.ts). */
export type AskSecret = (question: string) => Promise<string>;

/**
 * Reads every password. `newPassword`: the passwords will encrypt (vault create, encrypt, rekey's new one), so a
 * prompt asks twice, as ansible-vault does.
 */
export async function loadVaultSecrets(sources: readonly VaultSource[], ask: AskSecret, newPassword = false): Promise<VaultSecret[]> {
  const secrets: VaultSecret[] = [];
  for (const source of sources) {
    const password = "file" in source ? await readPasswordFile(expandHome(source.file), source.id) : await askPassword(source, ask, newPassword);
    secrets.push({ id: source.id, password });
  }
  return secrets;
}

async function askPassword(source: { id: string; ask: "labelled" | "plain" }, ask: AskSecret, newPassword: boolean): Promise<Buffer> {
  const labelled = source.ask === "labelled";
  const question = newPassword ? (labelled ? `New vault password (${source.id}): ` : "New Vault password: ") : labelled ? `Vault password (${source.id}): ` : "Vault password: ";
  const answer = await ask(question);
  if (answer === "") throw new VaultError("REMS_VAULT_PASSWORD", `the vault password for vault id '${source.id}' is empty`);
  if (newPassword) {
    const again = await ask(labelled ? `Confirm new vault password (${source.id}): ` : "Confirm New Vault password: ");
    if (again !== answer) throw new VaultError("REMS_VAULT_PASSWORD", `the two vault passwords for vault id '${source.id}' differ`);
  }
  return Buffer.from(answer, "utf8");
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
}

async function readPasswordFile(file: string, id: string): Promise<Buffer> {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new VaultError("REMS_VAULT_PASSWORD", `the vault password file ${file} was not found`);
  // Ansible's rule: any execute bit makes it a script.
  const password = (stat.mode & 0o111) !== 0 ? trimNewlines(await runScript(file, id)) : readPassword(file);
  if (password.length === 0) throw new VaultError("REMS_VAULT_PASSWORD", `the vault password from ${file} is empty`);
  return password;
}

/** A password file's content without surrounding whitespace (Python's strip(), as Ansible reads it). */
function readPassword(file: string): Buffer {
  try {
    return Buffer.from(readFileSync(file, "utf8").trim(), "utf8");
  } catch (error) {
    throw new VaultError("REMS_VAULT_PASSWORD", `cannot read the vault password file ${file}: ${(error as Error).message}`, {}, { cause: error });
  }
}

/** A script's output without leading and trailing CR and LF (Ansible strips only those). */
function trimNewlines(output: Buffer): Buffer {
  let start = 0;
  let end = output.length;
  const newline = (byte: number | undefined): boolean => byte === 0x0a || byte === 0x0d;
  while (start < end && newline(output[start])) start++;
  while (end > start && newline(output[end - 1])) end--;
  return output.subarray(start, end);
}

/** Runs a password script; stdin and stderr stay the terminal's, so the script may ask the user itself. */
function runScript(file: string, id: string): Promise<Buffer> {
  const client = basename(file, extname(file)).endsWith("-client");
  return new Promise((resolve, reject) => {
    const child = spawn(file, client ? ["--vault-id", id] : [], { stdio: ["inherit", "pipe", "inherit"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", (error) => {
      reject(new VaultError("REMS_VAULT_PASSWORD", `cannot run the vault password script ${file}: ${error.message}`, {}, { cause: error }));
    });
    child.on("close", (code, signal) => {
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new VaultError("REMS_VAULT_PASSWORD", `the vault password script ${file} failed (${signal ?? `exit code ${code ?? "?"}`})`));
    });
  });
}
