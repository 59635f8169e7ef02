/**
 * The ini lookup: a value from an INI file (or a Java properties file, type=properties) read as Python's
 * configparser reads it: `key = value` or `key: value`, keys in lower case unless case_sensitive, `#` and `;`
 * comment lines, indented continuation lines, the DEFAULT section's keys in every section, `%(key)s` and `%%`.
 */
import { splitArgs } from "../../load/key-value.js";
import * as py from "../py.js";
import { pyRegex } from "../regex.js";
import { findFile } from "./files.js";
import { LookupError, type Lookup } from "./lookup-api.js";

const OPTIONS = ["file", "section", "re", "default", "type", "encoding", "case_sensitive", "allow_no_value", "allow_none"];

type Section = Map<string, string | null>;

function parseIni(text: string, file: string, caseSensitive: boolean, allowNoValue: boolean): Map<string, Section> {
  const sections = new Map<string, Section>([["DEFAULT", new Map()]]);
  let section: Section | undefined;
  let last: string | undefined;
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const where = `'${file}', line ${String(i + 1)}`;
    if (/^\s*[#;]/.test(line) || line.trim() === "") {
      last = undefined;
      continue;
    }
    if (/^\s/.test(line) && section && last !== undefined) {
      section.set(last, `${section.get(last) ?? ""}\n${line.trim()}`);
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      const name = header[1] ?? "";
      section = sections.get(name) ?? new Map<string, string | null>();
      sections.set(name, section);
      last = undefined;
      continue;
    }
    if (!section) throw new LookupError(`File contains no section headers. file: ${where}`);
    const pair = /^([^=:]*?)\s*[=:]\s*(.*)$/.exec(line.trim());
    const rawKey = pair ? pair[1] ?? "" : line.trim();
    if (!pair && !allowNoValue) throw new LookupError(`Source contains parsing errors: ${where}: ${line}`);
    const key = caseSensitive ? rawKey : rawKey.toLowerCase();
    if (section.has(key) && section !== sections.get("DEFAULT")) throw new LookupError(`Duplicate option in '${file}': option '${key}' in section already exists`);
    section.set(key, pair ? (pair[2] ?? "") : null);
    last = key;
  }
  return sections;
}

/** configparser's BasicInterpolation: `%(name)s` is another key of the section, `%%` a percent sign. */
function interpolate(value: string | null, items: Section, depth = 0): string | null {
  if (value === null) return null;
  if (depth > 10) throw new LookupError(`interpolation too deep in '${value}'`);
  return value.replace(/%(%|\(([^)]*)\)s)/g, (_m, kind: string, name: string | undefined) => {
    if (kind === "%") return "%";
    const key = name?.toLowerCase() ?? "";
    if (!items.has(key)) throw new LookupError(`Bad value substitution: option '${key}' not found`);
    return interpolate(items.get(key) ?? "", items, depth + 1) ?? "";
  });
}

export const ini: Lookup = (terms, call) => {
  const params: Record<string, unknown> = { file: "ansible.ini", section: "global", re: false, default: "", type: "ini", case_sensitive: false, allow_no_value: false, ...call.options };
  const out: unknown[] = [];
  for (const term of terms) {
    let key = py.str(term);
    if (key.includes("=") || key.trim().includes(" ")) {
      const [first, ...rest] = splitArgs(key);
      if (first === undefined || first.key !== undefined) throw new LookupError(`No key to lookup was provided as first term with in string inline options: ${key}`);
      key = first.raw;
      for (const token of rest) {
        if (token.key === undefined || !OPTIONS.includes(token.key)) throw new LookupError(`${token.key ?? token.raw} is not a valid option.`);
        params[token.key] = token.value;
      }
    }
    const name = py.str(params.file);
    const path = findFile(call, "files", name);
    if (path === undefined) throw new LookupError(`Unable to retrieve file contents: could not locate file in lookup: ${name}`);
    const properties = params.type === "properties";
    const text = (properties ? "[java_properties]\n" : "") + call.controller.readText(path);
    const sections = parseIni(text, name, py.truthy(params.case_sensitive), py.truthy(params.allow_no_value ?? params.allow_none));
    const sectionName = properties ? "java_properties" : py.str(params.section);
    const own = sectionName === "DEFAULT" ? undefined : sections.get(sectionName);
    if (!own && sectionName !== "DEFAULT") throw new LookupError(`No section '${sectionName}' in ${name}`);
    const items: Section = new Map([...(sections.get("DEFAULT") ?? []), ...(own ?? [])]);
    if (py.truthy(params.re)) {
      // Python's re.match: anchored at the start of each key (a sticky RegExp, made anew for each key).
      for (const [k, v] of items) if (pyRegex(key, {}, "y").test(k)) out.push(interpolate(v, items));
    } else {
      const wanted = py.truthy(params.case_sensitive) ? key : key.toLowerCase();
      const value = items.has(wanted) ? interpolate(items.get(wanted) ?? null, items) : params.default;
      if (value !== null && value !== undefined) out.push(value);
    }
  }
  return out;
};
