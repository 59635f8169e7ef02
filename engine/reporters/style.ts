/**
 * Terminal text for the TTY reporter: colours (SGR codes, none when the terminal has no colours or NO_COLOR is
 * set), and lines fitted to the terminal's width, so that the terminal never wraps a line itself: a wrapped line
 * would break the live area's redraw and the layout of the view.
 */

export type Color = "bold" | "dim" | "green" | "yellow" | "red" | "blue" | "magenta" | "cyan";

const SGR: Readonly<Record<Color, readonly [number, number]>> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [94, 39],
  magenta: [95, 39],
  cyan: [36, 39],
};

export type Paint = (color: Color, text: string) => string;

/** A painter that colours, or one that leaves text as it is. */
export function painter(enabled: boolean): Paint {
  if (!enabled) return (_color, text) => text;
  return (color, text) => (text === "" ? text : `\u001b[${SGR[color][0]}m${text}\u001b[${SGR[color][1]}m`);
}

// eslint-disable-next-line no-control-regex -- matching SGR sequences is the point
const SGR_SEQUENCE = /\u001b\[[0-9;]*m/g;
/** A line as tokens: an SGR sequence, or one code point. */
// eslint-disable-next-line no-control-regex -- matching SGR sequences is the point
const TOKEN = /\u001b\[[0-9;]*m|[\s\S]/gu;

/** Columns TEXT takes on a terminal: code points, colour codes not counted. */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const _ of text.replace(SGR_SEQUENCE, "")) width++;
  return width;
}

/** TEXT cut to WIDTH columns, "…" marking the cut. */
export function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  return `${breakLine(text, Math.max(0, width - 1), false)[0]}…`;
}

/**
 * TEXT as lines of at most WIDTH columns: broken at spaces where it can be (hard where a word is longer than a
 * line), continuation lines indented by INDENT spaces; colours carry on across the break.
 */
export function wrap(text: string, width: number, indent = 4): string[] {
  const lines: string[] = [];
  let rest = text;
  let prefix = "";
  for (;;) {
    const room = Math.max(1, width - visibleWidth(prefix));
    if (visibleWidth(rest) <= room) {
      lines.push(prefix + rest);
      return lines;
    }
    const [head, tail] = breakLine(rest, room, true);
    lines.push(prefix + head);
    rest = tail;
    prefix = " ".repeat(Math.min(indent, Math.max(0, width - 10)));
  }
}

const RESET = "\u001b[0m";

/**
 * Splits TEXT after at most WIDTH visible columns (at the last space when WORDS and there is one late enough): the
 * head, with colours reset at its end, and the tail, starting with the colour codes that were in force.
 */
function breakLine(text: string, width: number, words: boolean): [string, string] {
  const tokens = text.match(TOKEN) ?? [];
  let visible = 0;
  let cut = tokens.length;
  let space = -1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    if (token.startsWith("\u001b")) continue;
    if (visible === width) {
      cut = i;
      break;
    }
    // A space in the first quarter of the line would leave too short a line.
    if (token === " " && visible > width / 4) space = i;
    visible++;
  }
  const breakAt = tokens[cut] === " " || !words || space === -1 ? cut : space;
  const head = tokens.slice(0, breakAt);
  // The space the line breaks at is not carried to the next line.
  const tail = tokens.slice(tokens[breakAt] === " " ? breakAt + 1 : breakAt);
  const codes = head.filter((t) => t.startsWith("\u001b")).join("");
  return [codes === "" ? head.join("") : head.join("") + RESET, codes + tail.join("")];
}
