/**
 * An OpenSSH key pair on the host as community.crypto's openssh_keypair reads it with ssh-keygen: whether the key's
 * directory is there, `ssh-keygen -l -f KEY` (size, fingerprint, type), `ssh-keygen -P '' -y -f KEY` (the public key
 * the private key holds, or why it cannot be read without a passphrase) and the KEY.pub file. The outputs travel in
 * base64, each on its line, since ssh-keygen's messages run over several lines.
 */
import { raw, sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface OpensshKeyArgs {
  path: string;
}

/** A command's exit code and its output. */
export interface KeygenOutput {
  code: number;
  output: string;
}

export type OpensshKey =
  | { keygen: false }
  | {
      keygen: true;
      /** The key's directory exists. */
      baseDir: boolean;
      private: { kind: "absent" } | { kind: "directory" } | { kind: "file"; list: KeygenOutput; derive: KeygenOutput };
      /** The content of KEY.pub, undefined when there is none. */
      publicKey?: string;
    };

const fromBase64 = (text: string | undefined): string => Buffer.from(text ?? "", "base64").toString("utf8");

function keygenOutput(line: string | undefined): KeygenOutput {
  const [code, data] = (line ?? "").split(" ");
  return { code: Number(code), output: fromBase64(data) };
}

export function parseOpensshKey(output: ProbeOutput, args: OpensshKeyArgs): OpensshKey {
  const fields = new Map(output.stdout.split("\n").flatMap((line) => (/^\w+=/.test(line) ? [[line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const] : [])));
  const privateKind = fields.get("private");
  if (output.code !== 0 || !fields.has("keygen") || (fields.get("keygen") === "yes" && privateKind === undefined)) {
    throw new FactError(`openssh_key ${args.path}: unexpected output ${JSON.stringify(output.stdout.slice(0, 200))}`);
  }
  if (fields.get("keygen") !== "yes") return { keygen: false };
  const publicKey = fields.get("public");
  return {
    keygen: true,
    baseDir: fields.get("base") === "dir",
    private: privateKind === "file" ? { kind: "file", list: keygenOutput(fields.get("list")), derive: keygenOutput(fields.get("derive")) } : { kind: privateKind === "dir" ? "directory" : "absent" },
    ...(publicKey === undefined || publicKey === "absent" ? {} : { publicKey: fromBase64(publicKey) }),
  };
}

/**
 * The probe of the key at $p. ssh-keygen reads with -P '' (an empty passphrase, never a secret), so a key protected
 * by one fails to load instead of asking for it.
 */
const PROBE = raw(
  [
    `b=\${p%/*}`,
    `if ! command -v ssh-keygen >/dev/null; then echo keygen=no; else echo keygen=yes`,
    `if [ -d "\${b:-/}" ]; then echo base=dir; else echo base=none; fi`,
    `if [ -d "$p" ]; then echo private=dir; elif [ -e "$p" ]; then echo private=file`,
    `o=$(ssh-keygen -l -f "$p" 2>/dev/null); echo "list=$? $(printf '%s' "$o" | base64 -w0)"`,
    `o=$(ssh-keygen -P '' -y -f "$p" 2>&1 </dev/null); echo "derive=$? $(printf '%s' "$o" | base64 -w0)"`,
    `else echo private=absent; fi`,
    `if [ -f "$p.pub" ]; then echo "public=$(base64 -w0 < "$p.pub")"; else echo public=absent; fi; fi`,
  ].join("; "),
);

export const opensshKey = defineFact<OpensshKey, OpensshKeyArgs>({
  name: "openssh_key",
  command: ({ path }) => sh`p=${path}; ${PROBE}`,
  parse: parseOpensshKey,
});
