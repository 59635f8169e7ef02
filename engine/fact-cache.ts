/**
 * Per-host fact cache. Several probes asked for at once travel as ONE script on one exec, separated by markers
 * (issue 7: 50 probes as one exec cost about a fifth of 50 execs). In check mode, plans predict how facts would
 * look after apply; later tasks read those predictions instead of the real host and are told so.
 */
import { randomBytes } from "node:crypto";
import { Command, raw, sh } from "./command.js";
import { FactError } from "./errors.js";
import { factKey, type FactDefinition, type FactRequest, type ProbeOutput } from "./facts.js";

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
    const outputs = await this.batch(wanted.map(([, r]) => r.fact.command(r.args)));
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

  /** Records a check-mode prediction of what a fact would be after an earlier task's apply. */
  predict(fact: FactDefinition<unknown, unknown>, args: unknown, value: unknown): void {
    this.entries.set(factKey(fact.name, args), { value, predicted: true });
  }

  /** Forgets everything: after a real change, any fact may be stale. */
  invalidate(): void {
    this.entries.clear();
  }

  private async probe(requests: readonly FactRequest[]): Promise<unknown[]> {
    const commands = requests.map((r) => r.fact.command(r.args));
    const outputs = commands.length === 1 && commands[0] ? [await this.single(commands[0])] : await this.batch(commands);
    return requests.map((request, i) => {
      const output = outputs[i];
      if (!output) throw new FactError(`probe ${request.fact.name} produced no output`, { host: this.host });
      try {
        return request.fact.parse(output, request.args);
      } catch (error) {
        if (error instanceof FactError) throw error;
        throw new FactError(`cannot parse ${request.fact.name}: ${String(error)}; output: ${output.stdout.slice(0, 300)}`, {
          host: this.host,
        }, { cause: error });
      }
    });
  }

  private async single(command: Command): Promise<ProbeOutput> {
    const result = await this.runProbe(sh`${command} 2>/dev/null`);
    return { stdout: result.stdout, code: result.code };
  }

  /**
   * One script for all probes. They run side by side (each into its own file of a private temporary directory),
   * so the batch takes as long as its slowest probe (ufw and apt-cache take a few hundred ms), then their outputs
   * are printed in order between markers.
   */
  private async batch(commands: readonly Command[]): Promise<ProbeOutput[]> {
    const nonce = randomBytes(6).toString("hex");
    const start = commands.map((command, i) => sh`{ ( ${command} ) >"$d/${raw(String(i))}" 2>/dev/null </dev/null; echo $? >"$d/${raw(String(i))}.rc"; } &`);
    const print = commands.map(
      (_, i) => sh`printf '%s\n' ${`--rems-${nonce}-${i}--`}; cat "$d/${raw(String(i))}"; printf '\n--rems-${raw(nonce)}-rc %s--\n' "$(cat "$d/${raw(String(i))}.rc")"`,
    );
    const parts = [sh`d=$(mktemp -d) || exit 1; trap 'rm -rf "$d"' EXIT`, ...start, sh`wait`, ...print];
    const script = new Command(parts.map((p) => p.text).join("\n"), parts.map((p) => p.display).join("\n"));
    const result = await this.runProbe(script);
    return splitBatchOutput(result.stdout, nonce, commands.length, this.host);
  }
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
