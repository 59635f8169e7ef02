/** Python regular expressions (`re`) in JavaScript, for the regex filters and the match/search tests. */

export interface RegexOptions {
  ignorecase?: unknown;
  multiline?: unknown;
}

/** Compiles a Python pattern: named groups `(?P<n>...)`, `(?P=n)`, `\A`, `\Z` and a leading `(?i)`/`(?m)`. */
export function pyRegex(pattern: string, options: RegexOptions, extraFlags = ""): RegExp {
  let flags = extraFlags;
  let source = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline?.[1] !== undefined) {
    if (inline[1].includes("i")) flags += "i";
    if (inline[1].includes("m")) flags += "m";
    if (inline[1].includes("s")) flags += "s";
    source = source.slice(inline[0].length);
  }
  if (options.ignorecase === true && !flags.includes("i")) flags += "i";
  if (options.multiline === true && !flags.includes("m")) flags += "m";
  source = source
    .replace(/\(\?P<(\w+)>/g, "(?<$1>")
    .replace(/\(\?P=(\w+)\)/g, "\\k<$1>")
    .replace(/\\A/g, "^")
    .replace(/\\Z/g, "$(?![\\s\\S])");
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new Error(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

/** A Python replacement template (`\1`, `\g<1>`, `\g<name>`) as the text for a match. */
export function expandReplacement(template: string, match: RegExpExecArray): string {
  return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/gs, (_m, ref: string | undefined, num: string | undefined, ch: string | undefined) => {
    const group = ref ?? num;
    if (group !== undefined) {
      const value = /^\d+$/.test(group) ? match[Number(group)] : match.groups?.[group];
      return value ?? "";
    }
    const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\" };
    return escapes[ch ?? ""] ?? `\\${ch ?? ""}`;
  });
}

const SPECIAL = new Set(Array.from("()[]{}?*+-|^$\\.&~# \t\n\r\v\f"));

/** Python's re.escape. */
export function regexEscape(text: string): string {
  return Array.from(text).map((c) => (SPECIAL.has(c) ? "\\" + c : c)).join("");
}
