/**
 * Warnings of the tools a task runs, read from their stderr by each tool's own convention, so that a deploy that
 * works today but will not on the next release (nginx's deprecated `listen ... http2`, a unit key systemd ignores)
 * is seen in the recap and the report instead of scrolling by unread. Only lines a tool marks as a warning count:
 * anything else on stderr is output, as in Ansible.
 */

const WARNING_LINES: readonly RegExp[] = [
  // nginx -t: "nginx: [warn] ..." or, from the error log, "2026/12/06 08:47:11 [warn] 1710#1710: ...".
  /\[warn\]/,
  // apt-get ("W: ...") and dpkg ("dpkg: warning: ...").
  /^W: /,
  /^dpkg: warning: /,
  // systemd-analyze verify: "/etc/systemd/system/x.service:12: Unknown key name ...", a unit file's line.
  /^\S+\.(service|socket|timer|path|mount|target):\d+: /,
  // The common "warning: ...", "Warning: ..." (systemctl: a unit file changed on disk), "WARNING: ..." (pip).
  /^warning: /i,
];

/** nginx's error-log prefix: the time and the process; the rest says what is wrong. */
const NGINX_LOG_PREFIX = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d (\[warn\]) \d+#\d+: /;

/** The warning lines of a command's STDERR, each trimmed (and without nginx's time and pid). */
export function toolWarnings(stderr: string): string[] {
  return stderr
    .split("\n")
    .map((line) => line.trim().replace(NGINX_LOG_PREFIX, "nginx: $1 "))
    .filter((line) => WARNING_LINES.some((pattern) => pattern.test(line)));
}
