/**
 * The id of the first key in a key file on the host, in inline key data, or at a URL the host downloads: gpg's
 * colon listing as Ansible's apt_key asks for it (`gpg --with-colons FILE`), here with --show-keys and a throwaway
 * home directory so that reading a key leaves no ~/.gnupg behind (removed at the end: the probe batch owns the EXIT trap).
 */
import { sh, type Command } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";
import { keyIds } from "./apt-keys.js";

export type KeySource = { file: string } | { data: string } | { url: string };

/** The key's id, or why there is none: gpg could not read it (`unreadable`), the file or URL could not be read (`source`). */
export type GpgKeyId = { id: string | null } | { failed: "unreadable" | "source"; message: string };

/** Prints the key material of SOURCE on stdout; the url through the host's python3, as Ansible's fetch_url runs there. */
export function keyMaterial(source: KeySource): Command {
  if ("file" in source) return sh`cat -- ${source.file}`;
  if ("data" in source) return sh`printf '%s' ${source.data}`;
  return sh`python3 -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=30).read())' ${source.url}`;
}

export function parseGpgKeyId(output: ProbeOutput): GpgKeyId {
  const [head, ...rest] = output.stdout.split("\n");
  const message = rest.join("\n").trim();
  if (head === "source") return { failed: "source", message };
  if (head === "unreadable") return { failed: "unreadable", message };
  if (head !== "keys" || output.code !== 0) throw new FactError(`unexpected gpg key probe output: ${JSON.stringify(output.stdout.slice(0, 200))}`);
  return { id: keyIds(rest.join("\n"))[0] ?? null };
}

export const gpgKeyIdFact = defineFact<GpgKeyId, KeySource>({
  name: "gpg_key_id",
  command: (source) =>
    sh`h=$(mktemp -d) || exit 1; if ! ${keyMaterial(source)} > "$h/key" 2>"$h/err"; then echo source; cat "$h/err"; elif out=$(gpg --homedir "$h" --batch --with-colons --show-keys "$h/key" 2>&1); then echo keys; printf '%s\\n' "$out"; else echo unreadable; printf '%s\\n' "$out"; fi; rm -rf "$h"`,
  parse: parseGpgKeyId,
});
