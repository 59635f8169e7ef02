/**
 * A host's connection from Ansible's connection variables (ansible_host, ansible_port, ansible_user ...). Only
 * those variables are rendered, each when read, as Ansible does: any other inventory variable may refer to facts
 * that do not exist yet (`my_ip: "{{ ansible_default_ipv4.address }}"`) and is rendered later, by the task that
 * uses it. Extra variables (-e) win here as everywhere. The settings are worked out, and checked, for every host
 * before any host is contacted (run.ts), so `ansible_port: twenty-two` is an input error at its place in the
 * inventory rather than a host unreachable at `:NaN`.
 */
import { userInfo } from "node:os";
import { secret } from "../command.js";
import { Become } from "../connection/become.js";
import type { ConnectionSpec } from "../connection/connection.js";
import { openConnection } from "../connection/open.js";
import { InputErrors, RemsError, SchemaValidationError } from "../errors.js";
import type { SecretRegistry } from "../mask.js";
import { show } from "../schema/validate.js";
import { valueLocationOf } from "../source/locations.js";
import { renderValue } from "../template/render.js";
import { booleanWord } from "../truth.js";
import type { Vars } from "../types.js";
import { text } from "./actions.js";
import { HostRun } from "./host-run.js";

export interface ConnectionDefaults {
  user: string | undefined;
  /** The connection keyword in force (local, ssh ...): the host's ansible_connection wins over it, as in Ansible. */
  connection?: string | undefined;
  privateKey: string | undefined;
  becomePassword: string | undefined;
  /** From the command line, when given: it wins over the inventory. */
  hostKeyPolicy: ConnectionSpec["hostKeyPolicy"] | undefined;
  extraVars: Vars;
}

/**
 * The host-key policy: `-e ansible_host_key_checking=false`, else --host-key-checking when given, else the
 * inventory's ansible_host_key_checking (false: "ignore", said in a warning, since it turns off the check against
 * a changed key), else strict.
 */
export function hostKeyPolicy(
  given: ConnectionSpec["hostKeyPolicy"] | undefined,
  inventory: boolean | undefined,
  fromExtraVars = false,
): { policy: ConnectionSpec["hostKeyPolicy"]; warning?: string } {
  // -e ansible_host_key_checking=false is said on the command line too, and -e wins, as everywhere.
  if (fromExtraVars && inventory === false) return { policy: "ignore" };
  if (given !== undefined) return { policy: given };
  if (inventory === false) {
    return { policy: "ignore", warning: "host key checking is off for this host (ansible_host_key_checking: false in the inventory); --host-key-checking strict turns it back on" };
  }
  return { policy: "strict" };
}

export interface ConnectionSettings {
  spec: ConnectionSpec;
  becomePassword: string | undefined;
  /** What the user must know about the host-key policy the inventory chose. */
  hostKeyWarning: string | undefined;
}

/** The connection types rems-play has; Ansible's other names for an SSH connection mean ours. */
const SSH_NAMES = new Set(["ssh", "smart", "paramiko", "paramiko_ssh"]);

/** A connection name (ansible_connection or the connection keyword) as one rems-play has, else undefined. */
export function knownConnection(word: string): string | undefined {
  return word === "local" || SSH_NAMES.has(word) ? word : undefined;
}

/** Whole numbers in a number or a string ("22" from a YAML string or a template), else undefined. */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? value : undefined;
  return typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

function positiveNumber(value: unknown): number | undefined {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(number) && number > 0 ? number : undefined;
}

/**
 * A host's connection settings from its inventory variables and the defaults (command line). Throws InputErrors
 * naming each connection variable that cannot be what it names, at the place it was set (no place for -e).
 */
