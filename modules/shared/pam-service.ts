/**
 * A PAM service file (/etc/pam.d/NAME) read and edited by community.general's pamd rules (Debian's ansible 2.14,
 * community.general 6): each physical line is a comment (`#` after blanks), an `@include`, a blank line or a rule
 * `type control module_path args...`, where control is one word or a bracketed `[value=action ...]`. Comments,
 * includes and blank lines are kept byte for byte; once anything changes, every rule is written back in pamd's own
 * layout (the type padded to 11 columns, one space between fields) under a `# Updated by Ansible - TIME` mark on the
 * second line. pamd joins no continuation lines: a line that is no rule (the rest of a rule after `\`) fails.
 *
 * Where pamd 6 loses lines, this keeps them: its before/after link the new rule past comments between two rules
 * (and after the last rule), dropping those comments from the file; here the new rule goes right next to the rule
 * it is placed by and every comment stays.
 */

export const PAM_TYPES = ["account", "-account", "auth", "-auth", "password", "-password", "session", "-session"] as const;

const SIMPLE_CONTROLS = new Set(["required", "requisite", "sufficient", "optional", "include", "substack", "definitive"]);
const CONTROL_VALUES = new Set(
  ("success open_err symbol_err service_err system_err buf_err perm_denied auth_err cred_insufficient authinfo_unavail user_unknown " +
    "maxtries new_authtok_reqd acct_expired session_err cred_unavail cred_expired cred_err no_module_data conv_err authtok_err " +
    "authtok_recover_err authtok_lock_busy authtok_disable_aging try_again ignore abort authtok_expired module_unknown bad_item " +
    "conv_again incomplete default").split(" "),
);
const CONTROL_ACTIONS = new Set(["ignore", "bad", "die", "ok", "done", "reset"]);

/** pamd's rule pattern, searched anywhere in the line as pamd searches it. */
const RULE = /(-?(?:auth|account|session|password))\s+(\[.*\]|\S*)\s+(\S*)\s*(.*)\s*/;
/** One argument: a bracketed group (spaces and all) or a word. */
const ARG = /\[.*\]|\S+/g;
/** The mark pamd writes on the second line of every file it changes. */
const MARK = "# Updated by Ansible";

export interface PamRule {
  kind: "rule";
  type: string;
  /** The control as pamd compares it: a word, or `[value=action ...]` with single spaces. */
  control: string;
  path: string;
  args: string[];
}

/** A line kept as it is: a comment, an @include or a blank line. */
export interface PamText {
  kind: "text";
  text: string;
}

export type PamLine = PamRule | PamText;

export class PamFileError extends Error {}

