/**
 * Facts are read-only probes: a command plus a pure parser (pyinfra FactBase). Modules ask for them through
 * ModuleContext.fact(); the engine caches them per host and batches several probes into one exec.
 */
import type { Command } from "./command.js";

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
