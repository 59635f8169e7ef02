/**
 * Commands are built from parts and quoted here, and only here (pyinfra StringCommand, zx quote).
 * A Command knows its real text (sent to the host) and its display text (secrets masked) separately,
 * so a secret can never reach an event, a log or an error message through a command.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX shell quoting: safe words stay as they are, everything else is single-quoted. */
export function quote(word: string): string {
  if (word !== "" && SAFE.test(word)) return word;
  return "'" + word.replaceAll("'", `'"'"'`) + "'";
}

/** A value that must not be shown: quoted like any word, displayed as ********. */
export class Secret {
  constructor(readonly value: string) {}
  toString(): string {
    return "********";
  }
}

export function secret(value: string): Secret {
  return new Secret(value);
}

/** Shell syntax inserted verbatim (operators, redirections). Never pass user data through raw(). */
export class Raw {
  constructor(readonly text: string) {}
}

export function raw(text: string): Raw {
  return new Raw(text);
}

export type CommandPart = string | number | Secret | Raw | Command | readonly (string | number | Secret)[];

export class Command {
  constructor(
    readonly text: string,
    readonly display: string,
  ) {}

  toString(): string {
    return this.display;
  }
}

function part(value: CommandPart): { text: string; display: string } {
  if (value instanceof Command) return { text: value.text, display: value.display };
  if (value instanceof Raw) return { text: value.text, display: value.text };
  if (value instanceof Secret) return { text: quote(value.value), display: "********" };
  if (typeof value === "number") return { text: String(value), display: String(value) };
  if (typeof value === "string") return { text: quote(value), display: quote(value) };
  const parts = value.map((v) => part(v));
  return { text: parts.map((p) => p.text).join(" "), display: parts.map((p) => p.display).join(" ") };
}

/**
 * Tagged template: the literal text is shell syntax, every interpolated value is quoted
 * (arrays become several quoted words, Commands nest, raw() is verbatim).
 *
 *     sh`systemctl restart ${unit}`    sh`cd ${dir} && ${inner}`
 */
export function sh(strings: TemplateStringsArray, ...values: CommandPart[]): Command {
  let text = strings[0] ?? "";
  let display = text;
  values.forEach((value, i) => {
    const p = part(value);
    const literal = strings[i + 1] ?? "";
    text += p.text + literal;
    display += p.display + literal;
  });
  return new Command(text, display);
}

/** Joins commands so each runs only if the previous one succeeded. */
export function andThen(commands: readonly Command[]): Command {
  return new Command(commands.map((c) => c.text).join(" && "), commands.map((c) => c.display).join(" && "));
}

/** A command from a playbook's free-form shell text (the `shell` module): taken as written. */
export function shellText(text: string): Command {
  return new Command(text, text);
}

/**
 * Free-form shell text run by another shell (the `shell` module's executable), shown as `EXECUTABLE -c TEXT`. The
 * text is not in that shell's command line, where every user could read it (issue 16 item 2): the shell reads it
 * from a here-document on fd 3 and evals it. The braces let the command be joined to others.
 */
export function inShell(executable: string, text: string): Command {
  let end = "REMS_SCRIPT_END";
  while (text.split("\n").includes(end)) end += "_";
  const run = `{ ${quote(executable)} -c 'eval "$(cat <&3)" 3<&-' 3<<'${end}'\n${text}\n${end}\n}`;
  return new Command(run, sh`${executable} -c ${text}`.display);
}
