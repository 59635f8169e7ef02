/**
 * The actions of `rems-play vault`, as ansible-vault's: they read and write files, and return what is for standard
 * output and standard error (only engine/cli.ts prints). Files written in place are replaced atomically; a file
 * that is rewritten encrypted (edit, rekey) keeps its mode, a new or decrypted one is 0600, as ansible-vault does.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UsageError, VaultError } from "../errors.js";
import { SecretRegistry } from "../mask.js";
import type { VaultCommand } from "./command-args.js";
import { editText } from "./edit.js";
import { DEFAULT_VAULT_ID, isVaulted } from "./format.js";
import { loadVaultSecrets, type AskSecret, type VaultSecret } from "./secrets.js";
import { Vault } from "./vault.js";

export interface VaultIo {
  ask: AskSecret;
  readStdin: () => Promise<Buffer>;
  /** $EDITOR, or vi. */
  editor: string;
}

export interface VaultOutput {
  stdout: Buffer[];
  /** Lines for standard error. */
  stderr: string[];
}

const STDIO = "-";

export async function runVaultCommand(command: VaultCommand, io: VaultIo): Promise<VaultOutput> {
  const out: VaultOutput = { stdout: [], stderr: [] };
  const encrypting = command.action === "create" || command.action === "encrypt" || command.action === "encrypt_string";
  const secrets = await loadVaultSecrets(command.sources, io.ask, encrypting);
  const vault = new Vault(secrets, new SecretRegistry());
  const read = async (file: string): Promise<Buffer> => (file === STDIO ? io.readStdin() : readInput(file));
  const write = (file: string, data: Buffer | string, mode: number): void => {
    if (file === STDIO) out.stdout.push(Buffer.from(data));
    else writeAtomically(file, data, mode);
  };
  const open = (file: string, text: Buffer) => vault.open(text.toString("utf8"), { loc: { file: file === STDIO ? "<stdin>" : file, line: 1, col: 1 } });

  switch (command.action) {
    case "create": {
      const [file = ""] = command.args;
      if (existsSync(file)) throw new UsageError(`${file} exists: use rems-play vault edit`);
      const secret = encryptingSecret(secrets, command.encryptVaultId);
      const plaintext = editText(Buffer.alloc(0), file, io.editor);
      mkdirSync(dirname(file), { recursive: true });
      write(file, vault.encrypt(plaintext, secret), 0o600);
      break;
    }
    case "edit":
      for (const file of command.args) {
        const opened = open(file, readInput(file));
        const edited = editText(opened.plaintext, file, io.editor);
        // The same password and vault id as before: an edit changes the content, not who can open it.
        if (!edited.equals(opened.plaintext)) write(file, vault.encrypt(edited, opened.secret, opened.vaultId ?? DEFAULT_VAULT_ID), modeOf(file));
      }
      break;
    case "view":
      for (const file of command.args) out.stdout.push(open(file, readInput(file)).plaintext);
      break;
    case "encrypt": {
      const secret = encryptingSecret(secrets, command.encryptVaultId);
      for (const file of command.args.length > 0 ? command.args : [STDIO]) {
        const plaintext = await read(file);
        if (isVaulted(plaintext)) throw new UsageError(`${file === STDIO ? "the input" : file} is already vault-encrypted`);
        write(command.output ?? file, vault.encrypt(plaintext, secret), 0o600);
      }
      break;
    }
    case "decrypt":
      for (const file of command.args.length > 0 ? command.args : [STDIO]) write(command.output ?? file, open(file, await read(file)).plaintext, 0o600);
      break;
    case "encrypt_string": {
      const secret = encryptingSecret(secrets, command.encryptVaultId);
      const blocks = (await stringsToEncrypt(command, io)).map(({ name, text }) => inlineValue(vault.encrypt(Buffer.from(text, "utf8"), secret), name));
      write(command.output ?? STDIO, blocks.join("\n") + "\n", 0o600);
      break;
    }
    case "rekey": {
      const newSecret = encryptingSecret(await loadVaultSecrets(command.newSources, io.ask, true), command.encryptVaultId);
      for (const file of command.args) write(file, vault.encrypt(open(file, readInput(file)).plaintext, newSecret), modeOf(file));
      out.stderr.push("Rekey successful");
      break;
    }
  }
  return out;
}

/** The password that encrypts: the one of --encrypt-vault-id, or the only one given (ansible-vault's rule). */
function encryptingSecret(secrets: readonly VaultSecret[], id: string | undefined): VaultSecret {
  const ids = secrets.map((s) => s.id);
  if (id === undefined) {
    const [only] = secrets;
    if (only === undefined) throw new VaultError("REMS_VAULT_PASSWORD", "a vault password is needed to encrypt");
    if (secrets.length > 1) throw new UsageError(`the vault ids ${ids.join(", ")} can encrypt: choose one with --encrypt-vault-id`);
    return only;
  }
  const found = secrets.find((s) => s.id === id);
  if (!found) throw new UsageError(`--encrypt-vault-id ${id}: no password was given for it (vault ids: ${ids.join(", ")})`);
  return found;
}

/** encrypt_string's inputs as ansible-vault takes them: standard input first (when asked for), then each argument. */
async function stringsToEncrypt(command: VaultCommand, io: VaultIo): Promise<{ name: string | undefined; text: string }[]> {
  const args = command.args.filter((arg) => arg !== STDIO);
  const strings: { name: string | undefined; text: string }[] = [];
  if (args.length < command.args.length || args.length === 0 || command.stdinName !== undefined) {
    const text = (await io.readStdin()).toString("utf8");
    if (text === "") throw new UsageError("standard input was empty: nothing to encrypt");
    strings.push({ name: command.stdinName, text });
  }
  args.forEach((text, index) => {
    if (text === "") throw new UsageError("an empty string cannot be encrypted");
    strings.push({ name: command.names[index], text });
  });
  return strings;
}

/** An inline `!vault |` value as ansible-vault encrypt_string prints it: the envelope indented by 10 spaces. */
export function inlineValue(envelope: string, name: string | undefined): string {
  const lines = envelope.trimEnd().split("\n").map((line) => `          ${line}`);
  return [`${name === undefined ? "" : `${name}: `}!vault |`, ...lines].join("\n");
}

/** A file given on the command line; one that cannot be read is a usage error, not a crash. */
function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, {}, { cause: error });
  }
}

function modeOf(file: string): number {
  return statSync(file).mode & 0o7777;
}

/** Replaces `file` through a temporary file beside it, so a crash leaves the old file or the new one, never half. */
function writeAtomically(file: string, data: Buffer | string, mode: number): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, data, { mode, flag: "wx" });
    chmodSync(temp, mode);
    renameSync(temp, file);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`, {}, { cause: error });
  } finally {
    rmSync(temp, { force: true });
  }
}
