/**
 * Ansible's INI inventory → the shape of a YAML inventory ({ group: { hosts, children, vars } }), with source
 * locations, so one builder (inventory.ts) handles both forms.
 *
 *   host1 ansible_host=10.0.0.1      hosts before any section are ungrouped
 *   [web]                            hosts of a group, with host variables
 *   [web:vars]                       key=value variables of a group
 *   [prod:children]                  groups inside a group
 */
import { InventoryError } from "../errors.js";
import type { RemsError, SourceLocation } from "../errors.js";
import { recordContainer, recordKey } from "../source/locations.js";
import { splitArgs } from "./key-value.js";

type Group = { hosts: Record<string, Record<string, unknown> | null>; children: Record<string, null>; vars: Record<string, unknown> };

/** Python-literal values as Ansible's INI plugin reads them: 22 → number, True → boolean, "a b" → string. */
export function iniValue(text: string): unknown {
  const value = text.trim();
  if (/^[+-]?\d+$/.test(value)) return Number(value);
  if (/^[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return Number(value);
  if (value === "True" || value === "true") return true;
  if (value === "False" || value === "false") return false;
  if (value === "None") return null;
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) return value.slice(1, -1);
  return value;
}

export function parseIni(text: string, file: string, errors: RemsError[]): Record<string, Group> {
  const groups: Record<string, Group> = {};
  recordContainer(groups, { file, line: 1, col: 1 });
  const group = (name: string, loc: SourceLocation): Group => {
    let found = groups[name];
    if (!found) {
      found = { hosts: {}, children: {}, vars: {} };
      for (const part of [found, found.hosts, found.children, found.vars]) recordContainer(part, loc);
      groups[name] = found;
      recordKey(groups, name, loc);
    }
    return found;
  };
  let section = "ungrouped";
  let kind: "hosts" | "vars" | "children" = "hosts";
  text.split("\n").forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, "");
    const trimmed = line.trim();
    const at = (col: number): SourceLocation => ({ file, line: index + 1, col: col + 1 });
    const indent = line.length - line.trimStart().length;
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) return;
    const header = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(trimmed);
    if (header) {
      section = header[1] ?? "";
      kind = (header[2] as "vars" | "children" | undefined) ?? "hosts";
      group(section, at(indent));
      return;
    }
    if (trimmed.startsWith("[")) {
      errors.push(new InventoryError(`invalid section header '${trimmed}'; expected [group], [group:vars] or [group:children]`, { loc: at(indent) }));
      return;
    }
    const current = group(section, at(indent));
    if (kind === "children") {
      current.children[trimmed] = null;
      recordKey(current.children, trimmed, at(indent));
      group(trimmed, at(indent));
      return;
    }
    if (kind === "vars") {
      const eq = trimmed.indexOf("=");
      if (eq < 1) {
        errors.push(new InventoryError(`expected key=value in [${section}:vars]; got '${trimmed}'`, { loc: at(indent) }));
        return;
      }
      const key = trimmed.slice(0, eq).trim();
      current.vars[key] = iniValue(trimmed.slice(eq + 1));
      const valueCol = line.indexOf("=", indent) + 1;
      recordKey(current.vars, key, at(indent), at(valueCol + (line.slice(valueCol).length - line.slice(valueCol).trimStart().length)));
      return;
    }
    const [host, ...rest] = splitArgs(line);
    if (!host) return;
    const vars: Record<string, unknown> = {};
    recordContainer(vars, at(host.start));
    for (const token of rest) {
      if (token.key === undefined) {
        errors.push(new InventoryError(`expected key=value after host '${host.raw}'; got '${token.raw}'`, { loc: at(token.start) }));
        continue;
      }
      vars[token.key] = iniValue(token.raw.slice(token.key.length + 1));
      recordKey(vars, token.key, at(token.start), at(token.start + token.key.length + 1));
    }
    current.hosts[host.raw] = vars;
    recordKey(current.hosts, host.raw, at(host.start), at(host.start));
  });
  return groups;
}
