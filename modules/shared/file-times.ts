/**
 * The file module's modification_time and access_time, as Ansible's: `preserve` leaves the time, `now` sets it
 * (always a change), and a timestamp written in the matching `*_time_format` (default Ansible's "%Y%m%d%H%M.%S")
 * sets that time, read as the host's local time, a change only when the path's time differs (to the second, with
 * no fraction left). The changed times are also what Ansible's result `diff` shows under mtime and atime.
 */
import { sh, type Command } from "../../engine/command.js";
import { ModuleError } from "../../engine/errors.js";
import type { ModuleContext } from "../../engine/module-api.js";
import { fileTimesFact, type FileTime } from "../facts/file-times.js";

export const DEFAULT_TIME_FORMAT = "%Y%m%d%H%M.%S";

export interface TimeArgs {
  modification_time?: string;
  modification_time_format?: string;
  access_time?: string;
  access_time_format?: string;
}

export interface TimesPlan {
  commands: Command[];
  /** What changes, under Ansible's diff keys (mtime, atime): seconds since the epoch, or "now". */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** The strptime directives a timestamp may use, each as the digits it reads. */
const DIRECTIVES: Readonly<Record<string, { digits: string; field: keyof Fields }>> = {
  Y: { digits: "\\d{4}", field: "year" },
  y: { digits: "\\d{2}", field: "year" },
  m: { digits: "\\d{1,2}", field: "month" },
  d: { digits: "\\d{1,2}", field: "day" },
  H: { digits: "\\d{1,2}", field: "hour" },
  M: { digits: "\\d{1,2}", field: "minute" },
  S: { digits: "\\d{1,2}", field: "second" },
};

interface Fields {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A timestamp read with FORMAT (a subset of Python's strptime) as `touch -t` takes it: YYYYMMDDhhmm.ss. */
export function touchStamp(value: string, format: string, what: string): string {
  const order: (keyof Fields)[] = [];
  let pattern = "";
  for (let i = 0; i < format.length; i++) {
    const char = format[i] ?? "";
    if (char !== "%") {
      pattern += escape(char);
      continue;
    }
    const directive = format[++i] ?? "";
    if (directive === "%") {
      pattern += "%";
      continue;
    }
    const known = DIRECTIVES[directive];
    if (known === undefined) throw new ModuleError(`${what}_format: %${directive} is not supported (use %Y %y %m %d %H %M %S)`);
    pattern += `(${known.digits})`;
    order.push(known.field);
  }
  const match = new RegExp(`^${pattern}$`).exec(value);
  if (!match) throw new ModuleError(`Error while obtaining timestamp for time ${value} using format ${format}: time data '${value}' does not match format '${format}'`);
  const fields: Fields = { year: "1900", month: "1", day: "1", hour: "0", minute: "0", second: "0" };
  order.forEach((field, index) => {
    const text = match[index + 1] ?? "";
    fields[field] = field === "year" && text.length === 2 ? String((Number(text) < 69 ? 2000 : 1900) + Number(text)) : text;
  });
  const two = (text: string): string => text.padStart(2, "0");
  return `${fields.year}${two(fields.month)}${two(fields.day)}${two(fields.hour)}${two(fields.minute)}.${two(fields.second)}`;
}

/**
 * The commands that give PATH the wanted times, or undefined when they are as wanted. `byDefault` is what an
 * argument left out means (touch: now; every other state: preserve). `created`: the task creates the path now
 * (its times are already now).
 */
export async function planTimes(ctx: ModuleContext, path: string, follow: boolean, args: TimeArgs, byDefault: "now" | "preserve", created: boolean): Promise<TimesPlan | undefined> {
  const wanted = [
    { key: "mtime", flag: "-m", value: args.modification_time ?? byDefault, format: args.modification_time_format ?? DEFAULT_TIME_FORMAT, what: "modification_time" },
    { key: "atime", flag: "-a", value: args.access_time ?? byDefault, format: args.access_time_format ?? DEFAULT_TIME_FORMAT, what: "access_time" },
  ].filter((time) => time.value !== "preserve" && !(created && time.value === "now"));
  if (wanted.length === 0) return undefined;
  const current = created ? undefined : await ctx.fact(fileTimesFact, { path, follow });
  const plan: TimesPlan = { commands: [], before: {}, after: {} };
  // -h: the link itself, when the task does not follow it.
  const touch = (flags: string[], stamp?: string): Command => {
    const all = follow ? flags : [...flags, "-h"];
    if (stamp !== undefined) return sh`touch ${all} -t ${stamp} -- ${path}`;
    return all.length === 0 ? sh`touch -- ${path}` : sh`touch ${all} -- ${path}`;
  };
  for (const time of wanted) {
    const now: FileTime | undefined = current?.exists === true ? current[time.key as "mtime" | "atime"] : undefined;
    if (time.value === "now") {
      plan.commands.push(touch([time.flag]));
      plan.before[time.key] = now?.epoch;
      plan.after[time.key] = "now";
      continue;
    }
    const stamp = touchStamp(time.value, time.format, time.what);
    if (now !== undefined && now.local === stamp && !now.fraction) continue;
    plan.commands.push(touch([time.flag], stamp));
    plan.before[time.key] = now?.epoch;
    plan.after[time.key] = stamp;
  }
  if (plan.commands.length === 0) return undefined;
  // Both times now: one touch, as touch on an existing file is written.
  if (plan.after.mtime === "now" && plan.after.atime === "now") plan.commands = [touch([])];
  return plan;
}
