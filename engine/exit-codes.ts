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

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
