/**
 * tempfile: Ansible's tempfile. Each run makes a new file (0600) or directory (0700) with a random name, with
 * `mktemp`, in `path` or the host's temporary directory ($TMPDIR, else /tmp), and registers its `path`; it never
 * reports ok. Ansible skips it in check mode; here check mode reports the change with the name's pattern as `path`
 * (`/tmp/ansible.XXXXXXXX`), so the tasks that use the registered path can still be planned.
 */
import { raw, sh } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";

export interface Args {
  state?: "file" | "directory";
  path?: string;
  prefix?: string;
  suffix?: string;
}

/** The random part of the name: eight characters, as Python's mkstemp makes it. */
const RANDOM = "XXXXXXXX";

function check(_ctx: ModuleContext, args: Args): Promise<Plan> {
  const prefix = args.prefix ?? "ansible.";
  const suffix = args.suffix ?? "";
  if (prefix.includes("/") || suffix.includes("/")) throw new ModuleError("prefix and suffix are names: they cannot contain '/'");
  const directory = args.state === "directory";
  const where = args.path === undefined ? raw('"${TMPDIR:-/tmp}"') : sh`${args.path}`;
  const command = sh`mktemp ${raw(directory ? "-d " : "")}--tmpdir=${where} --suffix=${suffix} -- ${prefix + RANDOM}`;
  const predicted = `${args.path ?? "/tmp"}/${prefix}${RANDOM}${suffix}`;
  return Promise.resolve({
    changed: true,
    summary: `create a temporary ${directory ? "directory" : "file"} ${predicted}`,
    commands: [command],
    output: { path: predicted },
  });
}

export default defineModule<Args>({
  name: "tempfile",
  description: "Create a temporary file or directory with a random name (Ansible's tempfile)",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      state: { type: "string", enum: ["file", "directory"], default: "file", description: "Whether to create a file (mode 0600) or a directory (mode 0700)." },
      path: { type: "string", minLength: 1, description: "The directory to create it in; the host's temporary directory ($TMPDIR, else /tmp) when not given." },
      prefix: { type: "string", default: "ansible.", description: "The start of its name, before eight random characters." },
      suffix: { type: "string", default: "", description: "The end of its name, after the random characters." },
    },
  },
  examples: [
    "- tempfile: { state: directory, suffix: build }\n  register: build_dir",
    "- tempfile: { path: /var/tmp, prefix: rems-, suffix: .sql }\n  register: dump",
  ],
  // A new name every run: a second run changes the host again.
  capabilities: { diff: false, idempotent: false },
  check,
  async apply(ctx, _args, plan) {
    const [command] = plan.commands;
    if (command === undefined) throw new ModuleError("tempfile has no command to run");
    const { stdout } = await ctx.run(command);
    return { changed: true, output: { path: stdout.trim() } };
  },
});
