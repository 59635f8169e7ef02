/**
 * `rems-play vault ACTION ...`: ansible-vault's actions and options (pure, unit-tested). The password options are
 * the playbook command's (engine/vault/secrets.ts); with none, the password is asked for, as ansible-vault does.
 */
import { parseOptions } from "../cli-args.js";
import { UsageError } from "../errors.js";
import { passwordSources, VAULT_PASSWORD_OPTIONS, vaultSources, type VaultSource } from "./secrets.js";

export const VAULT_ACTIONS = ["create", "decrypt", "edit", "view", "encrypt", "encrypt_string", "rekey"] as const;
export type VaultAction = (typeof VAULT_ACTIONS)[number];

export interface VaultCommand {
  action: VaultAction;
  /** Files (or, for encrypt_string, the strings to encrypt); `-` is standard input. */
  args: string[];
  /** Where the passwords that open (and, for create/encrypt/encrypt_string, encrypt) come from. */
  sources: VaultSource[];
  /** --encrypt-vault-id: which password encrypts when several are given. */
  encryptVaultId: string | undefined;
  /** --output FILE (`-` is standard output) for encrypt, decrypt and encrypt_string. */
  output: string | undefined;
  /** encrypt_string: -n/--name for each string in order, --stdin-name for standard input. */
  names: string[];
  stdinName: string | undefined;
  /** rekey: where the new password comes from. */
  newSources: VaultSource[];
}

export const VAULT_HELP = `Usage: rems-play vault ACTION [options] [FILE|STRING...]

Encrypt and decrypt files and values as ansible-vault does (format 1.1, or 1.2 with a vault id).

Actions:
  create FILE           edit a new encrypted file in $EDITOR
  edit FILE...          edit an encrypted file in $EDITOR; written back only when changed
  view FILE...          print the decrypted content
  encrypt [FILE...]     encrypt files in place (no FILE or -: standard input to standard output)
  decrypt [FILE...]     decrypt files in place (no FILE or -: standard input to standard output)
  encrypt_string [STRING...]  print each string as an inline !vault value to paste in YAML
                        (no STRING or -: standard input)
  rekey FILE...         encrypt files again with a new password

Options:
      --vault-id LABEL@SOURCE  a vault password: a file, an executable file (its output) or
                            prompt (repeatable)
      --vault-password-file FILE  the vault password in FILE; ANSIBLE_VAULT_PASSWORD_FILE too
                            (also spelt --vault-pass-file)
  -J, --ask-vault-pass      ask for the vault password (the default when no password is given;
                            also spelt --ask-vault-password)
      --encrypt-vault-id ID  the password that encrypts, when several are given
      --output FILE         encrypt, decrypt, encrypt_string: write to FILE (- for standard output)
  -n, --name NAME           encrypt_string: the variable name of each string, in order
      --stdin-name NAME     encrypt_string: the variable name of the string read from standard input
      --new-vault-password-file FILE  rekey: the new password in FILE
      --new-vault-id LABEL@SOURCE     rekey: the new password and its vault id
  -h, --help                print this help`;

/** Options each action takes besides the password options. */
const ACTION_OPTIONS: Record<VaultAction, readonly string[]> = {
  create: ["encrypt-vault-id"],
  edit: [],
  view: [],
  encrypt: ["encrypt-vault-id", "output"],
  decrypt: ["output"],
  encrypt_string: ["encrypt-vault-id", "output", "name", "stdin-name"],
  rekey: ["encrypt-vault-id", "new-vault-password-file", "new-vault-id"],
};

/** `argv` starts after `vault`. Returns undefined for --help. */
export function parseVaultCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): VaultCommand | undefined {
  const parsed = parseOptions(
    argv,
    {
      ...VAULT_PASSWORD_OPTIONS,
      "encrypt-vault-id": { type: "string" },
      output: { type: "string" },
      name: { type: "string", short: "n", multiple: true },
      "stdin-name": { type: "string" },
      "new-vault-password-file": { type: "string" },
      "new-vault-id": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    "rems-play vault --help",
  );
  const v = parsed.values;
  if (v.help === true) return undefined;
  const [action, ...args] = parsed.positionals;
  if (!VAULT_ACTIONS.some((a) => a === action)) throw new UsageError(`rems-play vault: expected an action (${VAULT_ACTIONS.join(", ")}), got '${action ?? ""}'`);
  const command = action as VaultAction;
  const passwordOptions = [...Object.keys(VAULT_PASSWORD_OPTIONS), "help"];
  for (const name of Object.keys(v)) {
    if (!passwordOptions.includes(name) && !ACTION_OPTIONS[command].includes(name)) throw new UsageError(`rems-play vault ${command} does not take --${name}`);
  }
  const needsFiles = command === "create" || command === "edit" || command === "view" || command === "rekey";
  if (needsFiles && args.length === 0) throw new UsageError(`rems-play vault ${command} needs a file`);
  if (command === "create" && args.length > 1) throw new UsageError("rems-play vault create takes one file");
  if (v.output !== undefined && args.length > 1) throw new UsageError("--output takes at most one input file");
  if (v["new-vault-password-file"] !== undefined && v["new-vault-id"] !== undefined) throw new UsageError("give --new-vault-password-file or --new-vault-id, not both");
  const sources = passwordSources(v, env);
  const newFile = v["new-vault-password-file"];
  const newId = v["new-vault-id"];
  return {
    action: command,
    args,
    // As ansible-vault: no password given means asking for one.
    sources: sources.length > 0 ? sources : vaultSources({ ids: [], files: [], envFile: undefined, ask: true }),
    encryptVaultId: v["encrypt-vault-id"],
    output: v.output,
    names: v.name ?? [],
    stdinName: v["stdin-name"],
    newSources: vaultSources({ ids: newId === undefined ? [] : [newId], files: newFile === undefined ? [] : [newFile], envFile: undefined, ask: newId === undefined && newFile === undefined }),
  };
}
