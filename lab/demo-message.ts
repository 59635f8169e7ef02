/** What the demo tells the user once the deploy has run: how to reach the app, audit it, and stop the hosts. */
import { relative } from "node:path";
import { quote } from "../engine/command.js";
import { binPath, packageRoot } from "../engine/package-root.js";
import type { DemoStack } from "./demo-stacks.js";

export interface DemoOutcome {
  stack: DemoStack;
  lab: string;
  /** The lab's hosts by name; the first is the web host. */
  hosts: readonly { name: string; address: string }[];
  inventoryPath: string;
  exitCode: number;
}

export function demoMessage(outcome: DemoOutcome): string {
  const { stack } = outcome;
  const labFlag = outcome.lab === "default" ? "" : ` --lab ${outcome.lab}`;
  const [web] = outcome.hosts;
  const host = web?.name ?? "lab1";
  const address = web?.address ?? "";
  const where = outcome.hosts.map((h) => `${h.name} (${h.address})`).join(", ");
  const head =
    outcome.exitCode === 0
      ? `${stack.app[0]?.toUpperCase() ?? ""}${stack.app.slice(1)} is deployed on lab ${outcome.hosts.length === 1 ? "host" : "hosts"} ${where}; the recap above is rems-play's.`
      : `The deploy failed (rems-play exit code ${outcome.exitCode}); lab ${outcome.hosts.length === 1 ? "host" : "hosts"} ${where} stay up for a look.`;
  const audit = [relative(packageRoot, binPath), stack.args[0] ?? "", "-i", outcome.inventoryPath, ...stack.args.slice(1), "--check", "--diff"].map(quote).join(" ");
  return [
    head,
    `  open the app:  curl -k https://${address}/`,
    `  health:        curl -k https://${address}/health`,
    `  audit it:      ${audit}`,
    ...stack.notes(outcome.hosts.map((h) => h.name)),
    `  log in:        npm run lab -- ssh ${host}${labFlag}`,
    `  stop it:       npm run lab -- down${labFlag}`,
    "",
  ].join("\n");
}
