/**
 * gather_facts: one probe per host collects what roles need, exposed as ansible_facts.* and the usual
 * ansible_* names (pure parser, unit-tested on output captured from a lab host).
 */
import { raw, sh } from "./command.js";
import { FactError } from "./errors.js";
import { defineFact, SHOW_FILE } from "./facts.js";
import { FACT_MARKER, parseLocalFacts } from "./local-facts.js";
import { parseExports } from "./shell-env.js";
import type { Vars } from "./types.js";

/**
 * Every host pays for this probe on every run, so files are read with SHOW_FILE and only three programs start:
 * hostname -f (the resolver), uname -m and ip.
 */
const ENV_MARKER = "@@rems-env";
const LOCAL_MARKER = "@@rems-local";

const PROBE = [
  SHOW_FILE.text,
  "echo '[os-release]'; show /etc/os-release",
  "echo '[hostname]'; show /proc/sys/kernel/hostname",
  "echo '[fqdn]'; hostname -f 2>/dev/null || show /proc/sys/kernel/hostname",
  "echo '[arch]'; uname -m",
  "echo '[kernel]'; show /proc/sys/kernel/osrelease",
  "echo '[pid1]'; show /proc/1/comm",
  // The CPUs this shell may run on, as nproc counts them.
  "echo '[cpus]'; while read -r k v; do [ \"$k\" = Cpus_allowed_list: ] && echo \"$v\"; done < /proc/self/status",
  "echo '[meminfo]'; while read -r k v; do case $k in MemTotal:|MemFree:|SwapTotal:) echo \"$k $v\";; esac; done < /proc/meminfo",
  "echo '[route]'; show /proc/net/route",
  "echo '[addr]'; ip -4 -o addr show scope global 2>/dev/null",
  "echo '[python]'; command -v python3",
  // The user's passwd entry, found by the shell's uid (Ansible's user facts): uid, name, gid, gecos, home, shell.
  "echo '[passwd]'; u=; while read -r k v r; do [ \"$k\" = Uid: ] && u=$v; done < /proc/self/status; while IFS=: read -r n x i g c h l; do [ \"$i\" = \"$u\" ] && { echo \"$i:$n:$g:$c:$h:$l\"; break; }; done < /etc/passwd",
  "echo '[cpuinfo]'; while IFS=: read -r k v; do case $k in processor*|'physical id'*|'cpu cores'*|siblings*) echo \"$k:$v\";; esac; done < /proc/cpuinfo",
  "echo '[fips]'; [ -r /proc/sys/crypto/fips_enabled ] && show /proc/sys/crypto/fips_enabled",
  "echo '[selinux]'; [ -r /sys/fs/selinux/enforce ] && show /sys/fs/selinux/enforce",
  // The host's clock and zone, as Ansible reads them: the one program this adds.
  "echo '[date]'; date '+%Y %m %d %H %M %S %s %w %W %N %z %Z %A'",
  // Last, after markers of their own: values here may hold lines that look like the section headers above.
  `echo ${ENV_MARKER}; export -p`,
  `echo ${LOCAL_MARKER}; for f in /etc/ansible/facts.d/*.fact; do [ -f "$f" ] || continue; n=\${f##*/}; echo "${FACT_MARKER} \${n%.fact} $f"; if [ -x "$f" ]; then "$f" 2>/dev/null; else show "$f"; fi; echo; done`,
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
  const [head = "", tail = ""] = stdout.split(`\n${ENV_MARKER}\n`);
  const [exported = "", local = ""] = tail.split(`\n${LOCAL_MARKER}\n`);
  const s = sections(head);
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
  const route = defaultRoute(s.get("route") ?? []);
  const iface = route?.iface;
  const addrLine = (s.get("addr") ?? []).find((l) => iface !== undefined && l.split(/\s+/)[1] === iface) ?? s.get("addr")?.[0];
  const cidr = /inet (\S+)/.exec(addrLine ?? "")?.[1] ?? "";
  const [address = "", prefix = ""] = cidr.split("/");
  const version = osRelease.VERSION_ID ?? "";
  const id = osRelease.ID;
  const pid1 = first("pid1");
  const env = parseExports(exported);
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
    ...cpuFacts(s.get("cpuinfo") ?? []),
    processor_nproc: cpuCount(first("cpus")),
    fips: first("fips") === "1",
    selinux: s.has("selinux") && first("selinux") !== "" ? { status: "enabled", mode: first("selinux") === "1" ? "enforcing" : "permissive" } : { status: "disabled" },
    ...userFacts(env, s.get("passwd")?.[0]),
    ...(s.has("date") ? { date_time: dateTime(first("date")) } : {}),
    env,
    local: parseLocalFacts(local),
    memtotal_mb: mem("MemTotal"),
    memfree_mb: mem("MemFree"),
    swaptotal_mb: mem("SwapTotal"),
    default_ipv4: address ? { address, prefix, interface: iface ?? "", gateway: route?.gateway ?? "" } : {},
    python: { executable: first("python") },
  };
}

