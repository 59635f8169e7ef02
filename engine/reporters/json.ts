/** --json: exactly one RunEvent per line on `out`, and nothing else (machines parse it line by line). */
import type { RunEvent } from "../events.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { flush, toJson } from "./text.js";

export class JsonReporter implements Reporter {
  private readonly out: NodeJS.WritableStream;

  constructor(options: Pick<ReporterOptions, "out">) {
    this.out = options.out;
  }

  onEvent(e: RunEvent): void {
    let line: string;
    try {
      line = toJson(e);
    } catch (error) {
      // A circular value in a debug msg must not end the run; the stream stays one JSON event per line.
      const reason = error instanceof Error ? error.message : String(error);
      line = toJson({ type: "warning", message: `a ${e.type} event could not be written as JSON: ${reason}` } satisfies RunEvent);
    }
    this.out.write(`${line}\n`);
  }

  close(): Promise<void> {
    return flush(this.out);
  }
}

