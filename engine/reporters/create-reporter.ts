/**
 * The reporters a run gets: the console's, chosen by kind, and several of them as one. Apart from reporter.ts so
 * that the reporters themselves import the interface without importing each other through it.
 */
import { WriteStream } from "node:tty";
import { JsonReporter } from "./json.js";
import { PlainReporter } from "./plain.js";
import type { Reporter, ReporterOptions } from "./reporter.js";

export type ReporterKind = "tty" | "plain" | "json";

/**
 * A "tty" reporter on a stream that is not a terminal renders plain lines instead (no escape codes in logs).
 * The live view is loaded only for a terminal: runs in CI and scripts do not pay for it at start-up.
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
