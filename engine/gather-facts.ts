/**
 * gather_facts: one probe per host collects what roles need, exposed as ansible_facts.* and the usual
 * ansible_* names (pure parser, unit-tested on output captured from a lab host).
 */
import { raw, sh } from "./command.js";
import { FactError } from "./errors.js";
import { defineFact } from "./facts.js";
import type { Vars } from "./types.js";

const PROBE = [
  "echo '[os-release]'; cat /etc/os-release",
  "echo '[hostname]'; hostname",
  "echo '[fqdn]'; hostname -f 2>/dev/null || hostname",
  "echo '[arch]'; uname -m",
  "echo '[kernel]'; uname -r",
  "echo '[pid1]'; cat /proc/1/comm",
  "echo '[nproc]'; nproc",
  "echo '[meminfo]'; grep -E '^(MemTotal|MemFree|SwapTotal):' /proc/meminfo",
  "echo '[route]'; ip -4 route show default 2>/dev/null | head -n1",
  "echo '[addr]'; ip -4 -o addr show scope global 2>/dev/null",
  "echo '[python]'; command -v python3",
].join("; ");

export const hostFacts = defineFact<Vars, Record<string, never>>({
  name: "host_facts",
  command: () => sh`${raw(PROBE)}`,
  parse: ({ stdout }) => parseHostFacts(stdout),
});

function sections(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split("\n")) {
    const header = /^\[([a-z0-9-]+)\]$/.exec(line);
    if (header?.[1]) {
      current = [];
      out.set(header[1], current);
    } else if (current && line !== "") {
      current.push(line);
    }
  }
  return out;
}

/** Turns the probe's output into ansible_facts (pure). */
export function parseHostFacts(stdout: string): Vars {
  const s = sections(stdout);
  const osRelease = Object.fromEntries(
    (s.get("os-release") ?? []).map((line) => {
      const [key = "", ...rest] = line.split("=");
      return [key, rest.join("=").replace(/^"(.*)"$/, "$1")];
    }),
  );
  if (!osRelease.ID) throw new FactError("gather_facts: /etc/os-release has no ID");
  const first = (name: string): string => s.get(name)?.[0]?.trim() ?? "";
  const mem = (key: string): number => {
    const line = (s.get("meminfo") ?? []).find((l) => l.startsWith(`${key}:`));
    return Math.floor(Number(/(\d+)/.exec(line ?? "")?.[1] ?? 0) / 1024);
  };
  const route = /default via (\S+) dev (\S+)/.exec(first("route"));
  const iface = route?.[2];
  const addrLine = (s.get("addr") ?? []).find((l) => iface !== undefined && l.split(/\s+/)[1] === iface) ?? s.get("addr")?.[0];
  const cidr = /inet (\S+)/.exec(addrLine ?? "")?.[1] ?? "";
  const [address = "", prefix = ""] = cidr.split("/");
  const version = osRelease.VERSION_ID ?? "";
  const id = osRelease.ID;
  const pid1 = first("pid1");
  return {
    distribution: capitalize(id),
    distribution_version: version,
    distribution_major_version: version.split(".")[0] ?? "",
    distribution_release: osRelease.VERSION_CODENAME ?? "",
    os_family: ["debian", "ubuntu"].includes(id) || (osRelease.ID_LIKE ?? "").includes("debian") ? "Debian" : capitalize(id),
    hostname: first("hostname").split(".")[0] ?? "",
    nodename: first("hostname"),
    fqdn: first("fqdn"),
    architecture: first("arch"),
    kernel: first("kernel"),
    system: "Linux",
    service_mgr: pid1 === "systemd" ? "systemd" : pid1,
    processor_vcpus: Number(first("nproc")),
    processor_nproc: Number(first("nproc")),
    memtotal_mb: mem("MemTotal"),
    memfree_mb: mem("MemFree"),
    swaptotal_mb: mem("SwapTotal"),
    default_ipv4: address ? { address, prefix, interface: iface ?? "", gateway: route?.[1] ?? "" } : {},
    python: { executable: first("python") },
  };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** ansible_facts plus the top-level ansible_<name> aliases Ansible injects. */
export function factVars(facts: Vars): Vars {
  const out: Vars = { ansible_facts: facts };
  for (const [key, value] of Object.entries(facts)) out[`ansible_${key}`] = value;
  return out;
}
