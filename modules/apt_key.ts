/**
 * apt_key: Ansible 2.14's apt_key, apt-key and all. On Debian 12 apt-key is deprecated and adds keys to the legacy
 * /etc/apt/trusted.gpg (apt then warns on every update); Ansible 2.14 still does that, so this does too, and
 * apt-key's own deprecation warning comes with the result. New content should put the key file in
 * /etc/apt/keyrings and name it with `signed-by=` in apt_repository's line instead.
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import type { ModuleContext, Plan } from "../engine/module-api.js";
import { defineModule } from "../engine/module-api.js";
import { aptKeysFact, type AptKeys } from "./facts/apt-keys.js";
import { gpgKeyIdFact, keyMaterial, type KeySource } from "./facts/gpg-key-id.js";

export interface Args {
  id?: string;
  url?: string;
  data?: string;
  file?: string;
  keyring?: string;
  validate_certs?: boolean;
  keyserver?: string;
  state?: "present" | "absent";
}

/** Ansible's parse_key_id: apt-key del's 8 digits, the 16 listed, and the whole id for --recv. */
export function parseKeyId(text: string): { short: string; fingerprint: string; keyId: string } {
  let keyId = text.toUpperCase();
  if (keyId.startsWith("0X")) keyId = keyId.slice(2);
  if (!/^[0-9A-F]+$/.test(keyId) || (keyId.length !== 8 && keyId.length !== 16 && keyId.length <= 16)) throw new ModuleError("Invalid key_id", {}, { result: { id: text } });
  return { short: keyId.slice(-8), fingerprint: keyId.length > 16 ? keyId.slice(-16) : keyId, keyId };
}

function source(args: Args): KeySource | undefined {
  if (args.file !== undefined) return { file: args.file };
  if (args.data !== undefined) return { data: args.data };
  if (args.url !== undefined) return { url: args.url };
  return undefined;
}

function aptKey(keyring: string | undefined): Command {
  return keyring === undefined ? sh`apt-key` : sh`apt-key --keyring ${keyring}`;
}

async function keyIdOf(ctx: ModuleContext, args: Args): Promise<string> {
  if (args.id !== undefined) return args.id;
  if (args.keyserver !== undefined) throw new ModuleError("Missing key_id, required with keyserver.");
  const from = source(args);
  if (from === undefined) throw new ModuleError("Invalid key_id", {}, { result: { id: null } });
  const found = await ctx.fact(gpgKeyIdFact, from);
  if ("failed" in found) {
    const where = "url" in from ? `error getting key id from url: ${from.url}` : `Unable to extract key from '${"file" in from ? from.file : "inline data"}'`;
    throw new ModuleError(`${where}: ${found.message}`);
  }
  if (found.id === null) throw new ModuleError("Invalid key_id", {}, { result: { id: null } });
  return found.id;
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  const state = args.state ?? "present";
  const given = (["data", "file", "keyserver", "url"] as const).filter((arg) => args[arg] !== undefined);
  if (given.length > 1) throw new ModuleError(`parameters are mutually exclusive: ${given.join("|")}`);
  const keys: AptKeys = await ctx.fact(aptKeysFact, args.keyring === undefined ? {} : { keyring: args.keyring });
  if ("missing" in keys) throw new ModuleError(`Failed to find required executable "${keys.missing}" (gpg comes with the gnupg package)`);
  const id = await keyIdOf(ctx, args);
  const { short, fingerprint, keyId } = parseKeyId(id);
  // An 8-digit id is compared with the listed ids' last 8 digits, as Ansible's short format does.
  const listed = keyId.length === 8 ? keys.ids.map((k) => k.slice(-8)) : keys.ids;
  const output = { id, short_id: short, fp: fingerprint, key_id: keyId, before: listed };
  const where = args.keyring ?? "apt's keyrings";
  if (state === "absent") {
    if (!listed.includes(fingerprint)) return { changed: false, reason: `key ${keyId} is not in ${where}`, output };
    const gone = sh`! LC_ALL=C ${aptKey(args.keyring)} adv --list-public-keys --keyid-format=long 2>/dev/null | grep -qi ${`/[0-9A-F]*${fingerprint} `} || { echo ${"apt-key did not return an error, but the key was not removed (check that the id is correct and *not* a subkey)"} >&2; exit 1; }`;
    return { changed: true, summary: `remove key ${keyId} from ${where}`, commands: [sh`${aptKey(args.keyring)} del ${short}`, gone], output };
  }
  if (listed.includes(keyId.length === 8 ? short : fingerprint)) return { changed: false, reason: `key ${keyId} is in ${where}`, output };
  const from = source(args);
  const add =
    from === undefined
      ? args.keyserver === undefined
        ? undefined
        : sh`${aptKey(args.keyring)} adv --no-tty --keyserver ${args.keyserver} --recv ${keyId}`
      : "file" in from
        ? sh`${aptKey(args.keyring)} add ${from.file}`
        : sh`${keyMaterial(from)} | ${aptKey(args.keyring)} add -`;
  if (add === undefined) throw new ModuleError("key " + keyId + " is missing and there is no file, data, url or keyserver to add it from");
  // Ansible checks the list again after adding: a subkey's id or a wrong id is a failure, not a silent change.
  const verify = sh`LC_ALL=C ${aptKey(args.keyring)} adv --list-public-keys --keyid-format=long 2>/dev/null | grep -qi ${keyId.length === 8 ? `/[0-9A-F]*${short} ` : `/${fingerprint} `} || { echo ${`apt-key did not return an error, but failed to add the key (check that the id is correct and *not* a subkey)`} >&2; exit 1; }`;
  return { changed: true, summary: `add key ${keyId} to ${where}`, commands: [add, verify], output };
}

export default defineModule<Args>({
  name: "apt_key",
  description: "Add or remove an apt key with apt-key (deprecated on Debian 12, as in Ansible 2.14)",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      id: { type: "string", minLength: 1, description: "The key's id: 8, 16 or more hex digits, `0x` allowed. Without it the id is read from `file`, `data` or `url` (their first key)." },
      url: { type: "string", minLength: 1, description: "A URL the host downloads the key from (with its python3)." },
      data: { type: "string", minLength: 1, description: "The key itself, armored or binary as text." },
      file: { type: "string", minLength: 1, description: "A key file on the host." },
      keyring: { type: "string", minLength: 1, description: "The keyring file to add to or remove from (apt-key --keyring), e.g. in /etc/apt/trusted.gpg.d/; all of apt's keyrings when not given (adding then writes /etc/apt/trusted.gpg)." },
      validate_certs: { type: "boolean", default: true, description: "Accepted for Ansible's playbooks; the download of `url` always checks certificates." },
      keyserver: { type: "string", minLength: 1, description: "A keyserver to receive the key `id` from (apt-key adv --recv)." },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "Whether the key should be trusted by apt. `absent` runs apt-key del, which without `keyring` takes the key out of every keyring it is in (leaving a `~` copy of each)." },
    },
  },
  examples: [
    "- apt_key: { url: 'https://www.postgresql.org/media/keys/ACCC4CF8.asc', state: present }",
    "- apt_key: { file: /tmp/repo-key.asc, keyring: /etc/apt/trusted.gpg.d/repo.gpg }",
    "- apt_key: { id: 9FED2BCBDCD29CDF762678CBAED4B06F473041FA, state: absent }",
  ],
  capabilities: { diff: false, idempotent: true },
  check,
});
