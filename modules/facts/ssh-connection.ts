/**
 * The SSH connection rems-play's commands arrive through, as the host sees it: the client's address (after any
 * NAT), the address and port it reached, and the interface its packets come in on. sudo clears SSH_CONNECTION
 * from a become command's environment, so the probe reads it from the nearest ancestor process that has it (the
 * login shell sshd started); the interface is the one the host routes replies to the client through (`lo` for a
 * client on the host itself). Outside SSH (a local connection) the fact is `{ known: false }`.
 */
import { isIP } from "node:net";
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, type ProbeOutput } from "../../engine/facts.js";

export type SshConnection =
  | { known: false }
  | {
      known: true;
      client: string;
      server: string;
      port: number;
      /** Absent when the host has no `ip` command to ask. */
      interface?: string;
    };

export function parseSshConnection({ stdout }: ProbeOutput): SshConnection {
  const [connection = "", route = ""] = stdout.split("\n");
  if (connection.trim() === "") return { known: false };
  const [client = "", , server = "", port = ""] = connection.trim().split(/\s+/);
  if (isIP(client) === 0 || isIP(server) === 0 || !/^\d+$/.test(port)) throw new FactError(`unexpected SSH_CONNECTION: ${JSON.stringify(connection)}`);
  const device = /\bdev (\S+)/.exec(route)?.[1];
  return { known: true, client, server, port: Number(port), ...(device === undefined ? {} : { interface: device }) };
}

export const sshConnectionFact = defineFact<SshConnection, Record<string, never>>({
  name: "ssh_connection",
  command: () =>
    sh`p=$$; c=; while [ -z "$c" ] && [ "$p" -gt 1 ] 2>/dev/null; do c=$(tr '\\0' '\\n' < /proc/$p/environ 2>/dev/null | sed -n 's/^SSH_CONNECTION=//p'); set -- $(sed 's/.*) //' /proc/$p/stat 2>/dev/null) 0 0; p=$2; done; echo "$c"; [ -z "$c" ] || ip -o route get "\${c%% *}" 2>/dev/null | head -n 1; true`,
  parse: parseSshConnection,
});
