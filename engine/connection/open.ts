/**
 * The one place a connection is chosen from its settings.
 */

import type { Connection, ConnectionSpec } from "./connection.js";
import { LocalConnection } from "./local.js";
import { SshConnection } from "./ssh.js";

/** A connection for `spec`, not yet connected: connect() (or the first exec) opens it. */
export function openConnection(spec: ConnectionSpec): Connection {
  return spec.type === "local" ? new LocalConnection(spec) : new SshConnection(spec);
}
