/**
 * sysctl: ansible.posix.sysctl on Linux. The parameter's line in a sysctl file is set or removed, the file
 * rewritten as Ansible rewrites it (every line trimmed, a key's later duplicates dropped, `key=value`), then
 * reloaded with `sysctl -p FILE`; `sysctl_set` also sets the running kernel's value with `sysctl -w`. The kernel's
 * value counts as Ansible counts it: with `reload` a kernel that disagrees with a correct file is a change. Ansible's
 * sysctl shows no diff; this one shows the file's, as the other file edits do.
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ChangePlan, type ModuleContext, type Plan, type Prediction } from "../engine/module-api.js";
import { booleanWord } from "../engine/truth.js";
import { fileBase64 } from "./facts/file-base64.js";
import { fileStat } from "./facts/file-stat.js";
import { sysctlValue, type SysctlValue, type SysctlValueArgs } from "./facts/sysctl-value.js";
import { readForEdit } from "./shared/file-edit.js";
import { applyPutFile, planPutFile } from "./shared/put-file.js";

export interface Args {
  name: string;
  value?: string | number | boolean;
  state?: "present" | "absent";
  sysctl_file?: string;
  reload?: boolean;
  sysctl_set?: boolean;
  ignoreerrors?: boolean;
}

/** What apply runs, in Ansible's order: the kernel's value, the file, the reload. */
interface Steps {
  set?: Command;
  file?: ChangePlan;
  reload?: Command;
}

/** sysctl's exit code is read, not trusted: Ansible words its own failure from the output. */
const ANY_EXIT = Array.from({ length: 256 }, (_, code) => code);

/** sysctl can fail to set a value and still exit 0; Ansible fails on these messages (its _stderr_failed). */
const SETTING_FAILED = /^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$/m;

/** Ansible's _parse_value: booleans (and convert_bool's words) become 1 or 0, anything else is trimmed. */
function wantedValue(value: Args["value"]): string {
  if (value === undefined) return "";
  if (typeof value === "boolean") return value ? "1" : "0";
  const text = String(value);
  // Ansible compares the word untrimmed: " yes" is a value, not a boolean.
  const word = text === text.trim() ? booleanWord(text) : undefined;
  return word === undefined ? text.trim() : word ? "1" : "0";
}

/** Ansible's _values_is_equal: the same words in the same order (a missing value equals nothing). */
function sameWords(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = a.split(/\s+/).filter(Boolean);
  const right = b.split(/\s+/).filter(Boolean);
  return left.length === right.length && left.every((word, i) => word === right[i]);
}

/** A trimmed line's key and value; undefined for a blank line, a comment (# or ;) or a line without `=`. */
function setting(line: string): [string, string] | undefined {
  if (line === "" || line.startsWith("#") || line.startsWith(";") || !line.includes("=")) return undefined;
  const at = line.indexOf("=");
  return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
}

/** The file as Ansible reads it: its lines trimmed (universal newlines), and each key's last value. */
function readFile(text: string): { lines: string[]; values: Map<string, string> } {
  const lines = text.split(/\r\n|\r|\n/).map((line) => line.trim());
  if (/[\r\n]$/.test(text) || text === "") lines.pop();
  const values = new Map<string, string>();
  for (const line of lines) {
    const pair = setting(line);
    if (pair) values.set(...pair);
  }
  return { lines, values };
}

/** Ansible's fix_lines: the file's content with the parameter set (or removed), each key kept once, `key=value`. */
function fixedContent(lines: readonly string[], name: string, value: string, present: boolean): string {
  const seen = new Set<string>();
  const fixed: string[] = [];
  for (const line of lines) {
    const pair = setting(line);
    if (!pair) {
      fixed.push(line);
      continue;
    }
    const [key, old] = pair;
    if (seen.has(key)) continue;
    seen.add(key);
    if (key !== name) fixed.push(`${key}=${old}`);
    else if (present) fixed.push(`${key}=${value}`);
  }
  if (!seen.has(name) && present) fixed.push(`${name}=${value}`);
  return fixed.map((line) => `${line.trim()}\n`).join("");
}

