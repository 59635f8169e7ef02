/**
 * `npm run lab -- up [N] | down | status | inventory | ssh NAME [COMMAND]`, each with `--lab NAME` (default
 * "default"). Progress goes to stderr; what a script may read (inventory, status) goes to stdout.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { RemsError } from "../engine/errors.js";
import { labDown, labStatus, labUp } from "./lab.js";
import { LabError } from "./lab-error.js";
import { keyPath, labPaths } from "./paths.js";
import { checkRelease, DEFAULT_RELEASE, RELEASES } from "./release.js";
import { sshArgs } from "./ssh.js";
import { labNames } from "./state.js";

const USAGE = `usage: npm run lab -- <command> [--lab NAME]
  up [N] [--release R] boot N lab hosts (default 1) of Debian release R (${RELEASES.join(" or ")}, default ${DEFAULT_RELEASE}),
                       replacing the lab's earlier hosts
  down                 power the lab's hosts off and remove everything up added
  status               list labs and their hosts (all labs unless --lab is given)
  inventory            print the lab's inventory file
  ssh NAME [COMMAND]   log in to a lab host as root (or run COMMAND there)`;

const log = (line: string): void => {
  process.stderr.write(`lab: ${line}\n`);
};

function statusText(lab: string): string {
  const status = labStatus(lab);
  if (status === undefined) return `lab "${lab}": not up\n`;
  const lines = status.hosts.map((host) => `  ${host.name}  ${host.address}  ${host.running ? "running" : "stopped"}`);
  return [`lab "${lab}" (${status.release}):`, ...lines, `  inventory: ${status.inventoryPath ?? "(not written: the boot did not finish)"}`].join("\n") + "\n";
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { lab: { type: "string" }, release: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  const [command, ...rest] = positionals;
  const lab = values.lab ?? "default";
  if (values.help === true || command === undefined) {
    process.stdout.write(USAGE + "\n");
    return command === undefined && values.help !== true ? 2 : 0;
  }
  switch (command) {
    case "up": {
      const count = Number(rest[0] ?? "1");
      const started = Date.now();
      const release = checkRelease(values.release ?? DEFAULT_RELEASE);
      const result = await labUp(lab, count, { log, release });
      log(`${result.hosts.length} host${result.hosts.length === 1 ? "" : "s"} up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      process.stdout.write(`${statusText(lab)}  log in: npm run lab -- ssh ${result.hosts[0]?.name ?? "lab1"}${lab === "default" ? "" : ` --lab ${lab}`}\n`);
      return 0;
    }
    case "down":
      await labDown(lab, { log });
      log(`lab "${lab}" is down`);
      return 0;
    case "status": {
      const labs = values.lab === undefined ? labNames() : [lab];
      process.stdout.write(labs.length === 0 ? "no lab is up\n" : labs.map(statusText).join(""));
      return 0;
    }
    case "inventory": {
      const path = labPaths(lab).inventory;
      if (!existsSync(path)) throw new LabError(`lab "${lab}" is not up: run npm run lab -- up`);
      process.stdout.write(readFileSync(path, "utf8"));
      return 0;
    }
    case "ssh": {
      const [name, ...words] = rest;
      const host = labStatus(lab)?.hosts.find((h) => h.name === name);
      if (host === undefined) throw new LabError(`lab "${lab}" has no host ${JSON.stringify(name ?? "")}: see npm run lab -- status`);
      const target = { address: host.address, keyPath, knownHostsPath: labPaths(lab).knownHosts };
      const args = sshArgs(target, words.length > 0 ? words.join(" ") : undefined);
      const result = spawnSync("ssh", words.length > 0 ? args : ["-t", ...args], { stdio: "inherit" });
      return result.status ?? 1;
    }
    default:
      process.stderr.write(`unknown command ${JSON.stringify(command)}\n${USAGE}\n`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`lab: ${error instanceof RemsError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
