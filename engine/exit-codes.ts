/** Process exit codes of the CLI, documented in the README (Ansible's numbers where Ansible has one). */
export const ExitCode = {
  ok: 0,
  /** One or more hosts failed a task. */
  hostFailed: 2,
  /** One or more hosts were unreachable (and none failed). */
  hostUnreachable: 3,
  /** Invalid input: playbook, inventory, role variables or command-line options. Nothing was contacted. */
  invalidInput: 4,
  /** Interrupted by SIGINT/SIGTERM. */
  interrupted: 99,
  /** A bug in rems-play. */
  internal: 250,
} as const;

/** Exit codes with --detailed-exitcode: what an audit (--check) found. Invalid input and interrupts keep theirs. */
export const AuditExitCode = {
  /** Every host matches the playbook. */
  noDrift: 0,
  /** At least one host differs (drift or a pending change). */
  drift: 10,
  /** No difference found, but some results could not be known in check mode. */
  unknown: 11,
  /** A host failed or was unreachable: the audit is incomplete. */
  hostFailed: 12,
  /** No difference found, but a warning finding (a certificate about to expire, an old backup: a task tagged `finding`). */
  warning: 13,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode] | (typeof AuditExitCode)[keyof typeof AuditExitCode];
