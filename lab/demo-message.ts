/** What the demo tells the user once the deploy has run: how to reach the app, audit it, and stop the host. */
import { quote } from "../engine/command.js";

export interface DemoOutcome {
  lab: string;
  host: string;
  address: string;
  inventoryPath: string;
  exitCode: number;
}

export function demoMessage(outcome: DemoOutcome): string {
  const labFlag = outcome.lab === "default" ? "" : ` --lab ${outcome.lab}`;
  const inventory = quote(outcome.inventoryPath);
  const head =
    outcome.exitCode === 0
      ? `REMS is deployed on lab host ${outcome.host} (${outcome.address}); the recap above is rems-play's.`
      : `The deploy failed (rems-play exit code ${outcome.exitCode}); lab host ${outcome.host} (${outcome.address}) stays up for a look.`;
  return [
    head,
    `  open the app:  curl -k https://${outcome.address}/`,
    `  health:        curl -k https://${outcome.address}/health`,
    `  audit it:      node dist/engine/cli.js playbooks/site.yml -i ${inventory} --check --diff`,
    `  log in:        npm run lab -- ssh ${outcome.host}${labFlag}`,
    `  stop it:       npm run lab -- down${labFlag}`,
    "",
  ].join("\n");
}
