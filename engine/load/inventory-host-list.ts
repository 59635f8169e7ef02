/**
 * An inventory given as a comma-separated host list (`-i web1,web2:2222,` / `-i localhost,`), read as Ansible's
 * host_list inventory plugin reads it: an `-i` value that is not a path and holds a comma. Each name is a host of
 * `ungrouped`; `host:port` and `[ipv6]:port` set ansible_port; a name that is not an address is kept as it is
 * (ranges are not expanded here, as in Ansible). A host named localhost is a host like any other: its connection
 * is ssh unless ansible_connection says otherwise, as in Ansible.
 */

/** True when an `-i` value that names no file is a host list. */
export function isHostList(value: string): boolean {
  return value.includes(",");
}

/** A host list's name and port (ansible-core's parse_address without ranges; anything else is a name as given). */
function parseAddress(entry: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const hostPort = /^([^:[\]]+):(\d+)$/.exec(entry);
  const [, host, port] = bracketed ?? hostPort ?? [];
  if (host === undefined) return { host: entry };
  return port === undefined ? { host } : { host, port: Number(port) };
}

/** The host list as an inventory source in the YAML shape: its hosts in `ungrouped`, in the order given. */
export function hostListSource(value: string): Record<string, unknown> {
  const hosts: Record<string, unknown> = {};
  for (const entry of value.split(",").map((e) => e.trim())) {
    if (entry === "") continue;
    const { host, port } = parseAddress(entry);
    // The first mention of a host wins, as in Ansible.
    if (host in hosts) continue;
    hosts[host] = port === undefined ? null : { ansible_port: port };
  }
  return { ungrouped: { hosts } };
}
