/**
 * The hosts of a run by name and login user: the HostRun of each host of the plays, and the others a task may
 * need, opened when first asked for: a `delegate_to` host of the inventory (with its own connection variables, as
 * Ansible uses the delegate's), or a play host under another `remote_user`. Ansible's order decides the login
 * user: the host's ansible_user, else the remote_user keyword, else -u, else the user running rems-play.
 */
import type { Inventory } from "../load/inventory.js";
import type { SecretRegistry } from "../mask.js";
import { connectionSettings, createHostRun, type ConnectionDefaults } from "./host-connection.js";
import type { HostRun } from "./host-run.js";

export class HostPool {
  /** The run's hosts: the play hosts' HostRuns (their state, facts and stats), by name. */
  readonly hosts = new Map<string, HostRun>();
  /** Connections opened for delegate_to and remote_user, by host and login user. */
  private readonly extra = new Map<string, HostRun>();
  /** What connectionTo answered, by host and remote_user as asked. */
  private readonly asked = new Map<string, HostRun>();

  constructor(
    private readonly inventory: Inventory,
    private readonly defaults: ConnectionDefaults,
    private readonly secrets: SecretRegistry,
    private readonly warn: (host: string, message: string) => void,
  ) {}

  /** The login user of `name` with `remoteUser` as the remote_user keyword (ansible_user wins). */
  loginUser(name: string, remoteUser: string | undefined, playDir: string): string {
    return connectionSettings(name, this.inventory.hostVars(name, playDir), this.withUser(remoteUser)).spec.user;
  }

  /** Makes the HostRun of a play host (once per run: a host keeps its state across plays). */
  open(name: string, remoteUser: string | undefined, playDir: string): HostRun {
    const host = createHostRun(name, this.inventory.hostVars(name, playDir), this.withUser(remoteUser), this.secrets, (message) => this.warn(name, message));
    this.hosts.set(name, host);
    return host;
  }

  /**
   * The host a task runs on when it names another host (delegate_to) or another login user (remote_user): the
   * play host itself when it is the same host and user, else a connection of its own, opened once per run.
   */
  connectionTo(name: string, remoteUser: string | undefined, playDir: string): HostRun {
    // Asked by every task under a remote_user keyword: settled once per host and user.
    const asked = `${name}\u0000${remoteUser ?? ""}`;
    let host = this.asked.get(asked);
    if (host) return host;
    const user = this.loginUser(name, remoteUser, playDir);
    const own = this.hosts.get(name);
    if (own?.loginUser === user) {
      host = own;
    } else {
      const key = `${name}\u0000${user}`;
      host = this.extra.get(key) ?? createHostRun(name, this.inventory.hostVars(name, playDir), this.withUser(user), this.secrets, (message) => this.warn(name, message));
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

  private withUser(user: string | undefined): ConnectionDefaults {
    return user === undefined ? this.defaults : { ...this.defaults, user };
  }
}


