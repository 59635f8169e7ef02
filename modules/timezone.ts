/**
 * timezone: community.general's timezone on a host run by systemd, as Ansible does it there: the time zone and
 * whether the hardware clock keeps local time are read from `timedatectl status` and set with `timedatectl
 * set-timezone` / `set-local-rtc`. A zone without its file under /usr/share/zoneinfo fails, as in Ansible. Hosts
 * where timedatectl does not answer (Ansible edits /etc/timezone and /etc/localtime there) are refused.
 */
import { sh, type Command } from "../engine/command.js";
import { ModuleError } from "../engine/errors.js";
import { defineModule, type ModuleContext, type Plan } from "../engine/module-api.js";
import { fileStat, type FileStat } from "./facts/file-stat.js";
import { timedatectlFact, type Timedatectl } from "./facts/timedatectl.js";

export interface Args {
  name?: string;
  hwclock?: "local" | "UTC";
}

interface Settings {
  name?: string;
  hwclock?: "local" | "UTC";
}

/** Ansible's diff of the settings the task names: a JSON object per side, keys sorted, as its callback shows one. */
function shown(settings: Settings): string {
  return `${JSON.stringify(Object.fromEntries(Object.entries(settings).sort()), null, 4)}\n`;
}

async function check(ctx: ModuleContext, args: Args): Promise<Plan> {
  if (args.name === undefined && args.hwclock === undefined) throw new ModuleError("one of the following is required: hwclock, name");
  const zoneFile = `/usr/share/zoneinfo/${args.name ?? ""}`;
  const [status, zone] = (await ctx.facts([
    { fact: timedatectlFact, args: {} },
    ...(args.name === undefined ? [] : [{ fact: fileStat, args: { path: zoneFile, follow: true } }]),
  ])) as [Timedatectl, FileStat | undefined];
  if (!status.usable) throw new ModuleError("timedatectl does not answer on this host: timezone sets the zone through systemd's timedated only");
  if (zone !== undefined && !(zone.exists && zone.type === "file")) throw new ModuleError(`Error message:\ngiven timezone "${args.name ?? ""}" is not available`);
  const before: Settings = {};
  const after: Settings = {};
  const commands: Command[] = [];
  // Ansible's order: its argument spec's, hwclock first.
  if (args.hwclock !== undefined) {
    before.hwclock = status.rtcLocal ? "local" : "UTC";
    after.hwclock = args.hwclock;
    if (before.hwclock !== args.hwclock) commands.push(sh`timedatectl set-local-rtc ${args.hwclock === "local" ? "yes" : "no"}`);
  }
  if (args.name !== undefined) {
    before.name = status.timezone;
    after.name = args.name;
    if (status.timezone !== args.name) commands.push(sh`timedatectl set-timezone ${args.name}`);
  }
  const diff = { before, after };
  const kept = [before.name === undefined ? "" : `the time zone is ${before.name}`, before.hwclock === undefined ? "" : `the hardware clock keeps ${before.hwclock} time`];
  if (commands.length === 0) return { changed: false, reason: kept.filter(Boolean).join(" and "), output: { diff } };
  const predicted: Timedatectl = { usable: true, timezone: after.name ?? status.timezone, rtcLocal: (after.hwclock ?? before.hwclock) === "local" };
  return {
    changed: true,
    summary: [after.hwclock !== before.hwclock ? `keep ${after.hwclock ?? ""} time in the hardware clock` : "", after.name !== before.name ? `set the time zone to ${after.name ?? ""}` : ""].filter(Boolean).join(", "),
    commands,
    ...(ctx.diffMode ? { diffs: [{ path: "timezone", before: shown(before), after: shown(after) }] } : {}),
    predicts: [{ fact: timedatectlFact, args: {}, value: predicted }],
    output: { diff, msg: commands.map((command) => `executed \`${command.display}\``).join("\n") },
  };
}

export default defineModule<Args>({
  name: "timezone",
  description: "Set the system's time zone and the hardware clock's (community.general's timezone)",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      name: { type: "string", minLength: 1, description: "The time zone, as named under /usr/share/zoneinfo (e.g. `Europe/Paris`); left as it is when not given. One of name and hwclock is required." },
      hwclock: { type: "string", enum: ["local", "UTC"], description: "Whether the hardware clock keeps local time or UTC; left as it is when not given." },
    },
  },
  aliases: { rtc: "hwclock" },
  examples: [
    "- timezone: { name: Europe/Paris }",
    "- timezone: { name: Etc/UTC, hwclock: UTC }",
  ],
  capabilities: { diff: true, idempotent: true },
  check,
});
