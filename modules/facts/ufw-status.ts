/**
 * The whole ufw state in one probe: whether the firewall is running (as `ufw status` decides it), the default policies
 * (/etc/default/ufw), logging and boot setting (/etc/ufw/ufw.conf) and the user rules from the `### tuple ###`
 * lines of user.rules and user6.rules. The tuples are ufw's own exact record of each rule and exist while the
 * firewall is inactive too (rules added then are applied on enable), so rules are compared structurally from them.
 */
import { sh } from "../../engine/command.js";
import { FactError } from "../../engine/errors.js";
import { defineFact, SHOW_FILE, type ProbeOutput } from "../../engine/facts.js";

export type UfwPolicy = "allow" | "deny" | "reject";
export type UfwAction = "allow" | "deny" | "reject" | "limit";

/** One user rule, normalized: "any" for any address (0.0.0.0/0, ::/0), port or interface. */
export interface UfwRule {
  action: UfwAction;
  /** "" (no logging), "log" or "log-all". */
  log: string;
  /** A `ufw route` (forwarding) rule. */
  route: boolean;
  direction: "in" | "out";
  interfaceIn: string;
  interfaceOut: string;
  /** "any", "tcp", "udp", ... */
  proto: string;
  from: string;
  fromPort: string;
  to: string;
  /** "22", "60000:61000", "80,443" or "any". */
  toPort: string;
  /** Application profile names ("OpenSSH", "Nginx Full"); "" for none. */
  fromApp: string;
  toApp: string;
  comment: string;
  /** From user6.rules. */
  ipv6: boolean;
}

export interface UfwStatus {
  installed: boolean;
  /** The firewall is running now. */
  active: boolean;
  /** ufw.conf ENABLED=yes: it starts at boot. */
  enabledAtBoot: boolean;
  /** "off", "low", "medium", "high" or "full". */
  logging: string;
  defaults: { incoming: UfwPolicy; outgoing: UfwPolicy; routed: UfwPolicy };
  rules: UfwRule[];
}

const MARK = "==> ";
const FILES = ["/etc/default/ufw", "/etc/ufw/ufw.conf", "/etc/ufw/user.rules", "/etc/ufw/user6.rules"] as const;
/**
 * Whether the firewall is running, printed as `ufw status` prints it, decided as ufw decides it (its
 * backend_iptables.get_status): the chain ufw-user-input is loaded (iptables exits 0) or not (1). Asking iptables
 * directly spares the host a Python start (about 0.1 s of CPU per host and run); any other exit is an error.
 */
const RUNNING = sh`/usr/sbin/iptables -n -L ufw-user-input >/dev/null 2>&1; case $? in 0) echo 'Status: active';; 1) echo 'Status: inactive';; *) echo 'Status: unknown (iptables failed)';; esac`;
const POLICIES: Record<string, UfwPolicy> = { ACCEPT: "allow", DROP: "deny", REJECT: "reject" };

/** "any" for any address; a single host without its prefix length, as ufw stores it. */
export function normalizeAddress(address: string): string {
  if (address === "0.0.0.0/0" || address === "::/0" || address === "any") return "any";
  return address.includes(":") ? address.replace(/\/128$/, "") : address.replace(/\/32$/, "");
}

function app(text: string | undefined): string {
  return text === undefined || text === "-" ? "" : decodeURIComponent(text);
}

