/**
 * Per-host fact cache. Several probes asked for at once travel as ONE script on one exec (engine/probe-batch.ts).
 * In check mode, plans predict how facts would
 * look after apply; later tasks read those predictions instead of the real host and are told so.
 */
import { randomBytes } from "node:crypto";
import { sh, type Command } from "./command.js";
import { FactError } from "./errors.js";
import { factKey, type FactDefinition, type FactRequest, type ProbeOutput } from "./facts.js";
import { batchJobs, batchScript, splitBatchOutput } from "./probe-batch.js";

export type ProbeRunner = (command: Command) => Promise<{ code: number; stdout: string; stderr: string }>;

interface Entry {
  value: unknown;
  /** Set when the value is a check-mode prediction, not read from the host. */
  predicted: boolean;
}

export class FactCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly host: string,
    private readonly runProbe: ProbeRunner,
  ) {}

  /** Reads facts (from cache, else in one batched probe). `onPredicted` is told when a value was predicted. */
  async get(requests: readonly FactRequest[], onPredicted?: (factName: string) => void): Promise<unknown[]> {
    const missing: FactRequest[] = [];
    const seen = new Set<string>();
    for (const request of requests) {
      const key = factKey(request.fact.name, request.args);
      if (!this.entries.has(key) && !this.inFlight.has(key) && !seen.has(key)) {
        missing.push(request);
        seen.add(key);
      }
    }
    if (missing.length > 0) {
      const batch = this.probe(missing);
      missing.forEach((request, i) => {
        const key = factKey(request.fact.name, request.args);
        const one = batch.then((values) => values[i]);
        this.inFlight.set(key, one);
        void one.then(
          (value) => {
            this.entries.set(key, { value, predicted: false });
            this.inFlight.delete(key);
          },
          () => this.inFlight.delete(key),
        );
      });
    }
    return Promise.all(
      requests.map(async (request) => {
        const key = factKey(request.fact.name, request.args);
        const entry = this.entries.get(key);
        if (entry) {
          if (entry.predicted) onPredicted?.(request.fact.name);
          return entry.value;
        }
        return this.inFlight.get(key);
      }),
    );
  }

  /**
   * Probes, in one round trip, every fact not cached yet. A probe whose output does not parse is left uncached,
   * so the task that needs it probes again and reports the error where it belongs.
   */
  async prefetch(requests: readonly FactRequest[]): Promise<void> {
    const missing = new Map<string, FactRequest>();
    for (const request of requests) {
      const key = factKey(request.fact.name, request.args);
      if (!this.entries.has(key) && !this.inFlight.has(key)) missing.set(key, request);
    }
    if (missing.size === 0) return;
    const wanted = [...missing];
    const outputs = await this.batch(wanted.map(([, r]) => r));
    wanted.forEach(([key, request], i) => {
      const output = outputs[i];
      if (!output || this.entries.has(key)) return;
      try {
        this.entries.set(key, { value: request.fact.parse(output, request.args), predicted: false });
      } catch {
        // left for the task itself to probe and report
      }
    });
  }

  /** Whether a --check run planned a change on this host that it did not make (ModuleContext.changesPlanned). */
  changesPlanned = false;

  /** Records a check-mode prediction of what a fact would be after an earlier task's apply. */
  predict(fact: FactDefinition<unknown, unknown>, args: unknown, value: unknown): void {
    this.entries.set(factKey(fact.name, args), { value, predicted: true });
  }

  /** Forgets one fact, so the next read probes the host (setup: facts asked for again are read again). */
  forget(fact: FactDefinition<unknown, unknown>, args: unknown): void {
    this.entries.delete(factKey(fact.name, args));
  }

  /** Forgets everything: after a real change, any fact may be stale. */
  invalidate(): void {
    this.entries.clear();
  }

  private async probe(requests: readonly FactRequest[]): Promise<unknown[]> {
    const batched = requests.length > 1 ? await this.batch(requests) : [];
    return Promise.all(
      requests.map(async (request, i) => {
        // A lone request, or one a combined probe could not answer (FactDefinition.many), is asked on its own.
        const output = batched[i] ?? (await this.single(request.fact.command(request.args)));
        try {
          return request.fact.parse(output, request.args);
        } catch (error) {
          if (error instanceof FactError) throw error;
          throw new FactError(`cannot parse ${request.fact.name}: ${String(error)}; output: ${output.stdout.slice(0, 300)}`, {
            host: this.host,
          }, { cause: error });
        }
      }),
    );
  }

  private async single(command: Command): Promise<ProbeOutput> {
    const result = await this.runProbe(sh`${command} 2>/dev/null`);
    return { stdout: result.stdout, code: result.code };
  }

  /**
   * One script for all probes (engine/probe-batch.ts), one output per request: undefined where a combined
   * probe's output could not be split.
   */
  private async batch(requests: readonly FactRequest[]): Promise<(ProbeOutput | undefined)[]> {
    const jobs = batchJobs(requests);
    const nonce = randomBytes(6).toString("hex");
    const result = await this.runProbe(batchScript(jobs.map((job) => job.command), nonce));
    const jobOutputs = splitBatchOutput(result.stdout, nonce, jobs.length, this.host);
    const outputs: (ProbeOutput | undefined)[] = requests.map(() => undefined);
    jobs.forEach((job, i) => {
      const output = jobOutputs[i];
      const split = output === undefined ? undefined : job.split(output);
      job.indices.forEach((index, j) => (outputs[index] = split?.[j]));
    });
    return outputs;
  }
}
