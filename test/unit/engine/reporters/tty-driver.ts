/**
 * Run inside a pseudo-terminal by tty.test.ts: feeds the recorded run to the reporter the CLI picks on a
 * terminal. With REMS_TEST_BREAK_LISTR=1, listr2 fails on its second task tree (a root Listr run), to exercise the plain fallback.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Listr } from "listr2";
import { createReporter } from "../../../../engine/reporters/create-reporter.js";
import { recordedRun } from "./events.js";

if (process.env.REMS_TEST_BREAK_LISTR === "1") {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- wrapped and called with its own `this` below
  const run = Listr.prototype.run;
  let trees = 0;
  Listr.prototype.run = function (this: Listr, ...args: Parameters<typeof run>) {
    if (this.isRoot()) trees++;
    return this.isRoot() && trees === 2 ? Promise.reject(new Error("simulated listr2 failure")) : run.apply(this, args);
  };
}

const reporter = await createReporter("tty", { verbosity: 0, diff: true, out: process.stdout, err: process.stderr });
for (const event of recordedRun()) {
  reporter.onEvent(event);
  // Let the trees draw between events, as they do during a real run.
  await sleep(20);
}
await reporter.close();
