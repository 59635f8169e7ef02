/**
 * pip: Ansible 2.14's pip module. Named requirements are compared with the pip's `pip list --format=freeze`, so a
 * converged host runs no pip at all and an audit says which package is missing. Unlike Ansible's check mode, which
 * reports a change whenever `extra_args` is given, an audit of named packages reads what is installed; `latest` and
 * `requirements` are `unknown` in an audit (only pip and its index know), and a real run reports a change as
 * Ansible does: pip said "Successfully installed", or the freeze list changed (`requirements`).
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import type { ApplyResult, ChangePlan, ModuleContext, Plan } from "../engine/module-api.js";
import { defineModule } from "../engine/module-api.js";
import { splitWords } from "./command.js";
import { choosePip, PIP_LIST, pipPackagesFact, type PipPackages, type PipPackagesArgs } from "./facts/pip-packages.js";
import { isPresent, parseRequirement, recoverNames, type Requirement } from "./shared/pip-requirement.js";

type State = "present" | "absent" | "latest" | "forcereinstall";

export interface Args {
  name?: string | string[];
  version?: string;
  requirements?: string;
  virtualenv?: string;
  virtualenv_site_packages?: boolean;
  virtualenv_command?: string;
  virtualenv_python?: string;
  extra_args?: string;
  editable?: boolean;
  chdir?: string;
  executable?: string;
  umask?: string;
  state?: State;
}

const STATE_ARGS: Record<State, string[]> = { present: ["install"], absent: ["uninstall", "-y"], latest: ["install", "-U"], forcereinstall: ["install", "-U", "--force-reinstall"] };

/** Handed from check to apply: how to decide the change from pip's output, and the freeze list before. */
interface PipData {
  venvCreated: boolean;
  freezeBefore: string[] | undefined;
  pip: Command;
  listCommand: Command;
}

/** Ansible's setup_virtualenv command: the command, site packages, the python (not for venv/pyvenv), the path. */
function venvCommand(args: Args, env: string): string[] {
  const command = args.virtualenv_command ?? "virtualenv";
  const words = splitWords(command);
  if (args.virtualenv_site_packages === true) words.push("--system-site-packages");
  if (!["pyvenv", "-m venv"].some((form) => command.includes(form))) words.push(`-p${args.virtualenv_python ?? "/usr/bin/python3"}`);
  else if (args.virtualenv_python !== undefined) throw new ModuleError("virtualenv_python should not be used when using the venv module or pyvenv as virtualenv_command");
  return [...words, env];
}

function requirements(args: Args): Requirement[] {
  if (args.name === undefined) return [];
  const packages = recoverNames(typeof args.name === "string" ? [args.name] : args.name).map((text) => parseRequirement(text));
  if (args.version === undefined) return packages;
  const [first] = packages;
  if (packages.length > 1 || first === undefined) throw new ModuleError("'version' argument is ambiguous when installing multiple package distributions. Please specify version restrictions next to each package in 'name' argument.");
  if (first.specs.length > 0) throw new ModuleError("The 'version' argument conflicts with any version specifier provided along with a package name. Please keep the version specifier, but remove the 'version' argument.");
  return [parseRequirement(first.text, args.version)];
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  const state = args.state ?? "present";
  if ((args.name === undefined) === (args.requirements === undefined)) throw new ModuleError("one of the following is required: name, requirements (and not both)");
  if (args.virtualenv !== undefined && args.executable !== undefined) throw new ModuleError("parameters are mutually exclusive: executable|virtualenv");
  if (state === "latest" && args.version !== undefined) throw new ModuleError("version is incompatible with state=latest");
  const umask = args.umask;
  const env = args.virtualenv === undefined ? undefined : args.chdir !== undefined && !args.virtualenv.startsWith("/") ? `${args.chdir}/${args.virtualenv}` : args.virtualenv;
  const packages = requirements(args);
  const where: PipPackagesArgs = env !== undefined ? { virtualenv: env } : args.executable !== undefined ? { executable: args.executable } : {};
  const installed: PipPackages = await ctx.fact(pipPackagesFact, where);
  if (installed.state === "nopip") {
    throw new ModuleError(env !== undefined ? `Unable to find pip in the virtualenv, ${env}, under any of these names: pip3, pip. Make sure pip is present in the virtualenv.` : `Unable to find any of ${args.executable ?? "pip3"} to use.  pip needs to be installed.`);
  }
  const venvCreated = installed.state === "novenv";
  const freeze = installed.state === "ok" ? installed.freeze : [];

  const extra = [...(args.extra_args === undefined ? [] : splitWords(args.extra_args))];
  if (args.editable === true && !extra.includes("-e")) extra.push("-e");
  const targets = args.requirements !== undefined ? ["-r", args.requirements] : packages.map((p) => p.text);
  const cwd = args.chdir ?? "/tmp";
  const prefix = sh`cd ${cwd} && ${umask === undefined ? sh`:` : sh`umask ${umask}`} && ${env === undefined ? sh`:` : sh`PATH=${`${env}/bin`}:"$PATH"`} && ${choosePip(where)}`;
  const pipRun = sh`${prefix} && run_pip ${[...STATE_ARGS[state], ...extra, ...targets]}`;
  const listCommand = sh`${prefix} && ${PIP_LIST}`;
  const commands: Command[] = venvCreated && env !== undefined ? [sh`cd ${cwd} && ${umask === undefined ? sh`:` : sh`umask ${umask}`} && ${venvCommand(args, env)}`, pipRun] : [pipRun];
  const what = args.requirements !== undefined ? `the requirements of ${args.requirements}` : targets.join(", ");
  const inVenv = env === undefined ? "" : ` in ${env}`;
  const output = { name: args.name === undefined ? null : typeof args.name === "string" ? [args.name] : args.name, version: args.version ?? null, state, requirements: args.requirements ?? null, virtualenv: env ?? null };
  const data = (freezeBefore?: string[]): PipData => ({ venvCreated, freezeBefore, pip: pipRun, listCommand });
  const plan = (summary: string, freezeBefore?: string[]): ChangePlan => ({ changed: true, summary: `${venvCreated ? `create the virtualenv ${env ?? ""}; ` : ""}${summary}`, commands, output, data: data(freezeBefore) });

  if (venvCreated) return plan(`${state === "absent" ? "uninstall" : "install"} ${what}${inVenv}`);
  if (state === "present" || state === "absent") {
    if (args.requirements === undefined) {
      const wrong = packages.filter((p) => isPresent(p, freeze) !== (state === "present"));
      if (wrong.length === 0) return { changed: false, reason: `${what} ${packages.length === 1 ? "is" : "are"} ${state === "present" ? "installed" : "not installed"}${inVenv}`, output };
      return plan(`${state === "present" ? "install" : "uninstall"} ${wrong.map((p) => p.text).join(", ")}${inVenv}`);
    }
  }
  if (state === "forcereinstall") return plan(`reinstall ${what}${inVenv}`);
  if (ctx.checkMode) return { changed: "unknown", reason: `whether pip would ${state === "latest" ? "upgrade" : state === "absent" ? "uninstall" : "install"} ${what}${inVenv} is known only when it runs` };
  return plan(`${state === "latest" ? "upgrade" : state === "absent" ? "uninstall" : "install"} ${what}${inVenv}`, args.requirements !== undefined ? freeze : undefined);
}

