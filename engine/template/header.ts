/**
 * Jinja's options of one template: the template module's trim_blocks, lstrip_blocks and newline_sequence, and a
 * first line `#jinja2: trim_blocks: False, lstrip_blocks: True` in the template itself, which Ansible reads off
 * (the line is not part of the output) and which wins over the module's options.
 */
import { decodeEscapes } from "./lexer.js";

export interface JinjaOptions {
  trim_blocks?: boolean | undefined;
  lstrip_blocks?: boolean | undefined;
  /** What each line break of the template's text becomes: "\n" (default), "\r\n" or "\r". */
  newline_sequence?: string | undefined;
}

const HEADER = "#jinja2:";

/** A Python literal as Ansible's ast.literal_eval reads the header's values: True/False, a quoted string, a number. */
function literal(text: string, key: string): unknown {
  if (text === "True" || text === "False") return text === "True";
  const quoted = /^(['"])(.*)\1$/s.exec(text);
  if (quoted) return decodeEscapes(quoted[2] ?? "");
  if (/^-?\d+$/.test(text)) return Number(text);
  throw new Error(`#jinja2: the value of ${key} is not a Python literal: ${text}`);
}

function checked(key: string, value: unknown): JinjaOptions {
  if ((key === "trim_blocks" || key === "lstrip_blocks") && typeof value === "boolean") return { [key]: value };
  if (key === "newline_sequence" && (value === "\n" || value === "\r\n" || value === "\r")) return { newline_sequence: value };
  if (key === "trim_blocks" || key === "lstrip_blocks" || key === "newline_sequence") throw new Error(`#jinja2: ${key} cannot be ${JSON.stringify(value)}`);
  throw new Error(`#jinja2: ${key} is not an option rems-play knows (trim_blocks, lstrip_blocks, newline_sequence are)`);
}

/** The template's text without its `#jinja2:` line, and the options that line sets (none without one). */
export function readHeader(template: string): { body: string; options: JinjaOptions } {
  if (!template.startsWith(HEADER)) return { body: template, options: {} };
  const eol = template.indexOf("\n");
  const line = template.slice(HEADER.length, eol < 0 ? undefined : eol);
  let options: JinjaOptions = {};
  for (const pair of line.split(",")) {
    const colon = pair.indexOf(":");
    if (colon < 0) throw new Error(`failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`);
    const key = pair.slice(0, colon).trim();
    options = { ...options, ...checked(key, literal(pair.slice(colon + 1).trim(), key)) };
  }
  return { body: eol < 0 ? "" : template.slice(eol + 1), options };
}

/** The text to compile: line breaks as newline_sequence says. */
export function withNewlines(text: string, options: JinjaOptions): string {
  const sequence = options.newline_sequence;
  return sequence === undefined || sequence === "\n" ? text : text.replace(/\r\n|\r|\n/g, sequence);
}
