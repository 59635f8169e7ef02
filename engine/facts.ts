/**
 * Facts are read-only probes: a command plus a pure parser (pyinfra FactBase). Modules ask for them through
 * ModuleContext.fact(); the engine caches them per host and batches several probes into one exec.
 */
import { raw, type Command } from "./command.js";

export interface ProbeOutput {
  stdout: string;
  /** Exit code of the probe command; facts decide what a non-zero code means (often "absent"). */
  code: number;
}

export interface FactDefinition<T, A> {
  /** Unique snake_case name, used in cache keys, fixtures and messages. */
  name: string;
  /** The probe. Must not change anything on the host. Its stderr is discarded. */
  command(args: A): Command;
  /** Pure: turns the probe's output into the fact. Throws FactError on output it does not understand. */
  parse(output: ProbeOutput, args: A): T;
  /**
   * Optional, for facts often wanted many times at once (a stat per path, a `systemctl show` per unit): one
   * command answering several argument sets, so the host starts one process instead of one each. `split` cuts
   * its output back into what `command` would have printed for each set, and throws when it cannot (a file
   * removed meanwhile); those facts are then probed one by one.
   */
  many?: ManyProbe<A>;
  /**
   * The answer depends on who asks (whether a file is readable): a task that runs as another user than the
   * probes (its become_user) probes it itself, as that user, uncached, instead of reading the host's cache.
   */
  perUser?: boolean;
}

export interface ManyProbe<A> {
  /** Argument sets with different groups never share a command (default: all share). */
  group?(args: A): string;
  command(args: readonly A[]): Command;
  /** Pure: one output per argument set, in order. */
  split(output: ProbeOutput, args: readonly A[]): ProbeOutput[];
}

export function defineFact<T, A>(fact: FactDefinition<T, A>): FactDefinition<T, A> {
  return fact;
}

/** One fact wanted with its arguments, for batched prefetching. */
export interface FactRequest<T = unknown, A = unknown> {
  fact: FactDefinition<T, A>;
  args: A;
}

export function factKey(name: string, args: unknown): string {
  return `${name}:${JSON.stringify(args)}`;
}

/**
 * Defines `show FILE` for a probe: it prints a small text file with the shell's own `read`, so no process starts
 * (on a host answering many probes, starting processes costs more than reading). A last line without its newline
 * gets one.
 */
export const SHOW_FILE = raw(`show() { while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done < "$1"; }`);
