/**
 * Python regular expressions (`re`) in JavaScript, for the regex filters, the match/search tests and the modules
 * that edit files by regexp. The pattern is rewritten token by token so that what differs between the two engines
 * means what it means in Python: `.` matches anything but "\n" (JavaScript's also stops at "\r"), `^`/`$` are
 * Python's anchors (with MULTILINE, at "\n" only; without it `$` also matches before a final "\n"), `\A`, `\Z`,
 * named groups `(?P<n>...)`/`(?P=n)`, a `]` first in a class is literal, and a leading `(?imsx)` sets the flags.
 */

export interface RegexOptions {
  ignorecase?: unknown;
  multiline?: unknown;
  /** Python's re.DOTALL: `.` matches "\n" too. */
  dotall?: unknown;
}

/** JavaScript for Python's `^`, `$`, `.` outside a class, by whether MULTILINE/DOTALL are on. */
function anchors(multiline: boolean, dotall: boolean): Record<string, string> {
  return {
    "^": multiline ? "(?<![^\\n])" : "(?<![\\s\\S])",
    $: multiline ? "(?![^\\n])" : "(?=\\n?(?![\\s\\S]))",
    ".": dotall ? "[\\s\\S]" : "[^\\n]",
  };
}

/** Rewrites a Python pattern's syntax into JavaScript's (see the file's comment). */
function translate(pattern: string, multiline: boolean, dotall: boolean): string {
  const outside = anchors(multiline, dotall);
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "\\") {
      const next = pattern.charAt(i + 1);
      i++;
      if (!inClass && next === "A") out += "(?<![\\s\\S])";
      else if (!inClass && next === "Z") out += "(?![\\s\\S])";
      else out += c + next;
    } else if (inClass) {
      out += c;
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
      out += c;
      if (pattern.charAt(i + 1) === "^") out += pattern.charAt(++i);
      // Python reads a `]` right after `[` (or `[^`) as a literal; JavaScript as the class's end.
      if (pattern.charAt(i + 1) === "]") {
        out += "\\]";
        i++;
      }
    } else if (pattern.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
    } else if (pattern.startsWith("(?P=", i)) {
      const end = pattern.indexOf(")", i);
      out += `\\k<${pattern.slice(i + 4, end < 0 ? undefined : end)}>`;
      i = end < 0 ? pattern.length : end;
    } else {
      out += outside[c] ?? c;
    }
  }
  return out;
}

/** Compiles a Python pattern (see the file's comment); `extraFlags` are JavaScript's own (`g`). */
export function pyRegex(pattern: string, options: RegexOptions, extraFlags = ""): RegExp {
  let source = pattern;
  let inlineFlags = "";
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline?.[1] !== undefined) {
    inlineFlags = inline[1];
    source = source.slice(inline[0].length);
  }
  const ignorecase = options.ignorecase === true || inlineFlags.includes("i");
  const multiline = options.multiline === true || inlineFlags.includes("m");
  const dotall = options.dotall === true || inlineFlags.includes("s");
  try {
    return new RegExp(translate(source, multiline, dotall), extraFlags + (ignorecase ? "i" : ""));
  } catch (e) {
    throw new Error(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

/** Whether a Python pattern turns MULTILINE on itself (`(?m)` first). */
export function pyMultiline(pattern: string): boolean {
  return /^\(\?[aiLsux]*m[aiLmsux]*\)/.test(pattern);
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
