/**
 * How several fact probes travel as one script on one exec (issue 7: 50 probes as one exec cost about a fifth of
 * 50 execs), and how its output is cut back into one output per probe. Pure: the FactCache runs the script.
 */
import { Command, raw, sh } from "./command.js";
import { FactError } from "./errors.js";
import type { FactDefinition, FactRequest, ProbeOutput } from "./facts.js";

/** One command of a batch: the requests (by index) it answers and how to cut its output back per request. */
interface BatchJob {
  indices: number[];
  command: Command;
  /** One output per request, or undefined when the combined output could not be cut apart. */
  split(output: ProbeOutput): (ProbeOutput | undefined)[] | undefined;
}

/** Groups requests of facts that can answer many at once (FactDefinition.many); the rest run one each. */
export function batchJobs(requests: readonly FactRequest[]): BatchJob[] {
  const groups = new Map<string, { fact: FactDefinition<unknown, unknown>; indices: number[]; args: unknown[] }>();
  requests.forEach((request, index) => {
    const many = request.fact.many;
    const key = many ? `${request.fact.name}\0${many.group?.(request.args) ?? ""}` : `\0${index}`;
    const group = groups.get(key) ?? { fact: request.fact, indices: [], args: [] };
    group.indices.push(index);
    group.args.push(request.args);
    groups.set(key, group);
  });
  return [...groups.values()].map(({ fact, indices, args }): BatchJob => {
    const many = fact.many;
    if (!many || args.length === 1) return { indices, command: fact.command(args[0]), split: (output) => [output] };
    return {
      indices,
      command: many.command(args),
      split: (output) => {
        try {
          return many.split(output, args);
        } catch {
          return undefined;
        }
      },
    };
  });
}

/** From this many probes on they run side by side; fewer (the run record and the facts) run one after the other. */
const SIDE_BY_SIDE_FROM = 3;

/**
 * The commands run side by side, each writing its framed output into its own file of a private temporary
 * directory, so the batch takes as long as its slowest probe; one `cat` then prints them in order. Nothing else
 * starts a process per probe: on a host answering many probes those processes cost more than the probes. Each
 * probe runs in a subshell of its own (its `&` makes one), and an EXIT trap there prints its status, also when it
 * calls `exit` (a probe must not set an EXIT trap of its own: its output would then count as incomplete). Below
 * SIDE_BY_SIDE_FROM probes, the directory, `cat` and `rm` would cost the host more than the overlap saves: the
 * probes then run one after the other, in `( )` subshells, straight to the output.
 */
export function batchScript(commands: readonly Command[], nonce: string): Command {
  const framed = (command: Command, i: number): Command =>
    sh`trap ${`printf '\n--rems-${nonce}-rc %s--\n' "$?"`} EXIT; printf '%s\n' ${`--rems-${nonce}-${i}--`}; ${command}
`;
  let parts: Command[];
  if (commands.length < SIDE_BY_SIDE_FROM) {
    parts = commands.map((command, i) => sh`(${framed(command, i)}) 2>/dev/null </dev/null`);
  } else {
    const start = commands.map((command, i) => sh`{ ${framed(command, i)}} 2>/dev/null </dev/null >"$d/${raw(String(i))}" &`);
    const files = commands.map((_, i) => `"$d/${i}"`).join(" ");
    parts = [sh`d=$(mktemp -d) || exit 1; trap 'rm -rf "$d"' EXIT`, ...start, sh`wait; cat ${raw(files)}`];
  }
  return new Command(parts.map((p) => p.text).join("\n"), parts.map((p) => p.display).join("\n"));
}

/** Splits the output of a batched probe script back into one output per probe (pure; unit-tested). */
export function splitBatchOutput(stdout: string, nonce: string, count: number, host: string): ProbeOutput[] {
  const outputs: ProbeOutput[] = [];
  let rest = stdout;
  for (let i = 0; i < count; i++) {
    const start = `--rems-${nonce}-${i}--\n`;
    const startAt = rest.indexOf(start);
    const endMatch = new RegExp(`\\n--rems-${nonce}-rc (\\d+)--\\n`).exec(rest.slice(startAt + start.length));
    if (startAt < 0 || !endMatch) throw new FactError(`batched probe output is incomplete at probe ${i + 1} of ${count}`, { host });
    const body = rest.slice(startAt + start.length);
    outputs.push({ stdout: body.slice(0, endMatch.index), code: Number(endMatch[1]) });
    rest = body.slice(endMatch.index + endMatch[0].length);
  }
  return outputs;
}
