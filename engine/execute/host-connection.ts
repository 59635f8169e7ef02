/**
 * A host's connection from Ansible's connection variables (ansible_host, ansible_port, ansible_user ...). Only
 * those variables are rendered, each when read, as Ansible does: any other inventory variable may refer to facts
 * that do not exist yet (`my_ip: "{{ ansible_default_ipv4.address }}"`) and is rendered later, by the task that
 * uses it. Extra variables (-e) win here as everywhere.
 */
import { userInfo } from "node:os";
import { secret } from "../command.js";
import { Become } from "../connection/become.js";
import type { ConnectionSpec } from "../connection/connection.js";
import { openConnection } from "../connection/open.js";
import type { SecretRegistry } from "../mask.js";
import { renderValue } from "../template/render.js";
import { booleanWord } from "../truth.js";
import type { Vars } from "../types.js";
import { text } from "./actions.js";
import { HostRun } from "./host-run.js";

export interface ConnectionDefaults {
  user: string | undefined;
  privateKey: string | undefined;
  becomePassword: string | undefined;
  /** From the command line, when given: it wins over the inventory. */
  hostKeyPolicy: ConnectionSpec["hostKeyPolicy"] | undefined;
  extraVars: Vars;
}

/**
 * The host-key policy: the command line's when given, else the inventory's ansible_host_key_checking (false:
 * "ignore", said in a warning, since it turns off the check against a changed key), else strict.
 */
export function hostKeyPolicy(given: ConnectionSpec["hostKeyPolicy"] | undefined, inventory: string | undefined): { policy: ConnectionSpec["hostKeyPolicy"]; warning?: string } {
  if (given !== undefined) return { policy: given };
  if (inventory !== undefined && booleanWord(inventory) === false) {
    return { policy: "ignore", warning: "host key checking is off for this host (ansible_host_key_checking: false in the inventory); --host-key-checking strict turns it back on" };
  }
  return { policy: "strict" };
}

export function createHostRun(name: string, inventoryVars: Vars, defaults: ConnectionDefaults, secrets: SecretRegistry, warn: (message: string) => void): HostRun {
  const vars: Vars = { ...inventoryVars, ...defaults.extraVars, inventory_hostname: name };
  const where = { host: name, task: "connection variables" };
  const str = (key: string): string | undefined => {
    const value = vars[key] === undefined || vars[key] === null ? undefined : renderValue(vars[key], vars, where);
    return value === undefined || value === null ? undefined : text(value);
  };
  const local = str("ansible_connection") === "local" || (name === "localhost" && str("ansible_connection") === undefined);
  const user = str("ansible_user") ?? defaults.user ?? userInfo().username;
  const password = str("ansible_password") ?? str("ansible_ssh_pass");
  const keys = hostKeyPolicy(defaults.hostKeyPolicy, str("ansible_host_key_checking"));
  if (keys.warning !== undefined) warn(keys.warning);
  const spec: ConnectionSpec = {
    hostName: name,
    type: local ? "local" : "ssh",
    address: str("ansible_host") ?? name,
    port: Number(str("ansible_port") ?? 22),
    user: local ? userInfo().username : user,
    privateKeyFile: str("ansible_ssh_private_key_file") ?? defaults.privateKey,
    password,
    knownHostsFile: str("rems_known_hosts_file"),
    hostKeyPolicy: keys.policy,
    connectTimeoutMs: Number(str("ansible_timeout") ?? 10) * 1000,
    warn,
  };
  secrets.add(password);
  const becomePassword = str("ansible_become_password") ?? str("ansible_become_pass") ?? defaults.becomePassword;
  secrets.add(becomePassword);
  const connection = openConnection(spec);
  const become = new Become(connection, becomePassword === undefined ? undefined : secret(becomePassword));
  return new HostRun(name, connection, spec.user, (command, becomeUser) => become.wrap(command, becomeUser), () => become.close());
}

export function localSpec(): ConnectionSpec {
  const user = userInfo().username;
  return { hostName: "localhost", type: "local", address: "localhost", port: 0, user, hostKeyPolicy: "ignore", connectTimeoutMs: 10000 };
}