async function apply(ctx: ModuleContext, args: Args, plan: ChangePlan): Promise<ApplyResult> {
  const data = plan.data as PipData;
  const state = args.state ?? "present";
  let stdout = "";
  let stderr = "";
  for (const command of plan.commands) {
    const result = await ctx.run(command, { okCodes: command === data.pip && state === "absent" ? [0, 1] : [0] });
    stdout += result.stdout;
    stderr += result.stderr;
    // pip exits 1 uninstalling what is not installed; anything else with 1 is a failure, as in Ansible.
    if (result.code === 1 && !`${result.stdout}${result.stderr}`.includes("not installed")) throw new ModuleError(`stdout: ${result.stdout}\n:stderr: ${result.stderr}`);
  }
  let changed: boolean;
  if (state === "absent") changed = stdout.includes("Successfully uninstalled");
  else if (data.freezeBefore === undefined) changed = stdout.includes("Successfully installed");
  else changed = (await ctx.run(data.listCommand)).stdout.split("\n").filter((l) => l !== "").join("\n") !== data.freezeBefore.join("\n");
  return { changed: changed || data.venvCreated, output: { ...plan.output, cmd: data.pip.display, stdout, stderr } };
}

export default defineModule<Args>({
  name: "pip",
  description: "Install, upgrade or remove Python packages with pip, in a virtualenv or not",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      name: { description: "A package or a list of them, each with optional version specifiers (`flask>=2,<3`); a URL or path is passed to pip as is.", anyOf: [{ type: "string", minLength: 1 }, { type: "array", items: { type: "string", minLength: 1 } }] },
      version: { type: "string", minLength: 1, description: "The version of the one package in `name` (`2.3.0`, or a specifier such as `>=2.3`)." },
      requirements: { type: "string", minLength: 1, description: "A requirements file on the host (relative to `chdir`), instead of `name`." },
      virtualenv: { type: "string", minLength: 1, description: "The virtualenv to install into; created with `virtualenv_command` when it has no bin/activate. Relative to `chdir` when that is given." },
      virtualenv_site_packages: { type: "boolean", default: false, description: "Create the virtualenv with --system-site-packages." },
      virtualenv_command: { type: "string", minLength: 1, default: "virtualenv", description: "The command that creates the virtualenv, e.g. `python3 -m venv` (Debian's python3-venv) or `virtualenv`." },
      virtualenv_python: { type: "string", minLength: 1, description: "The Python a `virtualenv` command creates the virtualenv for (`-p`); not with `python3 -m venv`." },
      extra_args: { type: "string", description: "More pip arguments, split like a shell line: `--no-index --find-links /srv/wheels`. Named packages are still compared with what is installed, so an audit of a converged host shows no change (Ansible's check mode reports one whenever extra_args is given)." },
      editable: { type: "boolean", default: false, description: "Pass `-e` (an editable install of a path or VCS URL)." },
      chdir: { type: "string", minLength: 1, description: "The directory pip runs in (default /tmp)." },
      executable: { type: "string", minLength: 1, description: "The pip to run (a path or a name on PATH) when there is no `virtualenv`." },
      umask: { type: "string", pattern: "^[0-7]{1,4}$", description: "The umask (octal, as a string) pip and the virtualenv command run with." },
      state: { type: "string", enum: ["present", "absent", "latest", "forcereinstall"], default: "present", description: "`present` installs what is missing or at a version the specifiers exclude, `latest` upgrades, `forcereinstall` reinstalls, `absent` uninstalls." },
    },
  },
  examples: [
    "- pip: { name: [flask, gunicorn>=21], virtualenv: /opt/rems/venv, virtualenv_command: python3 -m venv }",
    "- pip: { requirements: /opt/rems/requirements.txt, virtualenv: /opt/rems/venv, extra_args: --no-index --find-links /opt/rems/wheels }",
    "- pip: { name: flask, state: absent, virtualenv: /opt/rems/venv }",
  ],
  capabilities: { diff: false, idempotent: true },
  check,
  apply,
});
