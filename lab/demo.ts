/**
 * `npm run demo [-- --lab NAME] [--release trixie]`: boots one lab host (in lab "demo" unless NAME is given, so that
 * two people on one machine can each have theirs; Debian 12 unless another release is asked for), deploys REMS to it with playbooks/site.yml, and says how to reach the app. The host
 * stays up so the user can try it; `npm run lab -- down --lab NAME` stops it.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { RemsError } from "../engine/errors.js";
import { demoMessage } from "./demo-message.js";
import { labUp } from "./lab.js";
import { LabError } from "./lab-error.js";
import { checkLabName } from "./paths.js";
import { checkRelease, DEFAULT_RELEASE } from "./release.js";

/** The repository root (this file is dist/lab/demo.js once built). */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function runEngine(inventoryPath: string): Promise<number> {
  const cli = join(repoRoot, "dist/engine/cli.js");
  if (!existsSync(cli)) throw new LabError(`${cli} is missing: build the project first (npm run build)`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, "playbooks/site.yml", "-i", inventoryPath], { cwd: repoRoot, stdio: "inherit" });
    child.on("error", fail);
    child.on("close", (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { lab: { type: "string", default: "demo" }, release: { type: "string", default: DEFAULT_RELEASE } } });
  const lab = checkLabName(values.lab);
  const up = await labUp(lab, 1, { log: (line) => process.stderr.write(`lab: ${line}\n`), release: checkRelease(values.release) });
  const [host] = up.hosts;
  if (host === undefined) throw new LabError("the demo lab booted no host");
  process.stderr.write(`lab: deploying REMS to ${host.name} (${host.address}) with playbooks/site.yml\n`);
  const exitCode = await runEngine(up.inventoryPath);
  process.stdout.write("\n" + demoMessage({ lab, host: host.name, address: host.address, inventoryPath: up.inventoryPath, exitCode }));
  return exitCode;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`demo: ${error instanceof RemsError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
