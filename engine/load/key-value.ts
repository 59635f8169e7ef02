/**
 * Ansible's inline arguments: `apt: name=nginx state=present`, `command: chdir=/srv ls -l`,
 * `debug: msg="a b"`. Splits on blanks outside quotes and outside {{ }} / {% %}.
 */

export interface Token {
  /** The token as written, quotes included. */
  raw: string;
  start: number;
  end: number;
  /** For `key=value` tokens. */
  key?: string;
  /** The value with surrounding quotes removed. */
  value?: string;
}

export function splitArgs(text: string): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  let quote: string | undefined;
  let jinja = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    const pair = text.slice(i, i + 2);
    if (c !== undefined && start < 0 && !/\s/.test(c)) start = i;
    if (c === undefined || (start >= 0 && !quote && jinja === 0 && /\s/.test(c))) {
      if (start >= 0) tokens.push(token(text.slice(start, i), start, i));
      start = -1;
      continue;
    }
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (pair === "{{" || pair === "{%") {
      jinja++;
      i++;
    } else if (jinja > 0 && (pair === "}}" || pair === "%}")) {
      jinja--;
      i++;
    } else if (jinja === 0 && (c === '"' || c === "'")) {
      quote = c;
    }
  }
  return tokens;
}

function token(raw: string, start: number, end: number): Token {
  // Hyphens too: some of Ansible's aliases have them (`daemon-reload=yes`).
  const match = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/s.exec(raw);
  if (!match) return { raw, start, end };
  const [, key = "", value = ""] = match;
  return { raw, start, end, key, value: unquote(value) };
}

function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) {
    return value.slice(1, -1).replace(new RegExp(`\\\\([\\\\${first}])`, "g"), "$1");
  }
  return value;
}

/** The text with the given tokens cut out (and the blanks after them). */
export function without(text: string, removed: readonly Token[]): string {
  let result = "";
  let at = 0;
  for (const t of [...removed].sort((a, b) => a.start - b.start)) {
    result += text.slice(at, t.start);
    at = t.end;
    while (at < text.length && /\s/.test(text[at] ?? "")) at++;
  }
  return (result + text.slice(at)).trim();
}
