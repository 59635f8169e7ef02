/**
 * The reporter seam (zx LogEntry + formatters): the engine emits RunEvents, engine/cli.ts hands them to the
 * reporter that create-reporter.ts made. The engine never imports a reporter.
 */
import type { RunEvent } from "../events.js";

export interface Reporter {
  /** Renders one event; never throws and never blocks the run. */
  onEvent(e: RunEvent): void;
  /** Finishes rendering (stops spinners, prints the recap if none came) and flushes the output. */
  close(): Promise<void>;
}

export interface ReporterOptions {
  /** Count of -v: 1 shows no-op and skip reasons, 2 commands and task paths, 3 connections. */
  verbosity: number;
  /** --diff: show the diffs carried by results. */
  diff: boolean;
  out: NodeJS.WritableStream;
  /** Diagnostics of the reporter itself (the TTY reporter falling back to plain lines). */
  err: NodeJS.WritableStream;
}
