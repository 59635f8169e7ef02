/**
 * The reporter seam (zx LogEntry + formatters): the engine emits RunEvents, engine/cli.ts hands them to the one
 * reporter it created here. The engine never imports a reporter.
 */
import { WriteStream } from "node:tty";
import type { RunEvent } from "../events.js";
import { JsonReporter } from "./json.js";
import { PlainReporter } from "./plain.js";

export interface Reporter {
  /** Renders one event; never throws and never blocks the run. */
  onEvent(e: RunEvent): void;
  /** Finishes rendering (stops spinners, prints the recap if none came) and flushes the output. */
  close(): Promise<void>;
}

export type ReporterKind = "tty" | "plain" | "json";

export interface ReporterOptions {
  /** Count of -v: 1 shows no-op and skip reasons, 2 commands and task paths, 3 connections. */
  verbosity: number;
  /** --diff: show the diffs carried by results. */
  diff: boolean;
  out: NodeJS.WritableStream;
  /** Diagnostics of the reporter itself (the TTY reporter falling back to plain lines). */
  err: NodeJS.WritableStream;
}

/**
 * A "tty" reporter on a stream that is not a terminal renders plain lines instead (no escape codes in logs).
 * listr2 and ora are loaded only for a terminal: runs in CI and scripts do not pay for them at start-up.
 */
export async function createReporter(kind: ReporterKind, options: ReporterOptions): Promise<Reporter> {
  switch (kind) {
    case "json":
      return new JsonReporter(options);
    case "plain":
      return new PlainReporter(options);
    case "tty": {
      if (!(options.out instanceof WriteStream)) return new PlainReporter(options);
      const { TtyReporter } = await import("./tty.js");
      return new TtyReporter({ ...options, out: options.out });
    }
  }
}

/** Several reporters as one (the console, and the audit report file). */
export function combineReporters(reporters: readonly Reporter[]): Reporter {
  return {
    onEvent: (e) => {
      for (const reporter of reporters) reporter.onEvent(e);
    },
    close: async () => {
      await Promise.all(reporters.map((reporter) => reporter.close()));
    },
  };
}