export function connectionSettings(name: string, inventoryVars: Vars, defaults: ConnectionDefaults): ConnectionSettings {
  const vars: Vars = { ...inventoryVars, ...defaults.extraVars, inventory_hostname: name };
  const errors: RemsError[] = [];
  const placeOf = (key: string) => (Object.hasOwn(defaults.extraVars, key) ? undefined : valueLocationOf(inventoryVars, key));
  const value = (key: string): unknown => {
    if (vars[key] === undefined || vars[key] === null) return undefined;
    const loc = placeOf(key);
    try {
      return renderValue(vars[key], vars, { host: name, task: "connection variables", ...(loc ? { file: loc.file, line: loc.line, col: loc.col } : {}) });
    } catch (error) {
      if (!(error instanceof RemsError)) throw error;
      errors.push(error);
      return undefined;
    }
  };
  const str = (key: string): string | undefined => {
    const found = value(key);
    return found === undefined || found === null ? undefined : text(found);
  };
  const checked = <T>(key: string, must: string, read: (found: unknown) => T | undefined): T | undefined => {
    const found = value(key);
    if (found === undefined || found === null) return undefined;
    const good = read(found);
    if (good === undefined) {
      const from = Object.hasOwn(defaults.extraVars, key) ? " (set with -e)" : "";
      errors.push(new SchemaValidationError(`host ${name}: ${key} must be ${must}, got ${show(found)}${from}`, { loc: placeOf(key), host: name }));
    }
    return good;
  };

  const connection = checked("ansible_connection", "ssh or local (the connections rems-play has)", (found) => knownConnection(text(found)));
  // localhost is local unless its variables say otherwise; the connection keyword counts only where they say nothing.
  const local = (connection ?? (name === "localhost" ? "local" : defaults.connection)) === "local";
  const address = checked("ansible_host", "a host name or address", (found) => {
    const host = text(found).trim();
    return host !== "" && !/\s/.test(host) ? host : undefined;
  });
  const port = checked("ansible_port", "a port number from 1 to 65535", (found) => {
    const number = wholeNumber(found);
    return number !== undefined && number >= 1 && number <= 65535 ? number : undefined;
  });
  const checking = checked("ansible_host_key_checking", "a boolean (true/false, yes/no)", (found) => (typeof found === "boolean" ? found : booleanWord(text(found))));
  const timeout = checked("ansible_timeout", "a number of seconds above 0", positiveNumber);
  const user = str("ansible_user") ?? defaults.user ?? userInfo().username;
  const password = str("ansible_password") ?? str("ansible_ssh_pass");
  const keys = hostKeyPolicy(defaults.hostKeyPolicy, checking, Object.hasOwn(defaults.extraVars, "ansible_host_key_checking"));
  const spec: ConnectionSpec = {
    hostName: name,
    type: local ? "local" : "ssh",
    address: address ?? name,
    port: port ?? 22,
    user: local ? userInfo().username : user,
    privateKeyFile: str("ansible_ssh_private_key_file") ?? defaults.privateKey,
    password,
    knownHostsFile: str("rems_known_hosts_file"),
    hostKeyPolicy: keys.policy,
    connectTimeoutMs: (timeout ?? 10) * 1000,
  };
  const becomePassword = str("ansible_become_password") ?? str("ansible_become_pass") ?? defaults.becomePassword;
  if (errors.length > 0) throw new InputErrors(errors);
  return { spec, becomePassword, hostKeyWarning: keys.warning };
}

export function createHostRun(name: string, inventoryVars: Vars, defaults: ConnectionDefaults, secrets: SecretRegistry, warn: (message: string) => void): HostRun {
  const settings = connectionSettings(name, inventoryVars, defaults);
  const { becomePassword } = settings;
  const spec: ConnectionSpec = { ...settings.spec, warn };
  if (settings.hostKeyWarning !== undefined) warn(settings.hostKeyWarning);
  secrets.add(spec.password);
  secrets.add(becomePassword);
  const connection = openConnection(spec);
  const become = new Become(connection, becomePassword === undefined ? undefined : secret(becomePassword));
  return new HostRun(name, connection, spec.user, (becomeUser) => become.runAs(becomeUser), () => become.close());
}

export function localSpec(): ConnectionSpec {
  const user = userInfo().username;
  return { hostName: "localhost", type: "local", address: "localhost", port: 0, user, hostKeyPolicy: "ignore", connectTimeoutMs: 10000 };
}
