/** DNS inside lab hosts: they use the machine's resolvers, reached through the NAT. */

/** The machine's resolv.conf for a lab host: loopback resolvers cannot be reached from a host's own namespace. */
export function hostResolvConf(machineResolvConf: string): string | undefined {
  const lines = machineResolvConf.split("\n").filter((line) => {
    const match = /^\s*nameserver\s+(\S+)/.exec(line);
    return !match?.[1] || !(match[1].startsWith("127.") || match[1] === "::1");
  });
  if (!lines.some((line) => /^\s*nameserver\s/.test(line))) return undefined;
  return lines.join("\n");
}
