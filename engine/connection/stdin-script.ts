/**
 * How a command's text reaches the host's shell: on stdin, never in a command line. A command line is seen by
 * every user (/proc/PID/cmdline, `ps`: sshd's `sh -c`, sudo's own) and sudo logs it to the journal, while the text
 * holds secrets (vaulted values, no_log values, secret-named variables). So the command line is always the fixed
 * READ_SCRIPT (behind sudo's fixed words for become), and the script travels framed ahead of the command's own
 * input: READ_SCRIPT reads exactly the frame and evals the script, whose stdin is whatever follows (a file's
 * bytes, a lock's stream, `stdin:`). No round trip is added: the script goes with the exec, as its input does.
 *
 * Two frames, for speed: a shell reads a pipe one byte per read(2) (so as not to take what is not its own), about
 * half a microsecond a byte. A short script is one line (its newlines turned into a byte it does not hold, turned
 * back by the shell's own field splitting: no process started); a long one is its length then its bytes, taken by
 * one `head -c` (about a millisecond, whatever the length; GNU head reads no further than it is asked).
 */
import { PassThrough, type Readable } from "node:stream";
import { sh } from "../command.js";

/** Up to this many bytes a script travels as one line; beyond, reading it byte by byte costs more than `head -c`. */
export const ONE_LINE_MAX = 2048;

/**
 * Bytes that may stand for a newline in a one-line frame: control bytes that are not IFS white space; never \x01
 * or \x7f, which bash uses internally and mishandles in IFS.
 */
const NEWLINE_STANDINS = Array.from({ length: 0x1f - 0x02 + 1 }, (_, i) => String.fromCharCode(0x1f - i)).filter((c) => c !== "\t" && c !== "\n");

/**
 * Reads one framed script from stdin and evals it (exit 125: no script came). A one-line frame starts with its
 * newline stand-in, a counted frame with a digit. The script finds IFS as a fresh shell has it, no positional
 * parameter and no variable of ours.
 */
export const READ_SCRIPT = [
  "IFS= read -r __rems || exit 125",
  'case $__rems in [0-9]*) __rems=$(head -c "$__rems") ;; *) set -f; IFS=${__rems%"${__rems#?}"}; set -- ${__rems#?}; IFS="\n"; __rems="$*"; set +f; set -- ;; esac',
  "IFS=' \t\n'",
  'eval "unset __rems\n$__rems"',
].join("\n");

/** The framed script, as it goes ahead of the command's input on stdin. */
export function frameScript(script: string): string {
  const standin = Buffer.byteLength(script) <= ONE_LINE_MAX ? NEWLINE_STANDINS.find((c) => !script.includes(c)) : undefined;
  if (standin !== undefined) return standin + script.replaceAll("\n", standin) + "\n";
  return `${Buffer.byteLength(script)}\n${script}`;
}

/**
 * The shell text the host runs for every exec: READ_SCRIPT, or, as another user, `runAs` (sudo's words, which hold
 * no secret) running /bin/sh with READ_SCRIPT.
 */
export function readerCommand(runAs: string | undefined): string {
  return runAs === undefined ? READ_SCRIPT : `${runAs} ${sh`/bin/sh -c ${READ_SCRIPT}`.text}`;
}

/** What an exec writes to stdin: the framed script, then the command's own input (bytes, or a stream piped on). */
export function scriptInput(script: string, stdin: string | Buffer | Readable | undefined): string | Buffer | Readable {
  const frame = frameScript(script);
  if (stdin === undefined) return frame;
  if (typeof stdin === "string") return frame + stdin;
  if (Buffer.isBuffer(stdin)) return Buffer.concat([Buffer.from(frame, "utf8"), stdin]);
  const input = new PassThrough();
  input.write(frame);
  return stdin.pipe(input);
}
