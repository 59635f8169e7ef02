/**
 * pause: Ansible's pause, as Ansible runs it without a terminal to read from (rems-play's tasks read no input): a
 * pause of `seconds` or `minutes` waits that long, in check mode too; a `prompt` with neither is shown as a
 * warning and not waited for. The wait is a `sleep` on the host, so the prefetch pass, which runs no command,
 * never waits. It never changes anything.
 */
import { sh } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";

export interface Args {
  seconds?: number | string;
  minutes?: number | string;
  prompt?: string;
  echo?: boolean;
}

/** Ansible's int(): a whole number, given as a number or a string. */
function whole(name: string, value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === "number" ? value : /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number)) throw new ModuleError(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  return number;
}

/** Python's str(round(x, 2)): "2.0", "0.03". */
function pyFloat(x: number): string {
  const rounded = Math.round(x * 100) / 100;
  return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  if (args.seconds !== undefined && args.minutes !== undefined) throw new ModuleError("parameters are mutually exclusive: minutes|seconds");
  const minutes = whole("minutes", args.minutes);
  const seconds = minutes === undefined ? whole("seconds", args.seconds) : minutes * 60;
  const start = new Date();
  const base = { user_input: "", echo: args.echo ?? true, start: start.toISOString() };
  if (seconds === undefined) {
    ctx.warn(`Not waiting for response to prompt as stdin is not interactive${args.prompt === undefined ? "" : `: ${args.prompt}`}`);
    return { changed: false, reason: "no terminal to wait for an answer from", output: { ...base, stop: start.toISOString(), delta: 0, stdout: `Paused for ${pyFloat(0)} seconds` } };
  }
  // Ansible waits at least a second.
  const wait = Math.max(seconds, 1);
  await ctx.run(sh`sleep ${wait}`);
  const stop = new Date();
  const elapsed = (stop.getTime() - start.getTime()) / 1000;
  const stdout = minutes === undefined ? `Paused for ${pyFloat(elapsed)} seconds` : `Paused for ${pyFloat(elapsed / 60)} minutes`;
  return { changed: false, reason: `paused for ${wait} seconds`, output: { ...base, stop: stop.toISOString(), delta: Math.floor(elapsed), stdout } };
}

export default defineModule<Args>({
  name: "pause",
  description: "Wait for some seconds or minutes (Ansible's pause, without a terminal to prompt on)",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      seconds: { type: ["integer", "string"], description: "Seconds to wait (at least one); not with `minutes`." },
      minutes: { type: ["integer", "string"], description: "Minutes to wait; not with `seconds`." },
      prompt: { type: "string", description: "A question for the user: rems-play reads no input, so with neither seconds nor minutes it is shown as a warning and not waited for." },
      echo: { type: "boolean", default: true, description: "Accepted for Ansible's roles (whether typed input is shown); returned as `echo`." },
    },
  },
  examples: ["- pause: { seconds: 10 }", "- pause: { minutes: 1, prompt: let the cluster settle }"],
  capabilities: { diff: false, idempotent: true },
  check,
});
