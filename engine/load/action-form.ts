/**
 * Ansible's older spellings of a task's action: `action: copy src=a dest=b`, `action: { module: copy, src: a }`,
 * and `local_action:` (the same, run on the controller). Each is rewritten into the one form the loader reads
 * (`copy: src=a dest=b`, plus `delegate_to: localhost` for local_action), keeping where each key was written.
 */
import { SchemaValidationError, type RemsError, type SourceLocation } from "../errors.js";
import { show } from "../schema/validate.js";
import { copyKeyLocation, locationOf, recordContainer, recordKey, valueLocationOf } from "../source/locations.js";
import { isMapping } from "./vars-files.js";

const FORMS = ["action", "local_action"] as const;

/**
 * The task with `action:`/`local_action:` written as a module key; the task itself when it has neither. A form
 * whose module cannot be read is an error at its place (pushed on `errors`): undefined then.
 */
export function withActionForm(raw: Record<string, unknown>, errors: RemsError[]): Record<string, unknown> | undefined {
  const form = FORMS.find((key) => key in raw);
  if (form === undefined) return raw;
  const out: Record<string, unknown> = {};
  const self = locationOf(raw);
  if (self) recordContainer(out, self);
  for (const key of Object.keys(raw)) {
    if (FORMS.includes(key as (typeof FORMS)[number])) continue;
    out[key] = raw[key];
    copyKeyLocation(raw, key, out);
  }
  const where = valueLocationOf(raw, form);
  const parsed = moduleOf(raw[form], where);
  if (typeof parsed === "string") {
    errors.push(new SchemaValidationError(`${form}: ${parsed}`, { loc: where }));
    return undefined;
  }
  out[parsed.module] = parsed.args;
  copyKeyLocation(raw, form, out, parsed.module);
  if (form === "local_action") {
    out.delegate_to = "localhost";
    const at = locationOf(raw, form);
    if (at) recordKey(out, "delegate_to", at);
  }
  return out;
}

/** The module and its arguments (text or mapping) of an action value, or why it has none. */
function moduleOf(value: unknown, where: SourceLocation | undefined): { module: string; args: unknown } | string {
  if (typeof value === "string") {
    const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(value);
    if (!match?.[1]) return "names no module";
    return { module: match[1], args: match[2] === "" ? null : match[2] };
  }
  if (isMapping(value)) {
    const { module, ...args } = value;
    if (typeof module !== "string" || module === "") return `a mapping must name its module with 'module:'; got ${show(value)}`;
    if (where) recordContainer(args, where);
    for (const key of Object.keys(args)) copyKeyLocation(value, key, args);
    return { module, args };
  }
  return `must be a module with its arguments (text or a mapping with 'module:'); got ${show(value)}`;
}
