/**
 * shell: run a command line through a shell on the host (Ansible's shell): variables, globs, pipes and
 * redirections work. The text is taken as written; prefer `command` when no shell feature is needed.
 */
import { inShell, shellText } from "../engine/command.js";
import { defineModule } from "../engine/module-api.js";
import { applyRun, planRun, runSchemas } from "./shared/run-command.js";

export interface ShellArgs {
  cmd: string;
  executable?: string;
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  stdin_add_newline?: boolean;
}

export default defineModule<ShellArgs>({
  name: "shell",
  description: "Run a command line through a shell on the host",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["cmd"],
    properties: {
      cmd: { type: "string", minLength: 1, description: "The shell command line, run by /bin/sh unless executable says otherwise" },
      executable: { type: "string", minLength: 1, description: "Shell to run cmd with instead of /bin/sh (e.g. /bin/bash for pipefail)" },
      ...runSchemas,
    },
  },
  examples: [
    "- shell: systemctl list-units --failed --no-legend | wc -l",
    "- shell:\n    cmd: set -o pipefail && curl -fsS http://127.0.0.1:8000/health | grep -q ok\n    executable: /bin/bash",
    "- shell:\n    cmd: ./venv/bin/pip install -r requirements.txt > pip.log\n    chdir: /opt/rems\n    creates: /opt/rems/venv/lib/python3.11/site-packages/flask",
  ],
  capabilities: { diff: false, idempotent: true },
  freeForm: "cmd",
  check(ctx, args) {
    return planRun(ctx, {
      command: args.executable === undefined ? shellText(args.cmd) : inShell(args.executable, args.cmd),
      chdir: args.chdir,
      creates: args.creates,
      removes: args.removes,
      stdin: args.stdin,
      stdinAddNewline: args.stdin_add_newline !== false,
    });
  },
  apply: (ctx, _args, plan) => applyRun(ctx, plan),
});
