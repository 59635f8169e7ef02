/**
 * command: run a program on the host without a shell (Ansible's command): the text is split into words like
 * Python's shlex.split and every word is quoted, so `$HOME`, `*` and `|` reach the program unchanged.
 */
import { sh } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule } from "../engine/module-api.js";
import { applyRun, planRun, runSchemas } from "./shared/run-command.js";

export interface CommandArgs {
  cmd?: string;
  argv?: string[];
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  stdin_add_newline?: boolean;
}

/** Splits a command line into words the way shlex.split (POSIX mode) does. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  // A word can be empty ('') yet present, so presence is tracked apart from the text.
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && next !== "" && '\\"$`\n'.includes(next)) word += text.charAt(++i);
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && next !== "") {
      word += text.charAt(++i);
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new ModuleError(`no closing quotation in command: ${text}`);
  if (inWord) words.push(word);
  return words;
}

export default defineModule<CommandArgs>({
  name: "command",
  description: "Run a command on the host, without a shell",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      cmd: { type: "string", minLength: 1, description: "The command line; split into words (quotes work as in a shell, but no variables, globs or pipes)" },
      argv: { type: "array", items: { type: "string" }, minItems: 1, description: "The command as a list of words, instead of cmd" },
      ...runSchemas,
    },
  },
  examples: [
    "- command: /opt/rems/venv/bin/flask db upgrade",
    "- command:\n    cmd: python3 -m venv /opt/rems/venv\n    creates: /opt/rems/venv/bin/python",
    "- command:\n    argv: [sqlite3, /var/lib/rems/rems.db, \"PRAGMA integrity_check\"]\n    chdir: /var/lib/rems",
  ],
  capabilities: { diff: false, idempotent: true },
  freeForm: "cmd",
  check(ctx, args) {
    if ((args.cmd === undefined) === (args.argv === undefined)) throw new ModuleError("give exactly one of cmd (or free-form text) and argv");
    const words = args.argv ?? splitWords(args.cmd ?? "");
    if (words.length === 0) throw new ModuleError("the command is empty");
    return planRun(ctx, {
      command: sh`${words}`,
      chdir: args.chdir,
      creates: args.creates,
      removes: args.removes,
      stdin: args.stdin,
      stdinAddNewline: args.stdin_add_newline !== false,
    });
  },
  apply: (ctx, _args, plan) => applyRun(ctx, plan),
});
