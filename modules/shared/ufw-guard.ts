/**
 * The ufw module's lock-out guard: a change that leaves incoming traffic closed must leave a rule that admits the SSH
 * connection rems-play is using, as the host sees it (its port, source address, destination address, interface and
 * address family), else the task fails before any change (issue 16 item 3: an SSH rule from another address, or on
 * lo only, does not keep the run's connection in).
 */
import { BlockList, isIP } from "node:net";
import { ModuleError } from "../../engine/errors.js";
import type { ModuleContext } from "../../engine/module-api.js";
import { sshConnectionFact } from "../facts/ssh-connection.js";
import type { UfwRule, UfwStatus } from "../facts/ufw-status.js";

/** OpenSSH's profile is the one application rule whose port we know without reading profiles. */
const KNOWN_APP_PORTS: Record<string, string> = { OpenSSH: "22" };

function portInList(port: number, ports: string): boolean {
  return ports.split(",").some((p) => {
    const [low = "", high] = p.split(":");
    return high === undefined ? Number(low) === port : Number(low) <= port && port <= Number(high);
  });
}

/** What the guard knows of the connection to keep: its SSH port, and where it comes from when the host told us. */
export interface SshPath {
  port: number;
  client?: string | undefined;
  server?: string | undefined;
  interface?: string | undefined;
}

/** Whether `address` is in ufw's `spec` ("any", an address or a network); an unknown address only in "any". */
function within(spec: string, address: string | undefined): boolean {
  if (spec === "any") return true;
  if (address === undefined) return false;
  const family = isIP(address) === 6 ? "ipv6" : "ipv4";
  const [network = "", bits] = spec.split("/");
  if (isIP(network) !== (family === "ipv6" ? 6 : 4)) return false;
  const list = new BlockList();
  if (bits === undefined) list.addAddress(network, family);
  else list.addSubnet(network, Number(bits), family);
  return list.check(address, family);
}

/**
 * Whether some rule lets the run's SSH connection in: an allow (or limit) rule for its port whose source, destination
 * and interface admit it. Where the connection is not known, only a rule admitting SSH from anywhere on any
 * interface counts.
 */
export function admitsSsh(rules: readonly UfwRule[], ssh: SshPath): boolean {
  const v6 = ssh.client !== undefined && isIP(ssh.client) === 6;
  return rules.some(
    (r) =>
      (r.action === "allow" || r.action === "limit") &&
      !r.route &&
      r.direction === "in" &&
      (r.proto === "any" || r.proto === "tcp") &&
      (r.toApp !== "" ? KNOWN_APP_PORTS[r.toApp] === String(ssh.port) : r.toPort === "any" || portInList(ssh.port, r.toPort)) &&
      (r.interfaceIn === "any" || r.interfaceIn === ssh.interface) &&
      within(r.from, ssh.client) &&
      within(r.to, ssh.server) &&
      // A rule for one address family (user.rules or user6.rules) admits only that family's connections.
      (ssh.client === undefined || r.ipv6 === v6),
  );
}

/** Incoming traffic not admitted by a rule is dropped or rejected. */
function closed(state: UfwStatus): boolean {
  return state.active && state.defaults.incoming !== "allow";
}

/** The run's SSH connection as the host sees it; outside SSH, only its port (`ansible_port`, default 22). */
async function sshPath(ctx: ModuleContext): Promise<SshPath> {
  const connection = await ctx.fact(sshConnectionFact, {});
  if (connection.known) return { port: connection.port, client: connection.client, server: connection.server, interface: connection.interface };
  const port = Number(ctx.vars.ansible_port ?? 22);
  return { port: Number.isInteger(port) && port > 0 ? port : 22 };
}

function describePath(ssh: SshPath): string {
  const from = ssh.client === undefined ? "" : ` from ${ssh.client}${ssh.interface === undefined ? "" : ` on ${ssh.interface}`}`;
  return `SSH on port ${ssh.port}/tcp${from}`;
}

/** Throws when `after` would cut off the run's SSH connection and `current` does not (the connection is read only then). */
export async function refuseLockout(ctx: ModuleContext, current: UfwStatus, after: UfwStatus, change: string): Promise<void> {
  if (!closed(after)) return;
  const ssh = await sshPath(ctx);
  if (admitsSsh(after.rules, ssh) || (closed(current) && !admitsSsh(current.rules, ssh))) return;
  throw new ModuleError(
    `refusing to ${change}: incoming traffic would be ${after.defaults.incoming === "reject" ? "rejected" : "denied"} and no rule allows ${describePath(ssh)}, which rems-play is connected through. Add a rule first (ufw: { rule: allow, port: "${ssh.port}", proto: tcp }) or set allow_lockout: true`,
  );
}
