/**
 * The hosts of a run by name and login user: the HostRun of each host of the plays, and the others a task may
 * need, opened when first asked for: a `delegate_to` host of the inventory (with its own connection variables, as
 * Ansible uses the delegate's), or a play host under another `remote_user`. Ansible's order decides the login
 * user: the host's ansible_user, else the remote_user keyword, else -u, else the user running rems-play; and the way:
 * the host's ansible_connection, else the connection keyword (local: the controller, as the controller's user).
 */
import type { Inventory } from "../load/inventory.js";
import type { SecretRegistry } from "../mask.js";
import { connectionSettings, createHostRun, type ConnectionDefaults } from "./host-connection.js";
import type { HostRun } from "./host-run.js";

/** The keywords of a scope that say how a host is reached, when set. */
export interface Reach {
  remoteUser?: string | undefined;
  connection?: string | undefined;
}

export class HostPool {
  /** The run's hosts: the play hosts' HostRuns (their state, facts and stats), by name. */
  readonly hosts = new Map<string, HostRun>();
  /** How each play host is reached: its connection type and login user. */
  private readonly hostKeys = new Map<string, string>();
  /** Connections opened for delegate_to, remote_user and connection, by host, connection type and login user. */
  private readonly extra = new Map<string, HostRun>();
  /** What connectionTo answered, by host and remote_user as asked. */
  private readonly asked = new Map<string, HostRun>();

  constructor(
    private readonly inventory: Inventory,
    private readonly defaults: ConnectionDefaults,
    private readonly secrets: SecretRegistry,
    private readonly warn: (host: string, message: string) => void,
  ) {}

  /** How `name` is reached under a scope's remote_user and connection keywords (the host's variables win). */
  private reach(name: string, how: Reach, playDir: string): { key: string; defaults: ConnectionDefaults } {
    const defaults = this.withKeywords(how);
    const { spec } = connectionSettings(name, this.inventory.hostVars(name, playDir), defaults);
    return { key: `${name}\u0000${spec.type}\u0000${spec.user}`, defaults };
  }

  /** Makes the HostRun of a play host (once per run: a host keeps its state across plays). */
  open(name: string, how: Reach, playDir: string): HostRun {
    const { key, defaults } = this.reach(name, how, playDir);
    const host = createHostRun(name, this.inventory.hostVars(name, playDir), defaults, this.secrets, (message) => this.warn(name, message));
    this.hosts.set(name, host);
    this.hostKeys.set(name, key);
    return host;
  }

  /**
   * The host a task runs on when it names another host (delegate_to), login user (remote_user) or connection: the
   * play host itself when it is reached the same way, else a connection of its own, opened once per run.
   */
  connectionTo(name: string, how: Reach, playDir: string): HostRun {
    // Asked by every task under a remote_user or connection keyword: settled once per host and keywords.
    const asked = `${name}\u0000${how.remoteUser ?? ""}\u0000${how.connection ?? ""}`;
    let host = this.asked.get(asked);
    if (host) return host;
    const { key, defaults } = this.reach(name, how, playDir);
    const own = this.hosts.get(name);
    if (own && this.hostKeys.get(name) === key) {
      host = own;
    } else {
      host = this.extra.get(key) ?? createHostRun(name, this.inventory.hostVars(name, playDir), defaults, this.secrets, (message) => this.warn(name, message));
      this.extra.set(key, host);
    }
    this.asked.set(asked, host);
    return host;
  }

  /** Whether delegate_to `name` means the controller itself: localhost when the inventory has no host of that name. */
  isController(name: string): boolean {
    return (name === "localhost" || name === "127.0.0.1") && this.inventory.host(name) === undefined;
  }

  /** The HostRun holding what the run knows of host `name` (facts, set_fact): its play host's, else a task's connection to it. */
  stateOf(name: string): HostRun | undefined {
    const own = this.hosts.get(name);
    if (own) return own;
    for (const host of this.extra.values()) if (host.name === name) return host;
    return undefined;
  }

  /** Every HostRun of the run: the play hosts, then the connections opened for tasks. */
  all(): HostRun[] {
    return [...this.hosts.values(), ...this.extra.values()];
  }

  private withKeywords({ remoteUser, connection }: Reach): ConnectionDefaults {
    return { ...this.defaults, ...(remoteUser === undefined ? {} : { user: remoteUser }), ...(connection === undefined ? {} : { connection }) };
  }
}


