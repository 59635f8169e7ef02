/**
 * `npm run demo [-- --stack rems|noctis] [--lab NAME] [--release trixie]`: boots the stack's lab hosts (REMS: one,
 * in lab "demo"; the Noctis stack: three, in lab "demo-noctis"; NAME instead, so that two people on one machine can
 * each have theirs; Debian 12 unless another release is asked for), deploys the stack to them with its playbook, and
 * says how to reach the app. The hosts stay up so the user can try them; `npm run lab -- down --lab NAME` stops
 * them.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { RemsError } from "../engine/errors.js";
import { binPath, packageRoot } from "../engine/package-root.js";
import { demoMessage } from "./demo-message.js";
import { demoStack } from "./demo-stacks.js";
import { labUp } from "./lab.js";
import { LabError } from "./lab-error.js";
import { checkLabName } from "./paths.js";
import { checkRelease, DEFAULT_RELEASE } from "./release.js";

function runEngine(inventoryPath: string, args: readonly string[]): Promise<number> {
  if (!existsSync(binPath)) throw new LabError(`${binPath} is missing: build the project first (npm run build)`);
  return new Promise((done, fail) => {
    const child = spawn(binPath, [args[0] ?? "", "-i", inventoryPath, ...args.slice(1)], { cwd: packageRoot, stdio: "inherit" });
    child.on("error", fail);
    child.on("close", (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { stack: { type: "string", default: "rems" }, lab: { type: "string" }, release: { type: "string", default: DEFAULT_RELEASE } },
  });
  const stack = demoStack(values.stack);
  const lab = checkLabName(values.lab ?? stack.lab);
  const up = await labUp(lab, stack.hosts, { log: (line) => process.stderr.write(`lab: ${line}\n`), release: checkRelease(values.release) });
  const hosts = up.hosts.map((h) => ({ name: h.name, address: h.address }));
  process.stderr.write(`lab: deploying ${stack.app} to ${hosts.map((h) => `${h.name} (${h.address})`).join(", ")} with ${stack.args[0] ?? ""}\n`);
  const exitCode = await runEngine(up.inventoryPath, stack.args);
  process.stdout.write("\n" + demoMessage({ stack, lab, hosts, inventoryPath: up.inventoryPath, exitCode }));
  return exitCode;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`demo: ${error instanceof RemsError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