function checkArgs(args: Args): { name: string; value: string; present: boolean } {
  const name = args.name.trim();
  const present = (args.state ?? "present") === "present";
  if (present && args.value === undefined) throw new ModuleError("state is present but all of the following are missing: value");
  if (args.name === "") throw new ModuleError("name cannot be blank");
  const value = wantedValue(args.value);
  if (present && value === "") throw new ModuleError("value cannot be blank");
  return { name, value, present };
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  const { name, value, present } = checkArgs(args);
  const path = args.sysctl_file ?? "/etc/sysctl.conf";
  const reload = args.reload ?? true;
  // One round trip for the kernel's value and the file; readForEdit then reads the file from the cache.
  const [kernel] = (await ctx.facts([
    { fact: sysctlValue, args: { name } },
    { fact: fileBase64, args: { path } },
    { fact: fileStat, args: { path, follow: false } },
  ])) as [SysctlValue];
  const { lines, values } = readFile((await readForEdit(ctx, path, "sysctl"))?.toString("utf8") ?? "");
  const inFile = values.get(name);
  // Ansible's decision, branch for branch (an empty value in the file reads as none when removing).
  let changed = false;
  let writeFile = false;
  if (inFile === undefined) {
    changed = writeFile = present;
  } else if (inFile !== "" && !present) {
    changed = writeFile = true;
  } else if (inFile !== value) {
    changed = writeFile = true;
  } else if (reload && !sameWords(kernel.value, value)) {
    changed = true;
  }
  let setKernel = false;
  if ((args.sysctl_set ?? false) && present && !sameWords(kernel.value, value)) {
    changed = true;
    setKernel = kernel.value !== undefined;
  }
  const kept = present ? `${name} is ${value} in ${path}${reload || args.sysctl_set === true ? " and in the kernel" : ""}` : `${name} is not in ${path}`;
  if (!changed) return { changed: false, reason: kept, output: {} };

  const ignore = args.ignoreerrors === true ? ["-e"] : [];
  const steps: Steps = {};
  const summary: string[] = [];
  const predicts: Prediction[] = [];
  if (setKernel) {
    steps.set = sh`LC_ALL=C sysctl ${[...ignore, "-w", `${name}=${value}`]}`;
    summary.push(`set ${name} to ${value} in the kernel`);
  }
  if (writeFile) {
    const plan = await planPutFile(ctx, { dest: path, content: fixedContent(lines, name, value, present), validateReport: "edit" });
    if (plan.changed === true) {
      steps.file = plan;
      predicts.push(...(plan.predicts ?? []));
    }
    summary.push(present ? `write ${name}=${value} to ${path}` : `remove ${name} from ${path}`);
  }
  if (reload) {
    steps.reload = sh`LC_ALL=C sysctl ${[...ignore, "-p", path]}`;
    summary.push(`load ${path}`);
  }
  if (present && (setKernel || reload)) predicts.push({ fact: sysctlValue, args: { name }, value: { value: `${value}\n` } } satisfies Prediction<SysctlValue, SysctlValueArgs>);
  const commands = [steps.set, ...(steps.file?.commands ?? []), steps.reload].filter((command) => command !== undefined);
  return {
    changed: true,
    summary: summary.length > 0 ? summary.join(", ") : `${name} has no value in the kernel`,
    commands,
    ...(steps.file?.diffs === undefined ? {} : { diffs: steps.file.diffs }),
    predicts,
    output: {},
    data: steps,
  };
}

/** Runs one sysctl command, failing as Ansible does on its exit code or on a refused setting it printed. */
async function runSysctl(ctx: ModuleContext, command: Command, failure: string): Promise<void> {
  const result = await ctx.run(command, { okCodes: ANY_EXIT });
  if (result.code !== 0 || SETTING_FAILED.test(result.stderr)) throw new ModuleError(`${failure}: ${result.stdout}${result.stderr}`);
}

export default defineModule<Args>({
  name: "sysctl",
  description: "Set a kernel parameter in a sysctl file and in the running kernel (ansible.posix.sysctl)",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", description: "The parameter, dot-separated (`net.ipv4.ip_forward`)." },
      value: {
        type: ["string", "number", "boolean"],
        description: "Its wanted value; required with `state: present`. A boolean (or yes/no, true/false, on/off) is written as 1 or 0; a value of several words is compared word by word with the kernel's.",
      },
      state: { type: "string", enum: ["present", "absent"], default: "present", description: "Whether the parameter's line is in the sysctl file." },
      sysctl_file: { type: "string", minLength: 1, default: "/etc/sysctl.conf", description: "The sysctl file to edit (absolute), e.g. a drop-in under /etc/sysctl.d/." },
      reload: {
        type: "boolean",
        default: true,
        description: "Load the file with `sysctl -p FILE` after a change; a running kernel whose value differs from a correct file is then a change too.",
      },
      sysctl_set: { type: "boolean", default: false, description: "Compare the running kernel's value and set it with `sysctl -w` when it differs." },
      ignoreerrors: { type: "boolean", default: false, description: "Pass `-e` to sysctl, so that unknown parameters are not errors." },
    },
  },
  aliases: { key: "name", val: "value" },
  examples: [
    "- sysctl: { name: vm.swappiness, value: '5' }",
    "- sysctl: { name: net.ipv4.ip_forward, value: '1', sysctl_set: true }",
    "- sysctl: { name: kernel.dmesg_restrict, value: '1', sysctl_file: /etc/sysctl.d/60-hardening.conf }",
    "- sysctl: { name: kernel.panic, state: absent, sysctl_file: /etc/sysctl.d/60-hardening.conf }",
  ],
  capabilities: { diff: true, idempotent: true },
  check,
  async apply(ctx, args, plan) {
    const steps = plan.data as Steps;
    if (steps.set) await runSysctl(ctx, steps.set, `setting ${args.name.trim()} failed`);
    if (steps.file) await applyPutFile(ctx, steps.file);
    if (steps.reload) await runSysctl(ctx, steps.reload, "Failed to reload sysctl");
    return { changed: true, output: {} };
  },
});
