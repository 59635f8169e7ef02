/**
 * Run inside a pseudo-terminal by tty.test.ts: feeds the recorded run (or with REMS_TEST_EVENTS=audit the recorded
 * audit) to the reporter the CLI picks on a terminal. With REMS_TEST_BREAK_LIVE=1, the terminal fails on the third write that moves the cursor (the live
 * area's), to exercise the plain fallback; the plain lines that follow move no cursor and get through.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createReporter } from "../../../../engine/reporters/create-reporter.js";
import { recordedAudit } from "./audit-events.js";
import { recordedRun } from "./events.js";

if (process.env.REMS_TEST_BREAK_LIVE === "1") {
  const write = process.stdout.write.bind(process.stdout);
  let moves = 0;
  process.stdout.write = (chunk: string | Uint8Array, ...rest: never[]): boolean => {
    if (String(chunk).includes("\u001b[") && ++moves === 3) throw new Error("simulated terminal failure");
    return write(chunk, ...rest);
  };
}

const reporter = await createReporter("tty", { verbosity: 0, diff: true, out: process.stdout, err: process.stderr });
for (const event of process.env.REMS_TEST_EVENTS === "audit" ? recordedAudit() : recordedRun()) {
  reporter.onEvent(event);
  // Let the live area draw between events, as it does during a real run.
  await sleep(Number(process.env.REMS_TEST_EVENT_MS ?? "20"));
}
await reporter.close();