/** The default route in /proc/net/route (destination and mask 0, up): the first of the lowest metric. */
function defaultRoute(lines: readonly string[]): { iface: string; gateway: string } | undefined {
  let best: { iface: string; gateway: string; metric: number } | undefined;
  for (const line of lines.slice(1)) {
    const [iface = "", destination, gateway = "", flags = "", , , metric = "", mask] = line.trim().split(/\s+/);
    if (destination !== "00000000" || mask !== "00000000" || (parseInt(flags, 16) & 1) === 0) continue;
    if (best && best.metric <= Number(metric)) continue;
    // The gateway is the address's four bytes in host order: little-endian on every Debian architecture we meet.
    const bytes = (gateway.match(/../g) ?? []).map((byte) => parseInt(byte, 16)).reverse();
    best = { iface, gateway: bytes.join("."), metric: Number(metric) };
  }
  return best && { iface: best.iface, gateway: best.gateway };
}

/**
 * Ansible's CPU counts from /proc/cpuinfo: sockets (distinct physical ids, else processors), cores per socket, threads
 * per core (siblings over cores), and vcpus as their product.
 */
function cpuFacts(lines: readonly string[]): Vars {
  const field = (line: string): [string, string] => {
    const [key = "", ...value] = line.split(":");
    return [key.trim(), value.join(":").trim()];
  };
  const fields = lines.map(field);
  const processors = fields.filter(([key]) => key === "processor").length;
  const sockets = new Set(fields.filter(([key]) => key === "physical id").map(([, value]) => value));
  const firstOf = (name: string): number | undefined => {
    const found = fields.find(([key]) => key === name);
    return found ? Number(found[1]) : undefined;
  };
  const count = sockets.size > 0 ? sockets.size : processors;
  const cores = firstOf("cpu cores") || 1;
  const siblings = firstOf("siblings");
  const threads = Math.floor((siblings ?? 1) / cores);
  return { processor_count: count, processor_cores: cores, processor_threads_per_core: threads, processor_vcpus: threads * count * cores };
}

/**
 * The login (or become) user's facts as Ansible's: user_id from the environment (LOGNAME, USER) else the passwd
 * entry of the shell's uid, which gives the rest.
 */
function userFacts(env: Readonly<Record<string, string>>, passwd: string | undefined): Vars {
  const [uid, name, gid, gecos, home, shell] = (passwd ?? "").split(":");
  const facts: Vars = {};
  const user = env.LOGNAME ?? env.USER ?? name;
  if (user !== undefined && user !== "") facts.user_id = user;
  if (passwd === undefined) return facts;
  return { ...facts, user_uid: Number(uid), user_gid: Number(gid), user_gecos: gecos ?? "", user_dir: home ?? "", user_shell: shell ?? "" };
}

/** ansible_date_time from `date '+%Y %m %d %H %M %S %s %w %W %N %z %Z %A'` on the host (the ISO 8601 forms in UTC, as Ansible's). */
function dateTime(line: string): Vars {
  const [year = "", month = "", day = "", hour = "", minute = "", second = "", epoch = "", weekdayNumber = "", weeknumber = "", nanos = "", offset = "", zone = "", weekday = ""] = line.split(" ");
  const micro = nanos.slice(0, 6).padEnd(6, "0");
  const utc = new Date(Number(epoch) * 1000).toISOString().slice(0, 19);
  return {
    year, month, day, hour, minute, second, weekday,
    weekday_number: weekdayNumber,
    weeknumber,
    epoch,
    epoch_int: epoch,
    date: `${year}-${month}-${day}`,
    time: `${hour}:${minute}:${second}`,
    iso8601: `${utc}Z`,
    iso8601_micro: `${utc}.${micro}Z`,
    iso8601_basic: `${year}${month}${day}T${hour}${minute}${second}${micro}`,
    iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`,
    tz: zone,
    tz_dst: zone,
    tz_offset: offset,
  };
}

/** Cpus_allowed_list ("0-3,6") counted: what nproc prints. */
function cpuCount(list: string): number {
  return list.split(",").reduce((sum, range) => {
    const [from = NaN, to = from] = range.split("-").map(Number);
    return sum + (to - from + 1);
  }, 0);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * ansible_facts plus the variables Ansible injects beside it: ansible_<name> for each gathered fact, and each fact
 * a module returned (getent's getent_passwd) by the name it was returned under; in ansible_facts that name loses
 * an ansible_ prefix, as Ansible's are kept.
 */
export function factVars(gathered: Vars, returned: Vars = {}): Vars {
  const facts: Vars = { ...gathered };
  const out: Vars = { ansible_facts: facts };
  for (const [key, value] of Object.entries(gathered)) out[`ansible_${key}`] = value;
  for (const [key, value] of Object.entries(returned)) {
    facts[key.startsWith("ansible_") ? key.slice("ansible_".length) : key] = value;
    out[key] = value;
  }
  return out;
}
