/** The files the lab hands to its users: a YAML inventory and a known_hosts file with every host's keys. */
import { stringify } from "yaml";

export interface InventoryHost {
  name: string;
  address: string;
}

export function renderInventory(hosts: readonly InventoryHost[], keyPath: string, knownHostsPath: string): string {
  const entries = hosts.map((host): [string, Record<string, string>] => [
    host.name,
    {
      ansible_host: host.address,
      ansible_user: "root",
      ansible_ssh_private_key_file: keyPath,
      rems_known_hosts_file: knownHostsPath,
    },
  ]);
  return stringify({ all: { hosts: Object.fromEntries(entries) } });
}

/** known_hosts lines for ADDRESS from the host's public key files (`TYPE BASE64 [COMMENT]`), comments dropped. */
export function knownHostsLines(address: string, publicKeys: readonly string[]): string[] {
  return publicKeys.map((key) => {
    const [type, blob] = key.trim().split(/\s+/);
    return `${address} ${type ?? ""} ${blob ?? ""}`;
  });
}
