/**
 * The environment as the shell's `export -p` prints it (a builtin: no process on the host): dash's
 * `export NAME='value'` and bash's `declare -x NAME="value"`, values possibly over several lines. Pure.
 */

/** The variables `export -p` printed, by name. */
export function parseExports(output: string): Record<string, string> {
  const env: Record<string, string> = {};
  let rest = output;
  for (;;) {
    const start = /(?:^|\n)(?:export|declare -x) ([A-Za-z_][A-Za-z0-9_]*)(=?)/.exec(rest);
    if (!start?.[1]) return env;
    rest = rest.slice(start.index + start[0].length);
    if (start[2] === "") {
      env[start[1]] = ""; // exported but never set
      continue;
    }
    const [value, after] = shellWord(rest);
    env[start[1]] = value;
    rest = after;
  }
}

/** One shell word at the start of `text` ('…', "…" with backslash escapes, or bare, joined): its value and what follows. */
function shellWord(text: string): [string, string] {
  let value = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const close = end === -1 ? text.length : end;
      value += text.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        value += text[i] ?? "";
        i++;
      }
      i++;
    } else if (c === "\\" && i + 1 < text.length) {
      value += text[i + 1] ?? "";
      i += 2;
    } else if (c === "\n" || c === " ") {
      break;
    } else {
      value += c;
      i++;
    }
  }
  return [value, text.slice(i)];
}