/** Python's str.splitlines: every line break it knows, no empty line after a final one. */
function splitLines(content: string): string[] {
  // eslint-disable-next-line no-control-regex -- Python's line breaks include the file, group and record separators
  const lines = content.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** A control as pamd keeps it: a bracketed one with ` = ` closed up and no brackets inside. */
export function normalControl(control: string): string {
  if (!control.startsWith("[")) return control;
  return `[${control.replaceAll(" = ", "=").replaceAll("[", "").replaceAll("]", "")}]`;
}

/** Module arguments as pamd splits them: each string cut into words, a `[...]` group kept whole. */
export function parseArgs(args: readonly string[]): string[] {
  if (args.length === 1 && args[0] === "") return [];
  return args.flatMap((arg) => arg.match(ARG) ?? []);
}

function parseRule(line: string, number: number, previous: string | undefined): PamRule {
  const match = RULE.exec(line);
  if (match === null) {
    const why = previous?.trimEnd().endsWith("\\") === true ? " (pamd reads no continuation lines: join the rule onto one line)" : "";
    throw new PamFileError(`line ${number} is no PAM rule pamd can read: ${JSON.stringify(line)}${why}`);
  }
  const [, type = "", control = "", path = "", args = ""] = match;
  return { kind: "rule", type, control: normalControl(control), path, args: parseArgs([args]) };
}

export function parsePamService(content: string): PamLine[] {
  const lines = splitLines(content);
  return lines.map((line, i) => {
    const start = line.trimStart();
    if (start.startsWith("#") || start.startsWith("@include") || line.trim() === "") return { kind: "text", text: line };
    return parseRule(line, i + 1, lines[i - 1]);
  });
}

export function ruleText(rule: PamRule): string {
  return [rule.type.padEnd(11) + rule.control, rule.path, ...(rule.args.length > 0 ? [rule.args.join(" ")] : [])].join(" ");
}

/** The file pamd writes: every rule in its layout, and the mark (at TIME) on the second line. */
export function renderPamService(lines: readonly PamLine[], time: string): string {
  const out = lines.map((line) => (line.kind === "rule" ? ruleText(line) : line.text));
  const mark = `${MARK} - ${time}`;
  if (out.length <= 1) out.unshift("", mark);
  else if (out[1]?.startsWith(MARK) === true) out[1] = mark;
  else out.splice(1, 0, mark);
  return `${out.join("\n")}\n`;
}

/**
 * The first line pamd would refuse to write, as its message says it; undefined when all are valid. pamd reads a
 * comment or @include after blanks as one, then holds it invalid, so such a file fails whatever the task.
 */
export function invalidLine(lines: readonly PamLine[]): string | undefined {
  for (const line of lines) {
    if (line.kind !== "rule") {
      if (line.text.trim() !== "" && !line.text.startsWith("#") && !line.text.startsWith("@include")) return `Rule is not valid ${line.text}`;
      continue;
    }
    const text = ruleText(line);
    if (!(PAM_TYPES as readonly string[]).includes(line.type)) return `Rule type, ${line.type}, is not valid in rule ${text}`;
    if (!line.control.startsWith("[")) {
      if (!SIMPLE_CONTROLS.has(line.control)) return `Rule control, ${line.control}, is not valid in rule ${text}`;
      continue;
    }
    for (const part of line.control.slice(1, -1).split(" ")) {
      const [value = "", action, ...more] = part.split("=");
      if (action === undefined || more.length > 0) return `Rule control ${JSON.stringify(part)} is not value=action in rule ${text}`;
      if (!CONTROL_VALUES.has(value)) return `Rule control value, ${value}, is not valid in rule ${text}`;
      if (!CONTROL_ACTIONS.has(action) && !/^\+?\d+$/.test(action)) return `Rule control action, ${action}, is not valid in rule ${text}`;
    }
  }
  return undefined;
}

// --- The edits of pamd's states. Each changes LINES in place and returns how many rules it changed.

export interface RuleKey {
  type: string;
  control: string;
  path: string;
}

export interface NewRule extends RuleKey {
  args: string[];
}

const matches = (line: PamLine | undefined, key: RuleKey): line is PamRule =>
  line?.kind === "rule" && line.type === key.type && line.control === normalControl(key.control) && line.path === key.path;

function matching(lines: readonly PamLine[], key: RuleKey): PamRule[] {
  return lines.filter((line): line is PamRule => matches(line, key));
}

/** The nearest line from `index` in `step` direction that is a rule or an @include (pamd skips comments and blanks). */
function neighbour(lines: readonly PamLine[], index: number, step: 1 | -1): PamLine | undefined {
  for (let i = index + step; i >= 0 && i < lines.length; i += step) {
    const line = lines[i];
    if (line?.kind === "rule" || line?.text.trimStart().startsWith("@include") === true) return line;
  }
  return undefined;
}

export interface RuleUpdate {
  type?: string | undefined;
  control?: string | undefined;
  path?: string | undefined;
  /** Replaces the arguments when given (an empty list removes them all). */
  args?: string[] | undefined;
}

/** state=updated: the matching rules get the new type, control, path and arguments that are given. */
export function updateRules(lines: PamLine[], key: RuleKey, update: RuleUpdate): number {
  let changes = 0;
  for (const rule of matching(lines, key)) {
    const before = JSON.stringify(rule);
    if (update.type) rule.type = update.type;
    if (update.control) rule.control = normalControl(update.control);
    if (update.path) rule.path = update.path;
    if (update.args !== undefined) rule.args = [...update.args];
    if (JSON.stringify(rule) !== before) changes++;
  }
  return changes;
}

/** state=before/after: the new rule next to each matching rule, unless the rule beside it there is already it. */
export function insertRule(lines: PamLine[], key: RuleKey, rule: NewRule, where: "before" | "after"): number {
  let changes = 0;
  for (const found of matching(lines, key)) {
    const index = lines.indexOf(found);
    if (matches(neighbour(lines, index, where === "before" ? -1 : 1), rule)) continue;
    lines.splice(where === "before" ? index : index + 1, 0, { kind: "rule", type: rule.type, control: normalControl(rule.control), path: rule.path, args: [...rule.args] });
    changes++;
  }
  return changes;
}

/** state=absent: every matching rule removed. */
export function removeRules(lines: PamLine[], key: RuleKey): number {
  const kept = lines.filter((line) => !matches(line, key));
  const changes = lines.length - kept.length;
  lines.splice(0, lines.length, ...kept);
  return changes;
}

/** `key=value` split as pamd splits it: more than one `=` is an argument pamd cannot compare. */
function keyValue(arg: string): [string, string] {
  const [key = "", value, ...more] = arg.split("=");
  if (value === undefined || more.length > 0) throw new PamFileError(`pamd cannot compare the argument ${arg}: it has more than one '='`);
  return [key, value];
}

/** state=args_present: missing arguments appended (words, then key=value), a key's differing value replaced; no `[...]` ones. */
export function addArgs(lines: PamLine[], key: RuleKey, wanted: readonly string[]): number {
  const words = [...new Set(wanted.filter((arg) => !arg.includes("=")))];
  const pairs = new Map(wanted.filter((arg) => arg.includes("=")).map(keyValue));
  let changes = 0;
  for (const rule of matching(lines, key)) {
    const plain = rule.args.filter((arg) => !arg.startsWith("["));
    const currentWords = new Set(plain.filter((arg) => !arg.includes("=")));
    const currentPairs = new Map(plain.filter((arg) => arg.includes("=")).map(keyValue));
    const added = [...words.filter((word) => !currentWords.has(word)), ...[...pairs].filter(([k]) => !currentPairs.has(k)).map(([k, v]) => `${k}=${v}`)];
    const before = JSON.stringify(rule.args);
    rule.args.push(...added);
    for (const [k, v] of pairs) {
      const current = currentPairs.get(k);
      if (current !== undefined && current !== v) rule.args[rule.args.indexOf(`${k}=${current}`)] = `${k}=${v}`;
    }
    if (JSON.stringify(rule.args) !== before) changes++;
  }
  return changes;
}

/** state=args_absent: the arguments given, exactly as written, removed. */
export function removeArgs(lines: PamLine[], key: RuleKey, unwanted: readonly string[]): number {
  let changes = 0;
  for (const rule of matching(lines, key)) {
    if (!rule.args.some((arg) => unwanted.includes(arg))) continue;
    rule.args = rule.args.filter((arg) => !unwanted.includes(arg));
    changes++;
  }
  return changes;
}