/** Parses the text after `### tuple ### `. */
export function parseTuple(text: string, ipv6: boolean): UfwRule {
  const fields = text.trim().split(/\s+/);
  let comment = "";
  if (fields.at(-1)?.startsWith("comment=")) comment = Buffer.from((fields.pop() ?? "").slice("comment=".length), "hex").toString("utf8");
  const where = fields.length === 7 || fields.length === 9 ? (fields.pop() ?? "in") : "in";
  const [actionText = "", proto = "", toPort = "", to = "", fromPort = "", from = "", toApp, fromApp] = fields;
  if (fields.length !== 6 && fields.length !== 8) throw new FactError(`unexpected ufw rule tuple: ${JSON.stringify(text)}`);
  const route = actionText.startsWith("route:");
  const [action = "", log = ""] = actionText.replace(/^route:/, "").split("_");
  if (!["allow", "deny", "reject", "limit"].includes(action)) throw new FactError(`unexpected ufw rule action: ${JSON.stringify(text)}`);
  let direction: "in" | "out" = "in";
  let interfaceIn = "any";
  let interfaceOut = "any";
  where.split("!").forEach((part, i) => {
    const [dir = "", iface] = part.split("_");
    if (dir !== "in" && dir !== "out") throw new FactError(`unexpected ufw rule direction: ${JSON.stringify(text)}`);
    if (i === 0) direction = dir;
    if (iface !== undefined && dir === "in") interfaceIn = iface;
    if (iface !== undefined && dir === "out") interfaceOut = iface;
  });
  return {
    action: action as UfwAction,
    log,
    route,
    direction,
    interfaceIn,
    interfaceOut,
    proto,
    from: normalizeAddress(from),
    fromPort,
    to: normalizeAddress(to),
    toPort,
    fromApp: app(fromApp),
    toApp: app(toApp),
    comment,
    ipv6,
  };
}

function sections(stdout: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split("\n")) {
    if (line.startsWith(MARK)) {
      current = [];
      result.set(line.slice(MARK.length), current);
    } else current?.push(line);
  }
  return result;
}

function settings(lines: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of lines) {
    const m = /^([A-Z_0-9]+)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) values.set(m[1], m[2].replace(/^"(.*)"$/, "$1"));
  }
  return values;
}

function policy(values: Map<string, string>, key: string): UfwPolicy {
  const value = POLICIES[values.get(key) ?? ""];
  if (value === undefined) throw new FactError(`/etc/default/ufw: unexpected ${key}=${values.get(key) ?? "(missing)"}`);
  return value;
}

/** An empty ufw as Debian installs it (for check mode before ufw is installed). */
export const PRISTINE_UFW: UfwStatus = {
  installed: false,
  active: false,
  enabledAtBoot: false,
  logging: "low",
  defaults: { incoming: "deny", outgoing: "allow", routed: "deny" },
  rules: [],
};

export function parseUfwStatus(output: ProbeOutput): UfwStatus {
  const parts = sections(output.stdout);
  if (parts.has("not-installed")) return PRISTINE_UFW;
  const status = parts.get("status")?.[0] ?? "";
  if (output.code !== 0 || !/^Status: (active|inactive)$/.test(status)) {
    throw new FactError(`ufw status: unexpected output ${JSON.stringify(output.stdout.slice(0, 300))}`);
  }
  const defaults = settings(parts.get(FILES[0]) ?? []);
  const conf = settings(parts.get(FILES[1]) ?? []);
  const rules: UfwRule[] = [];
  for (const file of [FILES[2], FILES[3]]) {
    for (const line of parts.get(file) ?? []) {
      if (line.startsWith("### tuple ### ")) rules.push(parseTuple(line.slice("### tuple ### ".length), file === FILES[3]));
    }
  }
  return {
    installed: true,
    active: status === "Status: active",
    enabledAtBoot: conf.get("ENABLED") === "yes",
    logging: conf.get("LOGLEVEL") ?? "off",
    defaults: {
      incoming: policy(defaults, "DEFAULT_INPUT_POLICY"),
      outgoing: policy(defaults, "DEFAULT_OUTPUT_POLICY"),
      routed: policy(defaults, "DEFAULT_FORWARD_POLICY"),
    },
    rules,
  };
}

export const ufwStatusFact = defineFact<UfwStatus, Record<string, never>>({
  name: "ufw_status",
  command: () =>
    sh`if ! command -v ufw >/dev/null 2>&1; then echo ${MARK + "not-installed"}; exit 0; fi; echo ${MARK + "status"}; ${RUNNING}; ${SHOW_FILE}; for f in ${[...FILES]}; do echo ${MARK}"$f"; show "$f"; done`,
  parse: parseUfwStatus,
});
