/**
 * The key ids apt trusts, as Ansible 2.14's apt_key reads them: `apt-key adv --list-public-keys --keyid-format=long`
 * (of one keyring, or of all of apt's), every `pub` and `sub` line that has not expired. Null when the host lacks
 * apt-key or gpg, which the module needs to run at all.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export interface AptKeysArgs {
  keyring?: string;
}

/** Long (16 hex digit) key ids, in apt-key's order; or which of the needed programs is missing. */
export type AptKeys = { ids: string[] } | { missing: "apt-key" | "gpg" };

/** Key ids of `pub`/`sub` lines not marked expired: `pub   rsa4096/0E98404D386FA1D9 2021-01-17 [SC]`, or gpg's colon form. */
export function keyIds(text: string): string[] {
  return text.split("\n").flatMap((line) => {
    if (!(line.startsWith("pub") || line.startsWith("sub")) || line.includes("expired")) return [];
    const code = line.split(/\s+/)[1]?.split("/");
    if (code?.length === 2 && code[1] !== undefined) return [code[1]];
    const colons = line.split(":");
    return colons.length > 4 && colons[4] !== undefined ? [colons[4]] : [];
  });
}

export function parseAptKeys(output: ProbeOutput): AptKeys {
  const missing = /^missing (apt-key|gpg)$/.exec(output.stdout.trim());
  if (missing?.[1] === "apt-key" || missing?.[1] === "gpg") return { missing: missing[1] };
  if (output.code !== 0) throw new FactError(`apt-key could not list the public keys (exit ${output.code}): ${JSON.stringify(output.stdout.slice(0, 200))}`);
  return { ids: keyIds(output.stdout) };
}

export const aptKeysFact = defineFact<AptKeys, AptKeysArgs>({
  name: "apt_keys",
  command: ({ keyring }) =>
    // apt-key creates a keyring it is asked to list: one that does not exist has no keys, and stays so.
    sh`for p in apt-key gpg; do command -v "$p" >/dev/null || { echo "missing $p"; exit 0; }; done; ${keyring === undefined ? sh`:` : sh`[ -e ${keyring} ] || exit 0`}; LC_ALL=C ${keyring === undefined ? sh`apt-key` : sh`apt-key --keyring ${keyring}`} adv --list-public-keys --keyid-format=long`,
  parse: parseAptKeys,
});
